from django.core.management.base import BaseCommand
from django.utils import timezone

from monitoring.models import Source
from monitoring.pipeline.poll import process
from monitoring.sources import kinds
from monitoring.types import FetchResult
from reputation.demo import content as demo
from reputation.names.models import TrackedKind, TrackedName
from reputation.orgs.create import create_organisation
from reputation.sources.follow import follow_source

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "demo"  # noqa: S105 - the documented demo login, local only


class Command(BaseCommand):
    help = (
        "Load the demo organisation 'demo' (a French bakery, its names and competitors) "
        "with offline sources served by this app in DEMO_MODE and 90 days of history. "
        "Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-history", action="store_true", help="skip the 90-day backfill")

    def handle(self, no_history=False, **options):
        # The demo's password is public and short on purpose (printed by `make run`).
        org, _ = create_organisation(
            "demo",
            demo.data.BUSINESS,
            DEMO_EMAIL,
            DEMO_PASSWORD,
            reset_password=True,
            validate=False,
        )
        names = [
            (demo.data.BUSINESS, TrackedKind.BRAND, demo.data.ALIASES + ["#boulangeriedupont"]),
            (demo.data.MANAGER, TrackedKind.PERSON, []),
            (demo.data.PRODUCT, TrackedKind.PRODUCT, []),
        ] + [(c, TrackedKind.COMPETITOR, []) for c in demo.data.COMPETITORS]
        for label, kind, aliases in names:
            TrackedName.objects.update_or_create(
                organisation=org, label=label, defaults={"kind": kind, "aliases": aliases}
            )
        for url, kind, title, config in demo.sources():
            source, _ = follow_source(org, url, kind, config)
            if not source.title:
                source.title = title
                source.save(update_fields=["title"])
        items = mentions = 0
        if not no_history:
            for source in Source.objects.filter(follows__organisation=org):
                ctype = kinds.content_type(source.kind)
                # The same pipeline as a poll, fed with what the URL served in the past.
                for body in demo.history(source.url):
                    result = FetchResult(
                        url=source.url,
                        final_url=source.url,
                        status=200,
                        body=body,
                        headers={"content-type": f"{ctype}; charset=utf-8"},
                    )
                    report = process(source, result)
                    if report.error:
                        self.stderr.write(f"demo source {source.url}: {report.error}")
                    items += report.items_new
                    mentions += report.mentions_new
                # Let the worker poll the live URL as soon as it starts.
                Source.objects.filter(pk=source.pk).update(
                    next_fetch_at=timezone.now(), etag="", last_modified=""
                )
        self.stdout.write(
            f"demo organisation ready: {items} new items, {mentions} new mentions; "
            f"log in as {DEMO_EMAIL} / {DEMO_PASSWORD}"
        )
