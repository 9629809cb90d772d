"""Texts of the demo organisation (written for the demo; fictitious businesses).

`{b}` is replaced by a name of the demo business or of a competitor, `{p}` by a
product, `{m}` by the manager. Each text carries its intended tone so that the
demo shows positive, neutral and negative mentions in French and English.
"""

BUSINESS = "Boulangerie Dupont"
ALIASES = ["Dupont Boulangerie", "boulangerie Dupont de Villeurbanne"]
MANAGER = "Marie Dupont"
PRODUCT = "Pain des Canuts"
COMPETITORS = ["Fournil Lefèvre", "Maison Rivoire"]

FR = [
    ("positive", "Meilleur croissant de Villeurbanne chez {b} ! Accueil toujours souriant."),
    ("positive", "{b} : le {p} est vraiment excellent, croustillant et bien cuit. Bravo."),
    ("positive", "Très bonne adresse, {b} ne m'a jamais déçu. Les prix sont raisonnables."),
    ("positive", "Merci à {m} et son équipe pour la pièce montée du mariage, superbe 😍"),
    ("positive", "Le {p} de {b} a gagné le prix du meilleur pain du Rhône, félicitations !"),
    ("positive", "Service rapide et personnel adorable chez {b}, je recommande vivement."),
    ("positive", "Enfin une boulangerie qui fait tout maison : {b}, c'est top :)"),
    ("negative", "Franchement déçu par {b} : baguette pas cuite et vendeuse désagréable."),
    (
        "negative",
        "Attente interminable ce matin chez {b}, 25 minutes pour deux pains. Inadmissible.",
    ),
    ("negative", "Les prix de {b} ont encore augmenté, 1,60 € la baguette c'est trop cher."),
    ("negative", "Commande de gâteau oubliée par {b}, personne ne s'est excusé. Plus jamais."),
    ("negative", "Pas terrible le {p} de {b}, rassis dès le lendemain :("),
    ("negative", "Hygiène douteuse chez {b} : des mouches sur les viennoiseries, c'est dégoûtant."),
    ("negative", "{b} ne répond jamais au téléphone, impossible de passer commande."),
    ("neutral", "{b} sera fermée du 1er au 15 août pour congés annuels."),
    ("neutral", "{m}, gérante de {b}, participe au salon de la boulangerie à Lyon ce week-end."),
    ("neutral", "Nouveaux horaires chez {b} : ouverture à 6h30 du mardi au dimanche."),
    ("neutral", "{b} propose désormais la livraison dans le quartier des Gratte-Ciel."),
    ("positive", "Pas mal du tout les nouvelles tartes de {b}, mais un peu chères."),
    ("negative", "Le pain de {b} était bon, mais depuis le changement de farine il est fade."),
]

EN = [
    ("positive", "Stopped by {b} while visiting Lyon: the best croissants of our trip!"),
    ("positive", "{b} is a gem. Friendly staff, great sourdough, fair prices."),
    ("negative", "Terrible service at {b} today, rude staff and stale bread. Avoid."),
    ("negative", "Overpriced and disappointing: the {p} at {b} was burnt."),
    ("neutral", "{b} in Villeurbanne opens at 6:30 am, closed on Mondays."),
    ("positive", "Loved the {p} from {b}, would definitely come back :)"),
]

# A second sentence varies the texts, so that the content fingerprint (dedup of the
# same story re-published) does not merge every item built from one template.
FR_MORE = [
    "Vu ce matin rue Francis-de-Pressensé.",
    "Je passe tous les jours devant en allant au travail.",
    "C'était un samedi, il y avait du monde.",
    "Mon voisin m'en avait parlé.",
    "On y est allés en famille.",
    "Avis publié après ma visite de mardi.",
    "À voir si ça dure.",
    "Quartier des Gratte-Ciel.",
    "Pour le goûter des enfants.",
    "Partagé par un lecteur.",
    "",
]
EN_MORE = [
    "We went there on a Sunday morning.",
    "Recommended by our hotel.",
    "Visited with friends last week.",
    "Near the Gratte-Ciel metro stop.",
    "",
]

# Demo sources: path under /demo/, kind, title, minutes between two items, language,
# days of history. The alerts feed publishes often so that the dashboard moves.
FEEDS = [
    ("feeds/presse-locale.xml", "feed", "Le Progrès de Villeurbanne (démo)", 9 * 60, "fr", 90),
    ("feeds/blog-gourmand.xml", "feed", "Blog gourmand lyonnais (démo)", 13 * 60, "fr", 90),
    ("feeds/travel-reviews.xml", "feed", "Lyon travel reviews (demo)", 17 * 60, "en", 90),
    ("feeds/alertes.xml", "search", "Alertes Boulangerie Dupont (démo)", 20, "fr", 3),
]
REVIEWS_PATH = "avis/"
REVIEWS_PERIOD = 11 * 60
FORUM_PATH = "forum/"
FORUM_PERIOD = 15 * 60
