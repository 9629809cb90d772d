"""A mention's tone and status labels (read fifty times a page of the inbox) are the
choices' own labels, in the language of the request."""

from django.utils import translation

from reputation.mentions.models import Mention, MentionStatus, Sentiment


def test_it_labels_tone_and_status_as_their_choices_in_each_language():
    for language in ("fr", "en"):
        with translation.override(language):
            for tone in Sentiment:
                assert Mention(sentiment=tone).get_sentiment_display() == str(tone.label)
            for status in MentionStatus:
                assert Mention(status=status).get_status_display() == str(status.label)
    with translation.override("fr"):
        assert Mention(sentiment="negative").get_sentiment_display() != "Negative"
    # A value outside the choices shows as itself, as Django's own method does.
    assert Mention(status="odd").get_status_display() == "odd"
