from django.core.management.base import BaseCommand, CommandError

from monitoring.models import Source, SourceState
from monitoring.pipeline.poll import poll_now
from reputation.sources.models import Follow


class Command(BaseCommand):
    help = (
        "Poll sources now, synchronously, and print the items and mentions created "
        "and which sources failed and why."
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--all", action="store_true", help="every followed source")
        group.add_argument("--source", type=int, action="append", metavar="ID")
        parser.add_argument(
            "--org", metavar="SLUG", help="with --all: only this organisation's sources"
        )

    def handle(self, **opts):
        if opts["all"]:
            followed = Follow.objects.all()
            if opts["org"]:
                followed = followed.filter(organisation__slug=opts["org"])
            sources = Source.objects.filter(pk__in=followed.values("source")).exclude(
                state=SourceState.DISABLED
            )
        else:
            sources = Source.objects.filter(pk__in=opts["source"])
            missing = set(opts["source"]) - set(sources.values_list("pk", flat=True))
            if missing:
                raise CommandError(f"no source with id {', '.join(map(str, sorted(missing)))}")
        sources = list(sources.order_by("pk"))
        reports = poll_now(sources)
        items = sum(r.items_new for r in reports)
        mentions = sum(r.mentions_new for r in reports)
        failed = [r for r in reports if r.error]
        skipped = len(sources) - len(reports)
        for r in reports:
            self.stdout.write(f"source {r.source_id} {r.url}: {self.describe(r)}")
        summary = (
            f"polled {len(reports)} sources: {items} new items, {mentions} new mentions, "
            f"{len(failed)} failed"
        )
        if skipped:
            summary += f", {skipped} skipped (being polled elsewhere)"
        self.stdout.write(summary)

    @staticmethod
    def describe(r) -> str:
        if r.error:
            return f"FAILED: {r.error}"
        if r.not_modified:
            return "not modified"
        return f"{r.items_found} found, {r.items_new} new items, {r.mentions_new} new mentions"
