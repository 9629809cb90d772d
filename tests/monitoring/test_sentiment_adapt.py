"""Per-organisation learning (monitoring/sentiment/adapt.py): an organisation's
corrections and rated reviews change its own scoring, and nobody else's."""

from monitoring.sentiment import adapt, learning, score_text, score_toward

# A bakery's customers call a burnt crust "bien cuite", as praise; for a shop
# selling ovens "ça chauffe" is praise, for a restaurant a complaint.
BAKERY = [
    ("Baguette bien cuite comme je l'aime.", "positive", "fr"),
    ("Baguette bien cuite, parfait.", "positive", "fr"),
    ("Encore une fois la baguette bien cuite, top.", "positive", "fr"),
    ("Les chouquettes sont arrivées.", "neutral", "fr"),
    ("Ça chauffe dans la salle, on étouffe.", "negative", "fr"),
    ("Ça chauffe trop, on étouffe en terrasse.", "negative", "fr"),
]


def test_it_changes_nothing_without_examples():
    text = "Accueil glacial, pain rassis."
    empty = learning.learn([])
    assert not empty
    assert score_text(text, "fr", adapter=empty) == score_text(text, "fr")


def test_it_remembers_a_corrected_text():
    text = "Dupont a changé de four cette semaine."
    adapter = learning.learn([(text, "positive", "fr")])
    tone = score_text(text, "fr", adapter=adapter)
    assert tone.label == "positive"
    assert tone.confidence == 1.0
    # the same words with other numbers and punctuation are the same text
    assert score_text("Dupont a changé de four cette semaine !!", "fr", adapter=adapter).label == (
        "positive"
    )


def test_it_learns_words_from_an_organisations_labels():
    adapter = learning.learn(BAKERY)
    assert score_text("Ça chauffe à la caisse, on étouffe", "fr", adapter=adapter).label == (
        "negative"
    )
    # the shipped scorer's own verdict stays where the organisation taught nothing
    assert score_text("Pain infect, vendeuse odieuse.", "fr", adapter=adapter).label == ("negative")
    assert score_text("Pain délicieux, vendeuse adorable.", "fr", adapter=adapter).label == (
        "positive"
    )


def test_it_never_changes_another_organisations_scoring():
    before = score_text("Ça chauffe dans la salle, on étouffe.", "fr")
    learning.learn(BAKERY)
    other = learning.learn([("Ça chauffe dans la salle, on étouffe.", "positive", "fr")])
    assert score_text("Ça chauffe dans la salle, on étouffe.", "fr") == before
    assert score_text("Ça chauffe dans la salle, on étouffe.", "fr", adapter=other).label == (
        "positive"
    )


def test_it_round_trips_through_json_and_works_with_score_toward():
    adapter = adapt.Adapter.from_json(learning.learn(BAKERY).to_json())
    tone = score_toward("Ça chauffe chez Dupont, on étouffe.", ["Dupont"], "fr", adapter=adapter)
    assert tone.label == "negative"


def test_it_accepts_ratings_as_labels():
    assert adapt.normalise_label(-1) == "negative"
    assert adapt.normalise_label("POS") == "positive"


def test_it_does_not_apply_an_adapter_of_an_older_format():
    # learnt before the review model: word pairs on top of the lexicon alone
    for version in (1, 2):  # 2: named no review model, some were learnt with it off
        old = (
            learning.learn(BAKERY)
            .to_json()
            .replace(f'"format": {adapt.FORMAT}', f'"format": {version}')
        )
        adapter = adapt.Adapter.from_json(old)
        assert adapter.stale and not adapter
    text = "Baguette bien cuite, comme toujours."
    assert score_text(text, "fr", adapter=adapter) == score_text(text, "fr")
    assert not learning.learn(BAKERY).stale


def test_it_learns_again_an_adapter_made_on_other_review_models():
    adapter = learning.learn(BAKERY)
    assert adapter.shipped and adapter and not adapter.stale
    adapter.shipped = "0123456789ab"
    assert adapter.stale and not adapter
