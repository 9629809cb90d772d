from django.core.management.base import BaseCommand, CommandError

from monitoring.models import SourceKind
from monitoring.sources import InvalidSource, follow_source
from monitoring.types import FetchRequest, SourceError
from reputation.models import Organisation, TrackedName


class Command(BaseCommand):
    help = (
        "Make an organisation follow a source URL (shared with others following it). "
        "--discover lists the feeds of a website instead; --preset builds a search feed."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("url", nargs="?", help="the source's address (not with --preset)")
        parser.add_argument("--kind", choices=SourceKind.values, default=SourceKind.FEED)
        parser.add_argument(
            "--selector",
            action="append",
            default=[],
            metavar="KEY=CSS",
            help="html/forum sources: item=, title=, link=, author=, date=, body=, rating=",
        )
        parser.add_argument(
            "--follow-links", action="store_true", help="html sources: read each linked article"
        )
        parser.add_argument(
            "--discover",
            action="store_true",
            help="URL is a website or blog: list its feeds (then add the one you pick)",
        )
        parser.add_argument(
            "--preset",
            metavar="KEY",
            help="a search/alert preset (see docs/presets.md), e.g. google_news, reddit_search",
        )
        parser.add_argument(
            "--name", metavar="LABEL", help="with --preset: search for this tracked name"
        )
        parser.add_argument(
            "--param", action="append", default=[], metavar="KEY=VALUE", help="preset parameter"
        )

    def handle(self, slug, url=None, **opts):
        org = Organisation.objects.filter(slug=slug).first()
        if org is None:
            raise CommandError(f"no organisation {slug!r}")
        if opts["preset"]:
            url, kind = self.preset_url(org, opts), SourceKind.SEARCH
        else:
            kind = opts["kind"]
        if not url:
            raise CommandError("give the source's URL (or --preset)")
        if opts["discover"]:
            return self.discover(url)
        config = dict(self.pairs(opts["selector"], "--selector"))
        if opts["follow_links"]:
            config["follow_links"] = True
        try:
            source, followed = follow_source(org, url, kind, config)
        except InvalidSource as exc:
            raise CommandError(str(exc)) from exc
        state = "now following" if followed else "already following"
        self.stdout.write(f"{org.slug} {state} source {source.pk} {source.url} ({source.kind})")

    @staticmethod
    def pairs(values, option):
        for pair in values:
            key, sep, value = pair.partition("=")
            if not sep or not key.strip() or not value.strip():
                raise CommandError(f"{option} takes KEY=VALUE, got {pair!r}")
            yield key.strip(), value.strip()

    def preset_url(self, org, opts) -> str:
        from monitoring import presets

        params = dict(self.pairs(opts["param"], "--param"))
        if opts["name"]:
            tracked = TrackedName.objects.filter(organisation=org, label=opts["name"]).first()
            if tracked is None:
                raise CommandError(f"{org.slug} does not track {opts['name']!r}")
            params.setdefault("q", presets.query_for(tracked.label, tracked.aliases))
        try:
            return presets.build(opts["preset"], **params)
        except SourceError as exc:
            raise CommandError(exc.message) from exc

    def discover(self, url: str) -> None:
        from monitoring.discover import find_feeds
        from monitoring.fetch import fetch
        from monitoring.parse import decode_html

        result = fetch(FetchRequest(url, accept="text/html, application/xhtml+xml, */*;q=0.5"))
        if not result.ok:
            raise CommandError(f"could not read {url}: {result.error}")
        try:
            feeds = find_feeds(decode_html(result.body, result.headers), result.final_url or url)
        except SourceError as exc:
            raise CommandError(exc.message) from exc
        if not feeds:
            raise CommandError(f"no feed found on {url}; try --kind html with --selector")
        for feed in feeds:
            items = "" if feed.items is None else f" ({feed.items} items)"
            self.stdout.write(f"{feed.url}\t{feed.title}{items}")
