from django.urls import path

from reputation.sources import add_views, connect_views, rename, status, suggest_views, views

org = "org/<uuid:code>/"
source = org + "sources/<uuid:source_code>/"

urlpatterns = [
    path(org + "sources/", views.sources, name="sources"),
    path(org + "sources/add/", add_views.add_source, name="add-source"),
    path(org + "sources/add/feed/", add_views.add_feed, name="add-feed"),
    path(org + "sources/add/website/", add_views.add_website, name="add-website"),
    path(org + "sources/add/forum/", add_views.add_forum, name="add-forum"),
    path(org + "sources/add/page/", add_views.add_html, name="add-html"),
    path(org + "sources/add/search/", add_views.add_search, name="add-search"),
    path(org + "sources/add/platform/", connect_views.add_platform, name="add-platform"),
    path(org + "sources/add/google/", connect_views.connect_google, name="connect-google"),
    path(
        org + "sources/add/platform/<slug:platform>/",
        connect_views.connect_key,
        name="connect-key",
    ),
    path(
        "connectors/google/callback/", connect_views.google_callback, name="connect-google-callback"
    ),
    path(
        org + "mentions/<uuid:mention_code>/reply-on-platform/",
        connect_views.reply_on_platform,
        name="reply-on-platform",
    ),
    path(
        org + "sources/suggested/<uuid:tracked_code>/",
        suggest_views.suggested,
        name="suggested-sources",
    ),
    path(
        org + "sources/suggested/<uuid:tracked_code>/follow/",
        suggest_views.follow_suggested,
        name="follow-suggested",
    ),
    path(source, views.source_detail, name="source-detail"),
    path(source + "resume/", views.resume_source, name="source-resume"),
    path(source + "poll/", views.poll_source_now, name="source-poll"),
    path(source + "unfollow/", views.unfollow, name="source-unfollow"),
    path(source + "status/", status.source_status, name="source-status"),
    path(source + "rename/", rename.source_rename, name="source-rename"),
]
