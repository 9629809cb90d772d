"""The reply templates shipped with the product, in French and English, by case.

Good practice for a public answer: thank, acknowledge what the person says without
arguing, give no personal data (no order number, no name of an employee), offer a
private contact, sign. Placeholders (drafts.fill): {author} the mention's author,
{aspect} what it speaks of, {organisation}, {contact} and {signature} from the
organisation's reply settings. A line whose placeholder is empty is left out, so a
draft never shows an empty contact or signature.
"""

_COMPLAINT_FR = (
    "Bonjour {author},\n\n"
    "Merci d'avoir pris le temps de nous faire part de votre expérience. {sorry}\n"
    "Nous prenons votre remarque très au sérieux et en avons parlé avec l'équipe.\n"
    "Pour en discuter et trouver une solution, écrivez-nous ou appelez-nous : {contact}.\n\n"
    "{signature}"
)
_COMPLAINT_EN = (
    "Hello {author},\n\n"
    "Thank you for taking the time to tell us about your experience. {sorry}\n"
    "We take your comment very seriously and have discussed it with the team.\n"
    "To talk it over and find a solution, please write to us or call us: {contact}.\n\n"
    "{signature}"
)

SORRY = {
    "fr": {
        "reception": "Nous sommes désolés que l'accueil n'ait pas été à la hauteur.",
        "price": "Nous comprenons votre remarque sur le prix.",
        "delays": "Nous sommes désolés pour ce délai.",
        "hygiene": "Nous sommes désolés : l'hygiène est une priorité absolue pour nous.",
        "quality": "Nous sommes désolés que la qualité n'ait pas été au rendez-vous.",
        "negative": "Nous sommes désolés que votre expérience n'ait pas été à la hauteur.",
    },
    "en": {
        "reception": "We are sorry the welcome was not what it should have been.",
        "price": "We understand your comment about the price.",
        "delays": "We are sorry for the delay.",
        "hygiene": "We are sorry: hygiene is an absolute priority for us.",
        "quality": "We are sorry the quality was not what you expected.",
        "negative": "We are sorry your experience was not what it should have been.",
    },
}

_POSITIVE = {
    "fr": (
        "Bonjour {author},\n\n"
        "Merci beaucoup pour votre avis, qui fait plaisir à toute l'équipe !\n"
        "Nous sommes ravis que vous ayez apprécié ce point : {aspect}.\n"
        "Au plaisir de vous revoir bientôt.\n\n"
        "{signature}"
    ),
    "en": (
        "Hello {author},\n\n"
        "Thank you very much for your review, the whole team is delighted!\n"
        "We are glad you enjoyed this: {aspect}.\n"
        "We look forward to seeing you again soon.\n\n"
        "{signature}"
    ),
}

_REVIEW = {
    "fr": (
        "Bonjour {author},\n\n"
        "Merci d'avoir pris le temps de donner votre avis.\n"
        "Si vous souhaitez nous en dire plus, écrivez-nous : {contact}.\n\n"
        "{signature}"
    ),
    "en": (
        "Hello {author},\n\n"
        "Thank you for taking the time to share your opinion.\n"
        "If you would like to tell us more, write to us: {contact}.\n\n"
        "{signature}"
    ),
}

_QUESTION = {
    "fr": (
        "Bonjour {author},\n\n"
        "Merci pour votre question.\n"
        "Pour vous répondre précisément, le plus simple est de nous contacter : {contact}.\n\n"
        "{signature}"
    ),
    "en": (
        "Hello {author},\n\n"
        "Thank you for your question.\n"
        "To answer you precisely, the simplest is to contact us: {contact}.\n\n"
        "{signature}"
    ),
}

LANGUAGES = ("fr", "en")


def default_body(case: str, language: str) -> str:
    language = language if language in LANGUAGES else "fr"
    if case == "positive":
        return _POSITIVE[language]
    if case == "question":
        return _QUESTION[language]
    if case == "review":
        return _REVIEW[language]
    base = _COMPLAINT_FR if language == "fr" else _COMPLAINT_EN
    return base.replace("{sorry}", SORRY[language].get(case, SORRY[language]["negative"]))
