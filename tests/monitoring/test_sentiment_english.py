"""English tone: VADER's rules, and the review vocabulary we add (sentiment/english.py)."""

from pathlib import Path

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from monitoring.sentiment import english, score_text


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


def test_it_gives_vaders_own_scores_faster():
    """english._Vader skips VADER's quadratic re-reading and its emoji pass on ASCII
    text: on VADER's own ground-truth tweets and editorials (emoji, caps, negations,
    "but", idioms) every compound is VADER's, to the digit."""
    fixtures = Path(__file__).resolve().parent.parent / "fixtures" / "vader_icwsm2014"
    texts = []
    for name in ("tweets_GroundTruth.txt", "nytEditorialSnippets_GroundTruth.txt"):
        lines = (fixtures / name).read_text(encoding="utf-8", errors="replace").splitlines()
        texts += [line.split("\t")[-1] for line in lines]
    texts += ["Kind of good 😍", "never so good", "without doubt the best", "At least not bad!"]
    stock, ours = SentimentIntensityAnalyzer(), english._Vader()
    assert len(texts) > 9000
    for text in texts:
        assert ours.polarity_scores(text) == stock.polarity_scores(text), text


def test_it_joins_only_the_phrases_a_text_holds():
    assert english.join_phrases("It stopped working, a waste of money") == (
        "It stopped_working, a waste_of_money"
    )
    assert english.join_phrases("Nothing to join here.") == "Nothing to join here."
    assert english.join_phrases("the ''user friendly'' label") == "the ''user_friendly'' label"
