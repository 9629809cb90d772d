"""Benchmark: a simulated week of alerts, publication -> email.

    python manage.py bench alerts [--size N] [--quick]

N sources (200; --quick: 30 for one day) publish at realistic rhythms, drawn
log-uniformly from four items an hour to one a week; one item in eight names an
organisation that follows the source (60 organisations, one tracked name each),
and 40 % of those are complaints. An HTTP server in this process serves the
feeds as the simulated clock says (ETag, 304 when unchanged) from eight loopback
hosts; a real SMTP server (aiosmtpd) receives the emails. One feed in three
names a local WebSub hub (bench_hub.py): the product subscribes through its own
code, the hub verifies through our callback served over HTTP, and pushes each
item, signed, at the instant it is published; polling goes on as the safety net.

The clock advances one simulated minute at a time; each minute runs what beat
runs: the real scheduler (due sources claimed and polled by the function the
Celery task calls: fetch, parse, store, match, score), the alert scan and the
outbox; the poll caps every five minutes, digests and reports hourly.
`timezone.now` (and the model defaults that use it) read the simulated clock.
Owners keep every default but the severity threshold, set to 0 so that every
complaint is expected in an instant email: the bench measures delivery, not
ranking.

Printed: publication -> email delay (median, 95th percentile, maximum), emails
per organisation and day, duplicates (a complaint in two instant emails to the
same person; goal 0), misses (a complaint never emailed; goal 0), and alerts
about items published before the follow (goal 0); the same delays for pushed
and polled sources apart, and polls per source per day for each. Goals: p95
under 15 min, pushed p95 under 2 min. `ALERT_POLL_INTERVAL=900 python manage.py
bench alerts` measures another cap for polled sources. Misses, duplicates, no
verified subscription or pushes not stored fail the run (BenchFailed).
"""

import email
import email.policy
import logging
import math
import random
import socket
import statistics
import threading
import time
from collections import Counter, defaultdict
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.db.models import Sum

from monitoring.models import Source, SourceKind
from monitoring.pipeline import health, schedule
from monitoring.pipeline.poll import poll_leased
from monitoring.tools.bench_check import BenchFailed, expect
from monitoring.websub import service as websub
from monitoring.websub.models import Subscription
from reputation.alerts import caps, digests, outbox, preferences, scan
from reputation.alerts.models import AlertPreference, Notification
from reputation.names.models import TrackedName
from reputation.orgs.create import create_organisation
from reputation.orgs.models import Organisation
from reputation.reports import scheduled
from reputation.sources.models import Follow
from reputation.tools.bench_hub import hub_and_callback
from reputation.tools.bench_poll import throwaway_database

GOAL_P95_MINUTES = 15
GOAL_PUSHED_P95_MINUTES = 2
# One feed in three names a WebSub hub (bench_hub.py), which pushes its new items.
HUB_EVERY = 3
ORGS = 60
HOSTS = 8
MENTION_SHARE = 1 / 8
NEGATIVE_SHARE = 0.4
TRADES = ["Boulangerie", "Garage", "Fromagerie", "Pharmacie", "Librairie", "Brasserie"]
FAMILIES = [
    "Dupont",
    "Martin",
    "Bernard",
    "Durand",
    "Lefebvre",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Garcia",
]
COMPLAINTS = [
    "Très déçu par {name} : accueil désagréable, je déconseille vivement.",
    "{name} : arnaque, travail bâclé et facture abusive, à fuir absolument.",
    "{name} : personnel odieux et attente interminable, une honte.",
]
PRAISE = ["Excellent accueil chez {name}, produits délicieux, je recommande !"]
NEUTRAL = ["{name} ouvre ses portes samedi, rue de la République."]
FILLER = "Travaux rue Garibaldi : la circulation sera perturbée toute la semaine."


class Clock:
    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@contextmanager
def simulated_time(clock: Clock):
    """timezone.now, and every model field default that is timezone.now, read `clock`."""
    from django.apps import apps
    from django.utils import timezone

    real = timezone.now
    patched = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.default is real:
                field.default = clock
                patched.append(field)
    timezone.now = clock
    try:
        yield
    finally:
        timezone.now = real
        for field in patched:
            field.default = real


# --- the world: who publishes what, when ------------------------------------------------


