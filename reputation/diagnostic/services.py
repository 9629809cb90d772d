"""The diagnostic's rules, asked by its views, its tasks and the sign-up:

- start: a visitor asks (rate-limited per client address and per name), the work is
  queued for a worker;
- run: the worker collects, scores and stores the small result document;
- purge: what nobody signed up from is deleted after RETENTION;
- hold / adopt: a sign-up started from a diagnostic keeps it alive until confirmed,
  then its organisation tracks the name and follows the sources found.

Nothing here imports the sign-up (reputation/accounts calls in, never the reverse).
"""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from monitoring.matching.folding import fold
from monitoring.types import SourceError
from reputation.diagnostic import advice, collect, score
from reputation.diagnostic.models import Diagnostic
from reputation.mentions import history
from reputation.mentions.relearn import enqueue
from reputation.names.models import TrackedName
from reputation.security import rates
from reputation.security.limits import LimitReached, check_can_follow, check_can_track, lock
from reputation.sources.follow import follow_source

log = logging.getLogger(__name__)

RUN = "reputation.diagnostic.tasks.run_diagnostic"
TOP_SITES = 5


def start(name: str, town: str, website: str, language: str, client: str) -> Diagnostic:
    """Record a diagnostic and queue it once committed; RateLimited past the hourly
    limits (a refused try counts too)."""
    rates.check(
        _("Too many diagnostics this hour: try again later."),
        ("diagnostic-client", client, rates.limit("diagnostic_per_client")),
        ("diagnostic-name", " ".join(fold(name).split()), rates.limit("diagnostic_per_name")),
    )
    diagnostic = Diagnostic.objects.create(
        name=name, town=town, website=website or "", language=language
    )
    transaction.on_commit(lambda: enqueue(RUN, diagnostic.pk))
    return diagnostic


def run(pk: int) -> None:
    diagnostic = Diagnostic.objects.filter(pk=pk).first()
    if diagnostic is None or diagnostic.is_finished or diagnostic.is_expired:
        return
    diagnostic.report(Diagnostic.RUNNING, 5, "searching")

    def progress(percent: int, step: str) -> None:
        diagnostic.report(Diagnostic.RUNNING, percent, step)

    try:
        found = collect.collect(
            diagnostic.name,
            diagnostic.town,
            diagnostic.website,
            diagnostic.language,
            progress,
        )
    except Exception:  # the visitor gets a sentence, the log the traceback
        log.exception("diagnostic %s failed", diagnostic.pk)
        diagnostic.state, diagnostic.error = Diagnostic.FAILED, "internal"
    else:
        diagnostic.result = result_of(diagnostic, found)
        diagnostic.state = Diagnostic.DONE
    diagnostic.progress, diagnostic.step = 100, ""
    diagnostic.finished = timezone.now()
    diagnostic.save(update_fields=["result", "state", "error", "progress", "step", "finished"])


def result_of(diagnostic: Diagnostic, found: collect.Findings, now=None) -> dict:
    result = {
        "website": diagnostic.website,
        "mentions": found.mentions,
        "tone": score.tone_split(found.mentions),
        "sites": score.sites(found.mentions)[:TOP_SITES],
        "reviews": {
            "count": found.reviews,
            "read": found.read_reviews,
            "average": found.average,
            "answered": found.answered,
        },
        "feeds": found.feeds,
        "follow": found.follow,
        "errors": found.errors,
    }
    factors = score.factors(
        found.mentions, found.reviews, found.average, found.answered, found.read_reviews, now
    )
    result["factors"] = score.as_dicts(factors)
    result["score"] = score.total(factors)
    result["advice"] = advice.choose(result, now)
    return result


def purge(now=None) -> int:
    """Delete the diagnostics past their expiry that no organisation keeps."""
    deleted, _by_model = Diagnostic.objects.expired(now).delete()
    return deleted


def hold(code, until) -> None:
    """Keep a diagnostic until `until` (a sign-up waiting for its confirmation)."""
    if code:
        Diagnostic.objects.filter(code=code, organisation=None, expires__lt=until).update(
            expires=until
        )


@transaction.atomic
def adopt(code, organisation) -> TrackedName | None:
    """The new organisation of a confirmed sign-up takes the diagnostic over: it
    tracks the name and follows the sources the diagnostic found, within its limits;
    the items already collected are searched for the name."""
    if not code:
        return None
    diagnostic = Diagnostic.objects.select_for_update().filter(code=code, organisation=None).first()
    if diagnostic is None or diagnostic.is_expired:
        return None
    lock(organisation)
    try:
        check_can_track(organisation)
    except LimitReached:
        return None
    # Its town and website too: the sources found for the name (the first page
    # after the sign-up) use them.
    tracked, _created = TrackedName.objects.get_or_create(
        organisation=organisation,
        label=diagnostic.name[:200],
        defaults={"town": diagnostic.town[:100], "website": diagnostic.website},
    )
    for place in (diagnostic.result or {}).get("follow", []):
        try:
            check_can_follow(organisation)
            follow_source(
                organisation,
                place["url"],
                place["kind"],
                place.get("config") or {},
                preset=place.get("preset", ""),
                tracked=tracked,
            )
        except LimitReached:
            break
        except (SourceError, KeyError):
            continue  # an address the sources page would refuse too
    diagnostic.organisation = organisation
    diagnostic.save(update_fields=["organisation"])
    history.start(organisation, tracked=tracked)
    return tracked
