from django.urls import path

from reputation import mention_views, tracked_views

org = "org/<uuid:code>/"
tracked = org + "names/<uuid:tracked_code>/"

urlpatterns = [
    path(org + "names/", tracked_views.tracked_list, name="tracked-names"),
    path(org + "names/add/", tracked_views.tracked_add, name="tracked-add"),
    path(tracked, tracked_views.tracked_edit, name="tracked-edit"),
    path(tracked + "toggle/", tracked_views.tracked_toggle, name="tracked-toggle"),
    path(tracked + "delete/", tracked_views.tracked_delete, name="tracked-delete"),
    path(
        org + "mentions/<uuid:mention_code>/sentiment/",
        mention_views.mention_sentiment,
        name="mention-sentiment",
    ),
]
