from django.urls import path

from reputation.names import views

org = "org/<uuid:code>/"
tracked = org + "names/<uuid:tracked_code>/"

urlpatterns = [
    path(org + "names/", views.tracked_list, name="tracked-names"),
    path(org + "names/add/", views.tracked_add, name="tracked-add"),
    path(tracked, views.tracked_edit, name="tracked-edit"),
    path(tracked + "toggle/", views.tracked_toggle, name="tracked-toggle"),
    path(tracked + "delete/", views.tracked_delete, name="tracked-delete"),
]
