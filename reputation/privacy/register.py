"""The record of processing activities (GDPR art. 30) of one organisation, generated
from what it has set up: its names, followed sources, members, alert channels and
retention. The organisation is the controller; the service is its processor
(art. 30(2) for the service's own record: the same facts, from its side).
"""

import csv
import io
from collections import Counter
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from reputation.alerts.models import Webhook
from reputation.names.models import TrackedName
from reputation.orgs.models import Membership
from reputation.privacy.models import ErasedAuthor, PrivacySettings
from reputation.sources.models import Follow


def _host(url: str) -> str:
    return (urlsplit(url).hostname or url)[:200]


def register(org) -> list[tuple[str, str]]:
    """(heading, text) rows, in the order of art. 30(1)."""
    names = list(TrackedName.objects.filter(organisation=org).values_list("label", flat=True))
    hosts = Counter(
        _host(url)
        for url in Follow.objects.filter(organisation=org).values_list("source__url", flat=True)
    )
    roles = Counter(Membership.objects.filter(organisation=org).values_list("role", flat=True))
    hooks = sorted(
        {
            _host(u)
            for u in Webhook.objects.filter(organisation=org, active=True).values_list(
                "url", flat=True
            )
        }
    )
    months = PrivacySettings.months_of(org)
    erased = ErasedAuthor.objects.filter(organisation=org).count()
    return [
        (_("Controller"), org.name),
        (
            _("Processor"),
            _("%(site)s (hosting, collection and analysis on the controller's instructions)")
            % {"site": settings.SITE_NAME},
        ),
        (
            _("Purposes"),
            _(
                "Monitoring what is publicly said about the following names, to answer "
                "customers and follow the organisation's reputation: %(names)s"
            )
            % {"names": ", ".join(names) or "—"},
        ),
        (_("Legal basis"), _("Legitimate interest (GDPR art. 6(1)(f)); objection honoured")),
        (
            _("Categories of persons"),
            _(
                "Authors of public posts, reviews and articles that mention the names; "
                "members of the organisation (%(members)s)"
            )
            % {"members": ", ".join(f"{role}: {n}" for role, n in sorted(roles.items())) or "—"},
        ),
        (
            _("Categories of data"),
            _(
                "Author names as published, the text and address of their publications, "
                "dates, detected tone and topics; members' email addresses, names and roles"
            ),
        ),
        (
            _("Sources"),
            ", ".join(f"{host} ({n})" for host, n in sorted(hosts.items())) or "—",
        ),
        (
            _("Recipients"),
            _("The organisation's members; alert channels: email%(hooks)s")
            % {"hooks": (", " + ", ".join(hooks)) if hooks else ""},
        ),
        (_("Transfers outside the EU"), _("No transfer")),
        (
            _("Retention"),
            _(
                "Mentions: %(months)s months after publication, then deleted; daily counts "
                "without personal data are kept"
            )
            % {"months": months},
        ),
        (_("People erased on request"), str(erased)),
        (
            _("Security measures"),
            _(
                "Access by role per organisation, encrypted connections, hashed passwords and "
                "invitation tokens, login throttling, audit log of exports, erasures and "
                "role changes, robots.txt respected by the collector"
            ),
        ),
        (_("Generated"), timezone.localtime().strftime("%Y-%m-%d %H:%M")),
    ]


def as_csv(rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("Heading"), _("Content")])
    writer.writerows(rows)
    return buffer.getvalue()


def as_markdown(org, rows) -> str:
    lines = [f"# {_('Record of processing activities')} — {org.name}", ""]
    for heading, text in rows:
        lines += [f"## {heading}", "", text.replace("\n", " "), ""]
    return "\n".join(lines)
