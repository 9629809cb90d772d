from django.core.management.base import BaseCommand, CommandError

from monitoring.models import SourceKind
from monitoring.sources import InvalidSource, follow_source
from reputation.models import Organisation


class Command(BaseCommand):
    help = "Make an organisation follow a source URL (shared with others following it)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("url")
        parser.add_argument("--kind", choices=SourceKind.values, default=SourceKind.FEED)
        parser.add_argument(
            "--selector",
            action="append",
            default=[],
            metavar="KEY=CSS",
            help="html/forum sources: item=, title=, link=, author=, date=, body=, rating=",
        )

    def handle(self, slug, url, kind, selector, **options):
        org = Organisation.objects.filter(slug=slug).first()
        if org is None:
            raise CommandError(f"no organisation {slug!r}")
        config = {}
        for pair in selector:
            key, sep, css = pair.partition("=")
            if not sep or not key.strip() or not css.strip():
                raise CommandError(f"--selector takes KEY=CSS, got {pair!r}")
            config[key.strip()] = css.strip()
        try:
            source, followed = follow_source(org, url, kind, config)
        except InvalidSource as exc:
            raise CommandError(str(exc)) from exc
        state = "now following" if followed else "already following"
        self.stdout.write(f"{org.slug} {state} source {source.pk} {source.url} ({source.kind})")
