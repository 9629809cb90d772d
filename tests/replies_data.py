"""Mentions for the replies tests, with what their source said."""

from reputation.mentions.models import Mention
from tests.alerts_data import followed_source, mention, tracked


def said(org, source=None, **fields) -> Mention:
    """A mention of the org with these fields as its source said them."""
    m = mention(org, source or followed_source(org), tracked(org))
    defaults = {"snippet": "Boulangerie Dupont : rien à dire.", "highlights": [[0, 18]]}
    for key, value in {**defaults, **fields}.items():
        setattr(m, key, value)
    m.save()
    m.organisation = org
    return m
