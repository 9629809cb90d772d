from django.urls import path, re_path

from monitoring import demo_views

urlpatterns = [
    re_path(r"^feeds/(?P<name>[\w.-]+\.xml)$", demo_views.feed),
    path("avis/", demo_views.reviews),
    path("forum/", demo_views.forum),
    re_path(r"^a/(?P<key>[\w./-]+)/(?P<index>\d+)$", demo_views.article),
]
