"""WebSub, the subscriber's side: subscribe, renew, unsubscribe, receive pushes.

`maintain()` runs every minute (beat): it subscribes to the hubs of the feeds
somebody follows, renews leases before they end, retries what failed, and
unsubscribes from the feeds nobody follows any more. `receive()` takes a push the
callback view checked, and hands it to the poll's own pipeline (poll.ingest), so
a pushed item becomes a sighting, a mention and an alert exactly as a polled one.
Polling goes on as the safety net (Source.record_success: WEBSUB_POLL_INTERVAL).
"""

import logging

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from monitoring.models import Source, SourceState
from monitoring.net.fetch import FetchError
from monitoring.net.form import post_form
from monitoring.pipeline import consumers
from monitoring.pipeline.poll import PollReport, ingest
from monitoring.types import FetchResult
from monitoring.websub.models import Mode, State, Subscription

log = logging.getLogger(__name__)


def _wanted(qs):
    wanted = consumers.wanted_filter()
    return qs.filter(wanted) if wanted is not None else qs


def maintain(now=None) -> dict[str, int]:
    """One round of subscription upkeep; returns how many requests of each mode it sent."""
    if not settings.WEBSUB_ENABLED:
        return {}
    now = now or timezone.now()
    sent = {"subscribe": 0, "unsubscribe": 0}
    followed = _wanted(Source.objects.filter(state=SourceState.ACTIVE)).exclude(hub="")
    for source in followed.filter(websub__isnull=True).exclude(topic="")[:200]:
        sub = Subscription.objects.create(source=source, hub=source.hub, topic=source.topic)
        sent["subscribe"] += request(sub, Mode.SUBSCRIBE, now)
    followed_ids = followed.values("pk")
    # A feed that moved to another hub (or topic) is subscribed to there.
    moved = (
        Subscription.objects.filter(source__in=followed_ids)
        .exclude(state=State.DENIED)
        .exclude(hub=F("source__hub"), topic=F("source__topic"))
    )
    for sub in moved.select_related("source")[:200]:
        sub.hub, sub.topic, sub.state = sub.source.hub, sub.source.topic, State.REQUESTED
        sent["subscribe"] += request(sub, Mode.SUBSCRIBE, now)
    # Leases near their end, requests to retry, and feeds followed again after an end.
    renew = Subscription.objects.to_renew(now) | Subscription.objects.to_retry(now)
    for sub in renew.filter(source__in=followed_ids)[:200]:
        sent["subscribe"] += request(sub, Mode.SUBSCRIBE, now)
    # Nobody follows these any more: the hub stops pushing (and stops the lease).
    orphans = Subscription.objects.to_end(now).exclude(source__in=followed_ids)
    for sub in orphans[:200]:
        sent["unsubscribe"] += request(sub, Mode.UNSUBSCRIBE, now)
    return sent


def request(sub: Subscription, mode: str, now=None) -> int:
    """Send a (un)subscription request to the hub; 1 when the hub accepted it (2xx).

    The hub's address passes the fetcher's checks (post_form): a feed naming a hub on
    a private address gets no request from us unless private addresses are allowed.
    """
    fields = {
        "hub.mode": mode,
        "hub.topic": sub.topic,
        "hub.callback": sub.callback_url(),
    }
    if mode == Mode.SUBSCRIBE:
        fields["hub.secret"] = sub.secret
        fields["hub.lease_seconds"] = str(settings.WEBSUB_LEASE_SECONDS)
    # Pending before the request leaves: the hub may verify before it even answers.
    sub.requested(mode, now)
    try:
        answer = post_form(sub.hub, fields)
    except FetchError as exc:
        log.info("websub %s to %s failed: %s", mode, sub.hub, exc.message)
        sub.failed(exc.message, now)
        return 0
    if not 200 <= answer.status < 300:
        reason = answer.body.decode("utf-8", "replace")[:200]
        sub.failed(f"the hub answered {answer.status} {reason}".strip(), now)
        return 0
    return 1


def receive(
    sub: Subscription, body: bytes, content_type: str, signature: str, link: str = ""
) -> PollReport | None:
    """A push the callback view read (bounded): stored through the poll's pipeline if
    it carries our secret's signature, ignored (and counted) otherwise."""
    if not sub.accepts_pushes() or not sub.signature_ok(signature, body):
        log.warning(
            "websub push to subscription %s ignored: %s",
            sub.pk,
            "bad or missing signature" if sub.accepts_pushes() else f"state {sub.state}",
        )
        sub.record_push(accepted=False)
        return None
    sub.record_push(accepted=True)
    source = sub.source
    # What a poll would have fetched; the validators stay those of the last poll.
    result = FetchResult(
        url=source.url,
        final_url=sub.topic,
        status=200,
        body=body,
        headers={
            "content-type": content_type,
            "etag": source.etag,
            "last-modified": source.last_modified,
            # The hub names itself and the topic (spec 7); a hub that does not is
            # taken as still ours, so that a push never unsubscribes the feed.
            "link": link or f'<{sub.hub}>; rel="hub", <{sub.topic}>; rel="self"',
        },
    )
    return ingest(source, result)
