"""Everything an organisation holds, as one zip: `data.json` with every table, and
one CSV per table (GDPR art. 20, and a way out of the service).

Only the organisation's own rows: its members (emails and roles), pending
invitations (never their token), names, follows (with the source's address, never
another follower's settings), mentions with their events, notes and tags, alert
preferences and webhooks, erased people, privacy requests and audit log. CSV cells
go through the spreadsheet-formula rule of reputation/mentions/export.py.
"""

import csv
import io
import json
import zipfile
from datetime import date, datetime, time

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from reputation.accounts.models import Invitation
from reputation.alerts.models import AlertPreference, Webhook
from reputation.inbox.models import MentionEvent, Note, Tag
from reputation.mentions.export import neutralise
from reputation.mentions.models import Mention
from reputation.names.models import TrackedName
from reputation.orgs.models import Membership
from reputation.privacy.models import (
    AuditEvent,
    ErasedAuthor,
    PrivacyRequest,
    PrivacySettings,
)
from reputation.sources.models import Follow


def _plain(value):
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


def tables(org) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    out["organisation"] = [
        {
            "id": str(org.code),
            "slug": org.slug,
            "name": org.name,
            "created": org.created,
            "time_zone": org.time_zone,
            "language": org.language,
            "retention_months": PrivacySettings.months_of(org),
        }
    ]
    members = Membership.objects.filter(organisation=org).select_related("user")
    out["members"] = [
        {
            "email": m.user.email,
            "name": m.user.get_full_name(),
            "role": m.role,
            "since": m.created,
        }
        for m in members.order_by("user__email")
    ]
    out["invitations"] = list(
        Invitation.objects.filter(organisation=org)
        .order_by("created")
        .values("email", "role", "created", "accepted_at")
    )
    out["tracked_names"] = [
        {
            "id": str(t.code),
            "label": t.label,
            "kind": t.kind,
            "aliases": t.aliases,
            "context_terms": t.context_terms,
            "exclude_terms": t.exclude_terms,
            "languages": t.languages,
            "active": t.active,
            "created": t.created,
        }
        for t in TrackedName.objects.filter(organisation=org).order_by("label")
    ]
    out["follows"] = [
        {
            "source": str(f.source.code),
            "url": f.source.url,
            "kind": f.source.kind,
            "name": f.name,
            "preset": f.preset,
            "tracked_name": f.tracked_name.label if f.tracked_name else "",
            "since": f.created,
        }
        for f in Follow.objects.filter(organisation=org)
        .select_related("source", "tracked_name")
        .order_by("created", "pk")
    ]
    mentions = Mention.objects.filter(organisation=org)
    tags: dict[int, list[str]] = {}
    for tag_name, mention_id in Tag.mentions.through.objects.filter(
        tag__organisation=org
    ).values_list("tag__name", "mention_id"):
        tags.setdefault(mention_id, []).append(tag_name)
    out["mentions"] = []
    pks: dict[int, str] = {}
    for m in mentions.select_related("item", "tracked_name", "source").order_by("published", "pk"):
        pks[m.pk] = str(m.code)
        out["mentions"].append({**m.to_dict(), "tags": sorted(tags.get(m.pk, []))})
    out["mention_events"] = [
        {
            "mention": pks.get(e.mention_id, ""),
            "kind": e.kind,
            "user": e.user.email if e.user else "",
            "created": e.created,
            "old": e.old,
            "new": e.new,
        }
        for e in MentionEvent.objects.filter(mention__organisation=org)
        .select_related("user")
        .order_by("created", "pk")
    ]
    out["notes"] = [
        {
            "mention": pks.get(n.mention_id, ""),
            "author": n.author.email if n.author else "",
            "text": n.text,
            "created": n.created,
        }
        for n in Note.objects.filter(mention__organisation=org).select_related("author")
    ]
    out["tags"] = list(Tag.objects.filter(organisation=org).values("name", "created"))
    out["alert_preferences"] = [
        {
            "member": p.membership.user.email,
            "instant": p.instant,
            "spikes": p.spikes,
            "threshold": p.threshold,
            "digest": p.digest,
            "monthly_report": p.monthly_report,
            "quiet_start": p.quiet_start,
            "quiet_end": p.quiet_end,
            "language": p.language,
        }
        for p in AlertPreference.objects.filter(membership__organisation=org).select_related(
            "membership__user"
        )
    ]
    out["webhooks"] = list(
        Webhook.objects.filter(organisation=org).values("url", "kind", "active", "created")
    )
    out["erased_people"] = list(
        ErasedAuthor.objects.filter(organisation=org).values("name", "profile_url", "created")
    )
    out["privacy_requests"] = list(
        PrivacyRequest.objects.filter(organisation=org).values(
            "kind", "name", "email", "profile_url", "message", "created", "due", "status"
        )
    )
    out["audit_log"] = list(
        AuditEvent.objects.filter(organisation=org).values(
            "created", "user_email", "action", "details"
        )
    )
    return {
        name: [{k: _plain(v) for k, v in row.items()} for row in rows] for name, rows in out.items()
    }


def _csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    if not rows:
        return ""
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                k: neutralise(
                    json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v
                )
                for k, v in row.items()
            }
        )
    return buffer.getvalue()


def build_zip(org) -> bytes:
    data = tables(org)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json",
            json.dumps(
                {"exported": timezone.now().isoformat(), **data},
                cls=DjangoJSONEncoder,
                ensure_ascii=False,
                indent=1,
            ),
        )
        for name, rows in data.items():
            archive.writestr(f"{name}.csv", _csv(rows))
    return buffer.getvalue()
