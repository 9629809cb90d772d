from django.urls import path, re_path

from reputation.demo import views as demo_views

urlpatterns = [
    re_path(r"^feeds/(?P<name>[\w.-]+\.xml)$", demo_views.feed),
    path("avis/", demo_views.reviews),
    path("forum/", demo_views.forum),
    path("a/<path:key>/<int:index>", demo_views.article),
]
