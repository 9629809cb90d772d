"""Long English texts are scored sentence by sentence (VADER is quadratic in words)."""

from monitoring.sentiment import english

SHORT = "The staff were lovely and the bread was great!"
LONG_BAD = (
    "We ordered a birthday cake two weeks in advance. "
    + "The delivery was terribly late and the cake arrived broken. " * 6
    + "The manager was rude and refused a refund. We will never order again."
)


def test_it_scores_short_texts_exactly_as_before():
    vader = english._analyzer()[0]
    assert english.score(SHORT)[0] == vader.polarity_scores(SHORT)["compound"]


def test_it_keeps_the_tone_of_long_texts():
    assert len(LONG_BAD.split()) > english.CHUNK_WORDS
    assert english.score(LONG_BAD)[0] < -0.5
    good = " ".join(["The bread was wonderful and the staff were so kind."] * 12)
    assert english.score(good)[0] > 0.5
