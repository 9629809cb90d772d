"""English tone: VADER's rules, and the review vocabulary we add (sentiment/english.py)."""

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from monitoring.sentiment import score_text


def en(text):
    return score_text(text, "en")


def test_it_flips_negation():
    assert en("The staff was helpful.").label == "positive"
    assert en("The staff was not helpful.").label == "negative"
    assert en("I wouldn't recommend this shop.").label == "negative"


def test_it_strengthens_with_intensifiers_and_exclamations():
    assert en("The food was very good").score > en("The food was good").score
    assert en("The food was good!!!").score > en("The food was good").score


def test_it_weighs_the_clause_after_but_more():
    assert en("Delivery was fast but the product is disappointing.").label == "negative"
    assert en("A bit pricey but the quality is excellent.").label == "positive"


def test_it_reads_emoticons_and_emoji():
    assert en("Parcel arrived :)").score > 0
    assert en("Parcel arrived :(").score < 0
    assert en("Parcel arrived 😡").label == "negative"


def test_it_knows_what_customers_write_about_goods():
    vader = SentimentIntensityAnalyzer()
    for text in (
        "It stopped working after two weeks.",
        "Total waste of money.",
        "Flimsy and overpriced.",
        "I returned it.",
        "The package never arrived.",
    ):
        assert en(text).label == "negative", text
        # VADER alone misses or underrates these
        assert en(text).score < vader.polarity_scores(text)["compound"], text
    assert en("Sturdy, reliable, works great.").label == "positive"
    assert en("Exactly as described, affordable.").label == "positive"


def test_it_keeps_neutral_what_has_no_tone():
    assert en("The shop opens at 9 on Saturdays.").label == "neutral"
    # "garbage day" is a day, not a judgement: only phrases like "is garbage" count
    assert en("Tomorrow we put out the garbage.").label == "neutral"
