from django.core.management.base import BaseCommand, CommandError

from reputation.dashboard import rollups
from reputation.orgs.models import Organisation


class Command(BaseCommand):
    help = (
        "Recompute the dashboard's daily counts from the mentions (repair, or after "
        "an upgrade). Without SLUG: every organisation."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", nargs="?")

    def handle(self, slug=None, **options):
        orgs = Organisation.objects.all()
        if slug:
            orgs = orgs.filter(slug=slug)
            if not orgs.exists():
                raise CommandError(f"no organisation {slug!r}")
        for org in orgs:
            n = rollups.rebuild(org)
            self.stdout.write(f"{org.slug}: {n} mentions counted")