def plan(sources: int, orgs: int, start: datetime, end: datetime, seed: int = 1):
    """Items of every source over [start - 1 week, end), and which source each org follows."""
    rng = random.Random(seed)
    names = [
        f"{TRADES[i % len(TRADES)]} {FAMILIES[i // len(TRADES) % len(FAMILIES)]}"
        for i in range(orgs)
    ]
    followers = {s: rng.sample(range(orgs), 2 if rng.random() < 0.2 else 1) for s in range(sources)}
    items: dict[int, list[dict]] = {}
    for s in range(sources):
        per_hour = math.exp(rng.uniform(math.log(1 / 168), math.log(4)))
        t, feed = start - timedelta(days=7), []
        while True:
            t += timedelta(hours=rng.expovariate(per_hour))
            if t >= end:
                break
            item = {
                "id": f"s{s}-{len(feed)}",
                "published": t,
                "title": FILLER,
                "org": None,
                "tone": "none",
            }
            if rng.random() < MENTION_SHARE:
                org = rng.choice(followers[s])
                tone = (
                    "negative"
                    if rng.random() < NEGATIVE_SHARE
                    else rng.choice(["positive", "neutral"])
                )
                pool = {"negative": COMPLAINTS, "positive": PRAISE, "neutral": NEUTRAL}[tone]
                item.update(
                    org=org,
                    tone=tone,
                    title=f"{rng.choice(pool).format(name=names[org])} [{item['id']}]",
                )
            feed.append(item)
        items[s] = feed
    return names, followers, items


class FeedServer(ThreadingHTTPServer):
    daemon_threads = True


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802
        srv = self.server
        try:
            s = int(self.path.rsplit("/", 1)[-1].split(".")[0])
            srv.items[s]
        except (ValueError, KeyError):
            self._send(404, b"", {})
            return
        etag, body = srv.world.render(s, srv.clock.now)
        if self.headers.get("If-None-Match") == etag:
            self._send(304, b"", {"ETag": etag})
            return
        self._send(200, body, {"ETag": etag, "Content-Type": "application/rss+xml"})

    def _send(self, status, body, headers):
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class World:
    """What each feed says at a given simulated time; a share of them name a hub."""

    def __init__(self, items):
        self.items = items
        self.hub_url = ""
        self.urls: dict[int, str] = {}

    def pushed(self, s: int) -> bool:
        return s % HUB_EVERY == 0

    def render(self, s: int, now) -> tuple[str, bytes]:
        visible = [i for i in self.items[s] if i["published"] <= now][-20:]
        etag = f'"{s}-{len(visible)}-{visible[-1]["id"] if visible else ""}"'
        entries = "".join(
            f"<item><title>{escape(i['title'])}</title>"
            f"<link>https://news{s % 50}.example.org/{i['id']}</link><guid>{i['id']}</guid>"
            f"<pubDate>{format_datetime(i['published'])}</pubDate>"
            f"<description>{escape(i['title'])}</description></item>"
            for i in reversed(visible)
        )
        hub = (
            f'<atom:link rel="hub" href="{self.hub_url}"/>'
            f'<atom:link rel="self" href="{self.urls[s]}"/>'
            if self.pushed(s) and self.hub_url
            else ""
        )
        body = (
            '<?xml version="1.0" encoding="utf-8"?>'
            '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
            f"<title>Source {s}</title><link>https://news{s % 50}.example.org/</link>"
            f"{hub}{entries}</channel></rss>"
        ).encode()
        return etag, body


@contextmanager
def feed_servers(clock: Clock, world: World):
    servers = []
    for h in range(HOSTS):
        srv = FeedServer((f"127.0.0.{2 + h}", 0), _Handler)
        srv.clock, srv.items, srv.world = clock, world.items, world
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        servers.append(srv)
    try:
        yield [srv.server_address for srv in servers]
    finally:
        for srv in servers:
            srv.shutdown()
            srv.server_close()


