from django.core.management.base import BaseCommand, CommandError

from reputation.mentions import history
from reputation.names.models import TrackedKind, TrackedName
from reputation.orgs.models import Organisation


class Command(BaseCommand):
    help = "Track a name for an organisation (created, or updated when LABEL exists)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("label")
        parser.add_argument("--kind", choices=TrackedKind.values, default=TrackedKind.BRAND)
        parser.add_argument("--alias", action="append", default=[], help="repeatable")
        parser.add_argument("--exclude", action="append", default=[], help="repeatable")
        parser.add_argument(
            "--context", action="append", default=[], help="repeatable: one must also appear"
        )
        parser.add_argument(
            "--lang", action="append", default=[], help="repeatable: only these languages"
        )

    def handle(self, slug, label, **opts):
        org = Organisation.objects.filter(slug=slug).first()
        if org is None:
            raise CommandError(f"no organisation {slug!r}")
        label = label.strip()
        if not label:
            raise CommandError("the label is empty")
        tracked, created = TrackedName.objects.update_or_create(
            organisation=org,
            label=label,
            defaults={
                "kind": opts["kind"],
                "aliases": [a.strip() for a in opts["alias"] if a.strip()],
                "exclude_terms": [t.strip() for t in opts["exclude"] if t.strip()],
                "context_terms": [t.strip() for t in opts["context"] if t.strip()],
                "languages": [x.strip().lower() for x in opts["lang"] if x.strip()],
            },
        )
        verb = "tracking" if created else "updated"
        self.stdout.write(f"{verb} {tracked.label!r} ({tracked.kind}) for {org.slug}")
        # The items already collected are searched before returning: history is never lost.
        scan = history.start(org, tracked=tracked, run_now=True)
        self.stdout.write(f"{scan.found} mentions found in {scan.done} items already collected")
