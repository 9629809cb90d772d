from django.urls import include, path

from monitoring import views

org = "org/<uuid:code>/"
source = org + "sources/<uuid:source_code>/"

urlpatterns = [
    path(org + "sources/", views.sources, name="sources"),
    path(org + "sources/add/", views.add_source, name="add-source"),
    path(org + "sources/add/feed/", views.add_feed, name="add-feed"),
    path(org + "sources/add/website/", views.add_website, name="add-website"),
    path(org + "sources/add/forum/", views.add_forum, name="add-forum"),
    path(org + "sources/add/page/", views.add_html, name="add-html"),
    path(org + "sources/add/search/", views.add_search, name="add-search"),
    path(source, views.source_detail, name="source-detail"),
    path(source + "resume/", views.resume_source, name="source-resume"),
    path(source + "poll/", views.poll_source_now, name="source-poll"),
    path(source + "unfollow/", views.unfollow, name="source-unfollow"),
    path("", include("reputation.tracked_urls")),
]
