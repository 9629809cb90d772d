"""Tracked names and items for `bench match`, as customers set and people write them.

Names: brands made of syllables ("Kalomé SARL"), trades with a surname and a town
("Boulangerie Martin Nantes"), people ("Élodie Martin", alias "Dr Martin"), each with
the alias customers give (the brand word, the shop without its town, how a person
is addressed). At 100,000 names many aliases are shared between customers (several
"Boulangerie Martin"s) and common words ("Martin" is a surname and a first name):
that is what a SaaS matcher meets, and why aliases come with context terms.

Items: real texts with names inserted in the ways people write them (capitals, no
accents, elisions, hashtags, handles); `make_items` records what it inserted so the
benchmark can check that the matcher found it.
"""

import random
import re

from monitoring.matching.matcher import Query
from monitoring.normalise import strip_accents

_SYLLABLES = (  # noqa: SIM905 (a list of 57 syllables is easier to read as one string)
    "ka lo mé ri van tel bor nix zé qua dri sol mar pel tin vo lu ster gra fon bel "
    "cor dé lin ma ro sa tu vé ly op ar bri cla fé gau hé jo ké lé mo né pa ré si "
    "ta vi zo ax eur ine ette ard ois ac an on"
).split()
_SECTORS = (  # noqa: SIM905
    "Boulangerie Pâtisserie Garage Hôtel Restaurant Café Pharmacie Cabinet Librairie "
    "Fromagerie Brasserie Plomberie Coiffure Immobilier Transports Atelier Maison "
    "Domaine Crèche Bakery Studio Dental Pizzeria Auto-école Menuiserie Charcuterie "
    "Fleuriste Opticien Taxi Notaire"
).split()
_SUFFIXES = ["", "", "", "", " & Fils", " SARL", " Group", " Conseil", " Bio", " Paris"]
_FIRST = (  # noqa: SIM905
    "Jean Marie Pierre Anne Élodie Sébastien Hélène François Chloé Léa Jérôme Zoé "
    "Noël Inès Théo Maëlle Loïc Agnès Stéphane Cécile John Emma Oliver Grace Jean-Pierre "
    "Marie-Claire Camille Nathalie Isabelle Philippe Nicolas Julien Aurélie Céline Manon "
    "Lucas Hugo Louise Gaëlle Françoise Benoît Thérèse Yannick Rémi Mathilde Océane"
).split()
_SURNAMES = (  # noqa: SIM905 (the most frequent French surnames)
    "Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon "
    "Michel Lefèvre Leroy Roux David Bertrand Morel Fournier Girard Bonnet Dupont "
    "Lambert Fontaine Rousseau Vincent Muller Faure André Mercier Blanc Guérin Boyer "
    "Garnier Chevalier Legrand Gauthier Garcia Perrin Robin Clément Morin Nicolas Henry "
    "Roussel Mathieu Masson Marchand Duval Denis Dumont Lemaire Meyer Dufour Meunier "
    "Brun Blanchard Giraud Joly Rivière Lucas Brunet Gaillard Barbier Arnaud Martinez "
    "Gérard Roche Renard Schmitt Leroux Colin Vidal Caron Picard Roger Fabre Aubert "
    "Lemoine Renaud Dumas Lacroix Olivier Bourgeois Benoît Leclerc Payet Rolland Lecomte "
    "Lopez Dupuy Guillot Hubert Berger Carpentier Dupuis Moulin Deschamps Huet Vasseur "
    "Perez Boucher Fleury Royer Klein Jacquet Poirier Marty Aubry Guyot Carré Renault "
    "Charpentier Ménard Maillard Baron Bertin Bailly Hervé Schneider Collet Léger "
    "Bouvier Prévost Millet Perrot Cousin Germain Breton Besson Langlois Rémy Pelletier "
    "Lévêque Perrier Leblanc Barré Lebrun Marchal Weber Mallet Hamon Jacob Monnier "
    "Michaud Gillet Grondin Tessier Chauvin Bouchet Lemaître Bénard Maréchal Humbert "
    "Reynaud Hoarau Perret Barthélemy Cordier Pichon Lejeune Gilbert Lamy Delaunay "
    "Pasquier Carlier Laporte"
).split() + ["Le Gall", "Le Roux", "Da Silva", "Le Goff", "N'Diaye", "D'Amico"]
_TOWNS = (  # noqa: SIM905
    "Paris Lyon Marseille Toulouse Nice Nantes Strasbourg Montpellier Bordeaux Lille "
    "Rennes Reims Toulon Grenoble Dijon Angers Nîmes Brest Tours Limoges Amiens Metz "
    "Besançon Perpignan Orléans Rouen Caen Nancy Avignon Poitiers Pau Annecy Quimper "
    "Saint-Étienne Saint-Malo Aix-en-Provence Clermont-Ferrand Vannes"
).split()
_TOWNS += ["La Rochelle", "Le Mans", "Le Puy-en-Velay"]
_TITLES = ["Dr", "Maître", "Docteur", "Me"]
# Context and exclude terms: sector vocabulary, as customers would type them.
_CONTEXT = (  # noqa: SIM905
    "pain croissant baguette boulangerie restaurant menu hôtel chambre garage voiture "
    "pharmacie médicament coiffeur salon livre vin fromage service accueil prix bakery "
    "bread room car shop staff dentist pizza cours permis"
).split()
_EXCLUDE = "film série football recrutement emploi offre match movie jobs lottery".split()  # noqa: SIM905


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _name(rng: random.Random) -> tuple[str, str]:
    """One (name, alias) of a random kind."""
    kind = rng.random()
    if kind < 0.3:  # a brand
        word = _word(rng)
        return word + rng.choice(_SUFFIXES), word
    if kind < 0.55:  # a trade, often with its town: "Garage Dubois Nantes"
        shop = f"{rng.choice(_SECTORS)} {rng.choice(_SURNAMES)}"
        if rng.random() < 0.7:
            return f"{shop} {rng.choice(_TOWNS)}", shop
        return f"{shop} {_word(rng)}", shop
    if kind < 0.8:  # a person, and how they are addressed
        first, last = rng.choice(_FIRST), rng.choice(_SURNAMES)
        if rng.random() < 0.5:  # homonyms are told apart by a second name or a town
            last = f"{last}-{rng.choice(_SURNAMES)}" if rng.random() < 0.5 else last
            first = f"{first} {rng.choice(_FIRST)}" if rng.random() < 0.5 else first
        return f"{first} {last}", f"{rng.choice(_TITLES)} {last}"
    word = _word(rng)  # a person's brand: "Jean Kalomé"
    return f"{rng.choice(_FIRST)} {word}", word


