from django.urls import path

from reputation.mentions import views

org = "org/<uuid:code>/"

urlpatterns = [
    path(
        org + "mentions/<uuid:mention_code>/sentiment/",
        views.mention_sentiment,
        name="mention-sentiment",
    ),
]
