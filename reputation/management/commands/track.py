from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from reputation.mentions import history
from reputation.mentions.finding.matchers import query_for
from reputation.names import noise
from reputation.names.models import TrackedKind, TrackedName
from reputation.orgs.models import Organisation
from reputation.security import limits


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
        for name in [label, *opts["alias"]]:
            reason = noise.refusal(name) if name.strip() else None
            if reason:
                raise CommandError(reason)
        try:
            tracked, created = self.save(org, label, opts)
        except limits.LimitReached as exc:
            raise CommandError(exc.message) from exc
        verb = "tracking" if created else "updated"
        self.stdout.write(f"{verb} {tracked.label!r} ({tracked.kind}) for {org.slug}")
        noisy = noise.warning(query_for(tracked))
        if noisy:
            self.stderr.write(noisy)
        # The items already collected are searched before returning: history is never lost.
        scan = history.start(org, tracked=tracked, run_now=True)
        self.stdout.write(f"{scan.found} mentions found in {scan.done} items already collected")

    def save(self, org, label: str, opts) -> tuple[TrackedName, bool]:
        """Create or update the name within the limits the site's form has."""
        terms = settings.NAME_MAX_TERMS
        values = {
            "kind": opts["kind"],
            "aliases": limits.clean_lines(opts["alias"], settings.NAME_MAX_ALIASES),
            "exclude_terms": limits.clean_lines(opts["exclude"], terms),
            "context_terms": limits.clean_lines(opts["context"], terms),
            "languages": [x.strip().lower() for x in opts["lang"] if x.strip()],
        }
        if len(label) > settings.NAME_MAX_LENGTH:
            raise CommandError(f"the label is longer than {settings.NAME_MAX_LENGTH} characters")
        size = limits.patterns(
            label, values["aliases"], values["context_terms"], values["exclude_terms"]
        )
        with transaction.atomic():
            limits.lock(org)
            existing = TrackedName.objects.filter(organisation=org, label=label).first()
            if existing is None:
                limits.check_can_track(org)
            limits.check_patterns(org, size, existing.pk if existing else None)
            return TrackedName.objects.update_or_create(
                organisation=org, label=label, defaults=values
            )
