"""What a mention speaks of, for small businesses: reception, price, delays, quality,
after-sales, staff, hygiene (stable English keys; lists documented in docs/sentiment.md).

Keywords are matched on folded tokens (text.tokens: lower-case, accent-free), so
"Hygiène", "hygiene" and "HYGIENE" are one. A keyword ending in "*" is a prefix
("rembours*" covers "remboursement", "remboursé"); several words are a phrase.
French and English each have their list; a text of another or unknown language is
read with both.
"""

from functools import cache

from monitoring.normalise import language_code
from monitoring.sentiment.text import fold, tokens

ASPECTS = ("reception", "price", "delays", "quality", "after_sales", "staff", "hygiene")

KEYWORDS = {
    "fr": {
        "reception": "accueil* accueilli* bienvenue reception receptionniste",
        "price": (
            "prix tarif* cher chere chers cheres cout couts couteu* onereu* factur* euros "
            "abordable* promo* remise* reduction* paye payer bon_marche hors_de_prix "
            "rapport_qualite_prix trop_cher pas_cher"
        ),
        "delays": (
            "delai* retard* attente attendu* attendre attends attend livraison* livre livree "
            "livres livrees livreur* expedi* envoi* colis rapide* rapidite lent lente lents "
            "lentes lenteur* temps_d'attente toujours_pas_recu jamais_recu"
        ),
        "quality": (
            "qualite* defectu* defaut* casse cassee casses cassees abime* endommag* solide* "
            "fragile* "
            "fiab* finition* materiau* conforme* panne* durab* bas_de_gamme camelote "
            "fonctionne_pas marche_pas ne_fonctionne_plus ne_marche_plus mal_fini* "
            "haut_de_gamme"
        ),
        "after_sales": (
            "sav service_apres_vente service_apres-vente apres-vente service_client "
            "service_clients service_clientele rembours* retour* garantie* reclamation* "
            "hotline litige* echange* assistance"
        ),
        "staff": (
            "personnel employe* equipe* vendeu* serveu* patron* patronne* gerant* "
            "conseiller* conseillere* technicien* staff aimable* souriant* poli polie "
            "impoli* malpoli* competent* incompetent* arrogant* "
            "professionnalisme"
        ),
        "hygiene": (
            "hygien* propre propres proprete sale sales salete* crasse* degout* "
            "degueu* cafard* odeur* puant* toilettes nettoy* moisi* insecte* rats souris"
        ),
    },
    "en": {
        "reception": "welcome* welcoming greet* reception receptionist* front_desk",
        "price": (
            "price* pricey pricing expensive cheap cheaper cost* overpriced afford* "
            "value_for_money bill billed charge* fee* bargain rip_off ripoff"
        ),
        "delays": (
            "delay* late wait* waited delivery deliver* delivered shipping shipped shipment* "
            "arriv* slow* fast quick* on_time took_forever"
        ),
        "quality": (
            "quality defect* broke broken damaged sturdy flimsy durable reliab* well_made "
            "cheaply_made poorly_made stopped_working faulty material* build_quality "
            "fell_apart falls_apart"
        ),
        "after_sales": (
            "customer_service customer_support after-sales support refund* return* "
            "warranty guarantee replacement complaint* helpdesk"
        ),
        "staff": (
            "staff employee* team waiter* waitress* server servers manager* owner* "
            "salesperson salesman cashier* technician* rude friendly polite helpful "
            "courteous unprofessional"
        ),
        "hygiene": (
            "hygien* unhygienic clean cleanliness dirty filth* smell* stink* cockroach* "
            "roach* mold* mould* toilet* bathroom* sanitary unsanitary greasy"
        ),
    },
}


@cache
def _index(lang: str) -> tuple[dict, dict[int, dict], list[tuple[tuple[str, ...], str]]]:
    """(exact word -> aspects, prefix length -> {prefix -> aspects}, phrases)."""
    exact: dict[str, set[str]] = {}
    prefixes: dict[int, dict[str, set[str]]] = {}
    phrases: list[tuple[tuple[str, ...], str]] = []
    for aspect, words in KEYWORDS[lang].items():
        for word in words.split():
            if "_" in word:
                phrases.append((tuple(tokens(word.replace("_", " "))), aspect))
            elif word.endswith("*"):
                stem = fold(word[:-1])
                prefixes.setdefault(len(stem), {}).setdefault(stem, set()).add(aspect)
            else:
                exact.setdefault(fold(word), set()).add(aspect)
    return exact, prefixes, phrases


def aspects(text: str, lang: str) -> list[str]:
    """The aspects the text speaks of, in the order of ASPECTS; [] when none."""
    toks = tokens(text or "")
    if not toks:
        return []
    lang = language_code(lang)
    toks = _without_prizes(toks)
    found: set[str] = set()
    for code in [lang] if lang in KEYWORDS else list(KEYWORDS):
        found |= _find(toks, *_index(code))
    return [a for a in ASPECTS if a in found]


# "prix" is also a prize: "a gagné le prix du meilleur pain", "prix Goncourt".
_WON = {
    "gagne", "remporte", "decroche", "recu", "obtenu", "laureat", "laureate", "decerne",
    "decernee", "attribue", "recompense", "remise", "nomine", "nominee", "finaliste",
}  # fmt: skip
_PRIZE_AFTER = {
    "goncourt", "renaudot", "femina", "medicis", "interallie", "nobel", "litteraire",
    "d'excellence", "special", "speciale", "jury", "public",
}  # fmt: skip


_PRIZE_PHRASES = ("du meilleur", "de la meilleure", "du public", "du jury", "des lecteurs")


def _without_prizes(toks: list[str]) -> list[str]:
    out = list(toks)
    for i, tok in enumerate(toks):
        if tok != "prix":
            continue
        before = set(toks[max(0, i - 3) : i])
        after = " ".join(toks[i + 1 : i + 4])
        if (
            before & _WON
            or "grand" in before
            or (i + 1 < len(toks) and toks[i + 1] in _PRIZE_AFTER)
            or after.startswith(_PRIZE_PHRASES)
        ):
            out[i] = "prix_prize"
    return out


def _find(toks, exact, prefixes, phrases) -> set[str]:
    found: set[str] = set()
    for tok in toks:
        found |= exact.get(tok, set())
        for size, stems in prefixes.items():
            if len(tok) >= size and tok[:size] in stems:
                found |= stems[tok[:size]]
    if phrases:
        joined = f" {' '.join(toks)} "
        for words, aspect in phrases:
            if aspect not in found and f" {' '.join(words)} " in joined:
                found.add(aspect)
    return found
