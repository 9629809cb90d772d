"""Email addresses: ONE normalisation, used by login, the login throttle, sign-up,
invitations, password resets and `createorg` (issue 17, point 5).

Before, the throttle lowercased in Python while login matched with the database's
case-insensitive comparison: PostgreSQL's UPPER() turns the dotless "ı" into "I", so
"v-member@vıctim.test" logged into v-member@victim.test's account with a counter of
its own (2ⁿ × 10 tries for an address with n letters "i"). Now every layer compares
`normalise(address)` and nothing else; the database is only asked for candidates.

The rule:
- NFKC, then casefold, for the whole address: fullwidth "ｖ" is "v", "ﬁ" is "fi",
  "Alice" is "alice" (mail providers do not tell local parts apart by case);
- the domain is written in ASCII (IDNA, punycode): "vıctim.test" becomes
  "xn--vctim-n4a.test", which no one takes for victim.test on the members page;
- a local part with anything but ASCII letters is refused where an address is given
  (sign-up, invitations, `valid_address`): look-alikes such as "ı" or a Cyrillic "а"
  would otherwise let an attacker register or invite an address that reads like
  someone else's. Non-ASCII local parts (RFC 6531) are rare in practice and many mail
  servers do not deliver them; a domain in Unicode is accepted, turned to ASCII.
"""

import unicodedata

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _


def _ascii_domain(domain: str) -> str:
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return domain  # not a valid domain: stays as it is, and matches nobody


def normalise(address) -> str:
    """The one form of an address that every comparison uses."""
    text = unicodedata.normalize("NFKC", str(address or "")).strip().casefold()
    local, at, domain = text.rpartition("@")
    if not at:
        return text
    return f"{local}@{_ascii_domain(domain)}"


def valid_address(address) -> str:
    """The normalised address, or ValidationError with a sentence for the person."""
    email = normalise(address)
    local = email.rpartition("@")[0]
    if not local.isascii():
        raise ValidationError(
            _(
                "Write the part before the @ with plain letters (a to z), digits and "
                "punctuation only: letters that look alike could pass for someone "
                "else's address."
            )
        )
    validate_email(email)
    return email


def find_user(address):
    """The account whose address is `address`, once both are normalised, or None.
    The database gives candidates (its case rules differ from ours); Python decides."""
    email = normalise(address)
    if not email:
        return None
    candidates = get_user_model().objects.filter(email__iexact=email).order_by("pk")
    return next((u for u in candidates if normalise(u.email) == email), None)


def masked(value: str) -> str:
    """ "d…@example.org" for "dan@example.org": who it is, without an address to write
    to or collect, for those who only read an organisation's work (viewers). Anything
    else (a person's name) is returned as it is."""
    local, at, domain = str(value).partition("@")
    if not at:
        return str(value)
    return f"{local[:1]}…@{domain}"