def names(count: int, rng: random.Random) -> list[tuple[str, str]]:
    """(name, its alias): company, shop, brand and person names, all different."""
    out, seen = [], set()
    while len(out) < count:
        name, alias = _name(rng)
        key = strip_accents(name).lower()
        if key not in seen:
            seen.add(key)
            out.append((name, alias))
    return out


def make_queries(tracked: list[tuple[str, str]], rng: random.Random) -> list[Query]:
    """Queries as users set them: an alias comes with context terms; query id = index."""
    queries = []
    for i, (name, alias) in enumerate(tracked):
        aliases = [alias] if alias != name and rng.random() < 0.3 else []
        if rng.random() < 0.05:
            name = f'"{name}"'
        queries.append(
            Query(
                id=i,
                names=[name, *aliases],
                context_terms=rng.sample(_CONTEXT, 3) if aliases or rng.random() < 0.2 else [],
                exclude_terms=rng.sample(_EXCLUDE, 2) if rng.random() < 0.1 else [],
                languages=["fr"] if rng.random() < 0.1 else [],
                source_ids=[rng.randint(1, 50)] if rng.random() < 0.05 else [],
            )
        )
    return queries


def make_items(count, french, english, pool, rng, inserted=None) -> list[tuple[str, str, int]]:
    """(text, language, source id): one to three real lines, a name in a third of them.

    `inserted`, a list, receives per item the names put in it: (index in `pool`,
    whether the alias was written rather than the name, the written form).
    """
    items = []
    for _ in range(count):
        lang = "fr" if rng.random() < 0.7 else "en"
        lines = french if lang == "fr" else english
        words = " ".join(rng.choice(lines) for _ in range(rng.randint(1, 3))).split(" ")
        put = []
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
            index = rng.randrange(len(pool))
            name, alias = pool[index]
            by_alias = rng.random() < 0.2
            written = _written(alias if by_alias else name, rng)
            words.insert(rng.randint(0, len(words)), written)
            put.append((index, by_alias, written))
        items.append((" ".join(words), lang, rng.randint(1, 50)))
        if inserted is not None:
            inserted.append(put)
    return items


def _written(name: str, rng: random.Random) -> str:
    """A name as people write it."""
    roll = rng.random()
    if roll < 0.4:
        return name
    if roll < 0.55:
        return name.upper()
    if roll < 0.7:
        return strip_accents(name).lower()
    if roll < 0.8:
        return rng.choice(["l'", "d’", "qu'"]) + name
    return ("#" if roll < 0.9 else "@") + hashtag(name)


def hashtag(name: str) -> str:
    """A name as a hashtag or handle: "Garage Dubois" -> "GarageDubois"."""
    return re.sub(r"[\s'’&.-]", "", strip_accents(name))
