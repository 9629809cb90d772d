import json

from django.core.management.base import BaseCommand, CommandError

from reputation.mentions.export import mention_rows, parse_since
from reputation.orgs.models import Organisation


class Command(BaseCommand):
    help = "Write an organisation's mentions as JSON lines on standard output."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--since", help="only mentions published on or after this ISO date")

    def handle(self, slug, since=None, **options):
        org = Organisation.objects.filter(slug=slug).first()
        if org is None:
            raise CommandError(f"no organisation {slug!r}")
        if since:
            try:
                parse_since(since)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
        for row in mention_rows(org, since=since):
            self.stdout.write(json.dumps(row, ensure_ascii=False))
