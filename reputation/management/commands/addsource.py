from django.core.management.base import BaseCommand, CommandError

from monitoring.models import SourceKind
from monitoring.sources import presets, preview
from monitoring.types import SourceError
from reputation.mentions import history
from reputation.names.models import TrackedName
from reputation.orgs.models import Organisation
from reputation.sources.follow import follow_source


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
        tracked = None
        if opts["preset"]:
            tracked = self.tracked(org, opts["name"])
            url, kind = self.preset_url(tracked, opts), SourceKind.SEARCH
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
            source, followed = follow_source(
                org, url, kind, config, preset=opts["preset"] or "", tracked=tracked
            )
        except SourceError as exc:
            raise CommandError(str(exc.message)) from exc
        state = "now following" if followed else "already following"
        self.stdout.write(f"{org.slug} {state} source {source.pk} {source.url} ({source.kind})")
        if followed:
            # What this source brought before (another organisation may poll it already).
            scan = history.start(org, source=source, run_now=True)
            self.stdout.write(f"{scan.found} mentions found in {scan.done} items already collected")

    @staticmethod
    def pairs(values, option):
        for pair in values:
            key, sep, value = pair.partition("=")
            if not sep or not key.strip() or not value.strip():
                raise CommandError(f"{option} takes KEY=VALUE, got {pair!r}")
            yield key.strip(), value.strip()

    @staticmethod
    def tracked(org, label):
        if not label:
            return None
        tracked = TrackedName.objects.filter(organisation=org, label=label).first()
        if tracked is None:
            raise CommandError(f"{org.slug} does not track {label!r}")
        return tracked

    def preset_url(self, tracked, opts) -> str:
        # The same rule as the web page: the tracked name's spellings and languages.
        params = dict(self.pairs(opts["param"], "--param"))
        try:
            return presets.url_for(
                opts["preset"],
                names=tracked.names if tracked else (),
                languages=tracked.languages if tracked else (),
                **params,
            )
        except SourceError as exc:
            raise CommandError(str(exc.message)) from exc

    def discover(self, url: str) -> None:
        # The same rule as the web page: an address that is itself a feed is offered.
        try:
            feeds = preview.discover(url)
        except SourceError as exc:
            raise CommandError(f"could not read {url}: {exc.message}") from exc
        if not feeds:
            raise CommandError(f"no feed found on {url}; try --kind html with --selector")
        for feed in feeds:
            items = "" if feed.items is None else f" ({feed.items} items)"
            self.stdout.write(f"{feed.url}\t{feed.title}{items}")
