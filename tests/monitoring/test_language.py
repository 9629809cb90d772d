"""detect_language: lingua restricted to our languages, the source's hint for short texts."""

from monitoring.sentiment import detect_language


def test_it_detects_french():
    assert detect_language("Très bon accueil, je recommande cette boulangerie.") == "fr"
    assert detect_language("Livraison rapide, produit conforme") == "fr"
    # typed without accents, with a link and a @name around
    assert detect_language("@boutique colis recu hier, emballage soigne http://t.co/x") == "fr"


def test_it_detects_english():
    assert detect_language("Great service, the staff were friendly and quick.") == "en"
    assert detect_language("Stopped working after two weeks") == "en"


def test_it_detects_other_languages():
    assert detect_language("Das Essen war ausgezeichnet und der Service sehr freundlich.") == "de"
    assert detect_language("La comida estaba deliciosa y el servicio fue excelente.") == "es"
    assert detect_language("Il cibo era ottimo e il personale molto gentile.") == "it"


def test_it_uses_the_hint_only_when_the_text_is_too_short():
    assert detect_language("Top !", hint="fr") == "fr"
    assert detect_language("ok", hint="en-GB") == "en"
    assert detect_language("ok", hint="fr_CA") == "fr"
    assert detect_language("ok") == ""
    assert detect_language("", hint="") == ""
    assert detect_language("#promo @shop http://x.fr", hint="fr") == "fr"
    # a long enough text wins over a wrong hint
    text = "The delivery was late and the box was damaged."
    assert detect_language(text, hint="fr") == "en"


def test_it_ignores_a_hint_that_is_no_language_code():
    assert detect_language("ok", hint="x") == ""
    assert detect_language("ok", hint="french") == ""
    assert detect_language("ok", hint="12") == ""