class Inbox:
    """The SMTP server's handler: every email with the simulated time it arrived."""

    def __init__(self, clock: Clock):
        self.clock = clock
        self.received: list[tuple[datetime, str, object]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append((self.clock.now, str(message["To"]), message))
        return "250 OK"


# --- the run -------------------------------------------------------------------------


def build(names, followers, addresses, start, world: World) -> dict[int, int]:
    """The organisations, their names, the sources and follows; returns source pk -> s."""
    orgs = []
    for i, name in enumerate(names):
        org, _ = create_organisation(f"org{i}", name, f"owner{i}@example.org")
        Organisation.objects.filter(pk=org.pk).update(created=start - timedelta(days=60))
        TrackedName.objects.create(organisation=org, label=name)
        orgs.append(org)
    index = {}
    for s, following in followers.items():
        host, port = addresses[s % len(addresses)]
        world.urls[s] = f"http://{host}:{port}/feed/{s}.xml"
        source = Source.objects.create(url=world.urls[s], kind=SourceKind.FEED, next_fetch_at=start)
        index[source.pk] = s
        for i in following:
            Follow.objects.create(organisation=orgs[i], source=source, created=start)
    preferences.ensure_all()
    AlertPreference.objects.update(threshold=0)
    return index


def simulate(clock: Clock, end: datetime, out, hub, world: World, index) -> dict:
    from django.conf import settings

    polls, minute = Counter(), 0
    topics = {world.urls[s]: (s, world.items[s]) for s in world.urls if world.pushed(s)}
    started = time.perf_counter()
    while clock.now < end:
        # The hub: what it was asked to verify last minute, then the items published
        # this minute, pushed at their own instant (the clock ends at the minute).
        hub.verify_pending()
        hub.push_published(topics, clock.now, clock.now + timedelta(minutes=1))
        minute += 1
        if minute % 5 == 1:
            caps.refresh()
        ids = list(Source.objects.due(clock.now).values_list("pk", flat=True))
        for i in range(0, len(ids), settings.POLL_DISPATCH_BATCH):
            poll_leased(Source.objects.claim(ids[i : i + settings.POLL_DISPATCH_BATCH], clock.now))
        polls.update("pushed" if world.pushed(index[pk]) else "polled" for pk in ids)
        websub.maintain()  # beat's websub-maintain: subscribe, renew, unsubscribe
        scan.scan()
        outbox.send_due()
        if minute % 60 == 0:
            digests.create_due()
            scheduled.create_due()
            outbox.send_due()
        if minute % (24 * 60) == 0:
            out(
                f"  day {minute // 1440}: {polls.total()} polls, "
                f"{time.perf_counter() - started:.0f} s"
            )
    sources = Counter("pushed" if world.pushed(s) else "polled" for s in world.urls)
    per_day = {
        kind: polls[kind] / max(1, sources[kind]) / (minute / 1440) for kind in ("pushed", "polled")
    }
    return {
        "polls": polls.total(),
        "polls_per_source_day": per_day,
        "polls_per_source_day_all": polls.total() / max(1, len(world.urls)) / (minute / 1440),
        "seconds": time.perf_counter() - started,
        "hub": hub,
        **intervals(),
    }


def intervals() -> dict:
    """The baseline: what the adaptive schedule alone would ask for (half the usual gap
    between items, within the bounds) against what the cap holds the sources to."""
    held, own, actual = 0, [], []
    for source in Source.objects.all():
        gap = health.usual_gap(health.recent_published(source))
        wanted = schedule.clamp(gap.total_seconds() / 2) if gap else source.interval
        own.append(wanted / 60)
        actual.append(source.interval / 60)
        held += bool(source.max_interval and wanted > source.max_interval)
    return {"held": held, "own": own, "actual": actual}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def tally(inbox: Inbox, items, names, start: datetime, end: datetime, world: World) -> dict:
    import re

    owners = {f"owner{i}@example.org": i for i in range(len(names))}
    published = {i["id"]: i for feed in items.values() for i in feed}
    seen: dict[tuple[str, str], list[datetime]] = defaultdict(list)
    per_day: Counter = Counter()
    days = max(1, round((end - start).total_seconds() / 86400))
    for at, to, message in inbox.received:
        # Simulated day of the run (the grace hours after the end count in the last).
        per_day[(to, min(days - 1, int((at - start).total_seconds() // 86400)))] += 1
        if message["X-Alert-Kind"] != "instant":
            continue
        body = message.get_body(preferencelist=("plain",)).get_content()
        for item_id in set(re.findall(r"\[(s\d+-\d+)\]", body)):
            seen[(to, item_id)].append(at)
    expected = {
        (f"owner{i['org']}@example.org", i["id"]): i["published"]
        for i in published.values()
        if i["tone"] == "negative" and start <= i["published"] < end
    }
    delays, apart = [], {"pushed": [], "polled": []}
    for key, when in expected.items():
        if key in seen:
            delay = (seen[key][0] - when).total_seconds() / 60
            delays.append(delay)
            s = int(key[1][1:].split("-")[0])
            apart["pushed" if world.pushed(s) else "polled"].append(delay)
    org_days = [per_day[(owner, d)] for owner in owners for d in range(days)]
    return {
        "expected": len(expected),
        "delivered": len(delays),
        "misses": len(expected) - len(delays),
        "duplicates": sum(len(v) - 1 for v in seen.values()),
        "before_follow": sum(1 for (_, i) in seen if published[i]["published"] < start),
        "unexpected": sum(
            1 for key in seen if key not in expected and published[key[1]]["published"] >= start
        ),
        "delays": delays,
        "apart": apart,
        "emails": len(inbox.received),
        "per_org_day": statistics.mean(org_days) if org_days else 0.0,
        "max_org_day": max(org_days, default=0),
        "orgs": Organisation.objects.count(),
    }


def run(out, size=None, quick=False, **_):
    try:
        # A test dependency (pyproject's [test] extra): a real SMTP server receives
        # the alerts. Imported here so that the other benchmarks run without it.
        from aiosmtpd.controller import Controller
    except ImportError as exc:
        raise BenchFailed(
            f"bench alerts needs the package {exc.name or 'aiosmtpd'} (its SMTP server "
            "receives the emails), a test dependency: run `make install`, or "
            "`.venv/bin/pip install -e '.[test]'`"
        ) from exc
    from django.test import override_settings

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd: every command
    sources = size or (30 if quick else 200)
    days = 1 if quick else 7
    orgs = min(ORGS, max(2, sources // 3))
    # A Monday at midnight in Paris: the weekly digest goes out during the run.
    start = datetime(2026, 3, 1, 23, 0, tzinfo=UTC)
    end = start + timedelta(days=days)
    names, followers, items = plan(sources, orgs, start, end)
    world = World(items)
    complaints = sum(
        1 for f in items.values() for i in f if i["tone"] == "negative" and i["published"] >= start
    )
    out(
        f"alerts bench: {sources} sources, {orgs} organisations, {days} simulated day(s), "
        f"{sum(len(f) for f in items.values())} items, "
        f"{complaints} complaints"
    )
    clock = Clock(start)
    inbox = Inbox(clock)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    smtp = Controller(inbox, hostname="127.0.0.1", port=port)
    smtp.start()
    try:
        with (
            override_settings(
                DEBUG=False,
                FETCH_ALLOW_PRIVATE_ADDRESSES=True,
                FETCH_RESPECT_ROBOTS=False,
                EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                EMAIL_HOST="127.0.0.1",
                EMAIL_PORT=port,
                EMAIL_USE_TLS=False,
                EMAIL_USE_SSL=False,
                EMAIL_HOST_USER="",
                EMAIL_HOST_PASSWORD="",
                # Our callback is served over plain HTTP on 127.0.0.1 (bench_hub.py).
                SECURE_SSL_REDIRECT=False,
                ALLOWED_HOSTS=["127.0.0.1"],
                WEBSUB_ENABLED=True,
            ),
            feed_servers(clock, world) as addresses,
            throwaway_database(),
            simulated_time(clock),
            hub_and_callback(lambda s, now: world.render(s, now)[1], clock) as (hub, site),
            override_settings(SITE_ROOT=site),
        ):
            world.hub_url = hub.url
            index = build(names, followers, addresses, start, world)
            run_info = simulate(clock, end + timedelta(hours=2), out, hub, world, index)
            result = tally(inbox, items, names, start, end, world)
            stored = Subscription.objects.aggregate(
                pushes=Sum("pushes"), refused=Sum("refused_pushes")
            )

            recorded = [
                d / 60
                for d in Notification.objects.filter(delay__isnull=False).values_list(
                    "delay", flat=True
                )
            ]
    finally:
        smtp.stop()
    # Fine delays of no email at all would mean nothing was measured.
    expect(result["expected"] > 0, "no complaint was planned: nothing to measure")
    expect(result["delivered"] > 0, f"none of {result['expected']} complaints was emailed")
    # What was measured must be what was meant: every complaint emailed once, and the
    # pushed sources really pushed (else their figures are those of polling).
    expect(result["misses"] == 0, f"{result['misses']} complaints were never emailed")
    expect(result["duplicates"] == 0, f"{result['duplicates']} complaints were emailed twice")
    hub = run_info["hub"]
    expect(hub.verified > 0, "no WebSub subscription was verified: nothing was pushed")
    expect(hub.push_failures == 0, f"our callback refused {hub.push_failures} pushes")
    expect(
        (stored["pushes"] or 0) == hub.pushed and not stored["refused"],
        f"the hub pushed {hub.pushed} times, the subscriptions recorded {stored}",
    )
    report(out, result, run_info, recorded)
    return result


def report(out, r: dict, run_info: dict, recorded: list[float]) -> None:
    from django.conf import settings

    delays = r["delays"] or [0.0]
    p50, p95, worst = statistics.median(delays), percentile(delays, 0.95), max(delays)
    out(f"polls: {run_info['polls']} in {run_info['seconds']:.0f} s of real time")
    own, actual = run_info["own"] or [0.0], run_info["actual"] or [0.0]
    out(
        f"poll intervals at the end: median {statistics.median(actual):.0f} min, max "
        f"{max(actual):.0f} min; {run_info['held']} of {len(actual)} sources held by the cap, "
        f"where their own rhythm alone asks for up to {max(own) / 60:.1f} h (median "
        f"{statistics.median(own):.0f} min)"
    )
    out(
        f"complaints: {r['expected']} expected, {r['delivered']} emailed, "
        f"misses {r['misses']}, duplicates {r['duplicates']}, "
        f"alerts on items published before the follow {r['before_follow']}, "
        f"alerts on items written as praise or neutral {r['unexpected']}"
    )
    out(
        f"publication -> email: median {p50:.1f} min, p95 {p95:.1f} min, max {worst:.1f} min"
        f" (goal p95 < {GOAL_P95_MINUTES} min)"
    )
    apart = {k: v or [0.0] for k, v in r["apart"].items()}
    for kind, goal in (("pushed", GOAL_PUSHED_P95_MINUTES), ("polled", None)):
        d = apart[kind]
        out(
            f"  {kind} sources: {len(r['apart'][kind])} complaints, median "
            f"{statistics.median(d):.1f} min, p95 {percentile(d, 0.95):.1f} min, max "
            f"{max(d):.1f} min" + (f" (goal p95 < {goal} min)" if goal else "")
        )
    per_day = run_info["polls_per_source_day"]
    hub = run_info["hub"]
    out(
        f"polls per source per day: {run_info['polls_per_source_day_all']:.1f} on average "
        f"(pushed {per_day['pushed']:.1f}, polled {per_day['polled']:.1f}; alert cap "
        f"ALERT_POLL_INTERVAL={settings.ALERT_POLL_INTERVAL} s, safety net of pushed sources "
        f"WEBSUB_POLL_INTERVAL={settings.WEBSUB_POLL_INTERVAL} s)"
    )
    out(
        f"websub: {hub.requests} requests to the hub, {hub.verified} verified, "
        f"{hub.pushed} pushes, {hub.push_failures} refused"
    )
    if recorded:
        out(
            f"recorded per notification (oldest mention -> sent): median "
            f"{statistics.median(recorded):.1f} min, p95 {percentile(recorded, 0.95):.1f} min"
        )
    out(
        f"emails: {r['emails']} in all, {r['per_org_day']:.2f} per organisation per day "
        f"(at most {r['max_org_day']} in a day)"
    )
    pushed_p95 = percentile(apart["pushed"], 0.95)
    ok = (
        p95 < GOAL_P95_MINUTES
        and pushed_p95 < GOAL_PUSHED_P95_MINUTES
        and r["misses"] == 0
        and r["duplicates"] == 0
    )
    out(
        f"summary: p95 {p95:.2f} min (goal < {GOAL_P95_MINUTES}), pushed p95 "
        f"{pushed_p95:.2f} min (goal < {GOAL_PUSHED_P95_MINUTES}), "
        f"{run_info['polls_per_source_day_all']:.1f} polls/source/day, misses {r['misses']}, "
        f"duplicates {r['duplicates']}, {r['per_org_day']:.2f} emails/org/day: "
        f"{'goal met' if ok else 'goal NOT met'}"
    )
