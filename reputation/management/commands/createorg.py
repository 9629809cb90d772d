from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from reputation.orgs.create import create_organisation


class Command(BaseCommand):
    help = "Create an organisation (or update its name) with an owner who logs in by email."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="short identifier used by the other commands")
        parser.add_argument("--name", required=True, help="display name")
        parser.add_argument("--owner", required=True, metavar="EMAIL", help="owner's email")
        parser.add_argument("--password", help="owner's password (otherwise unusable)")

    def handle(self, slug, name, owner, password=None, **options):
        if slugify(slug) != slug:
            raise CommandError(f"invalid slug {slug!r}: use lower-case letters, digits and -")
        if "@" not in owner:
            raise CommandError(f"invalid owner email {owner!r}")
        org, created = create_organisation(slug, name, owner, password)
        verb = "created" if created else "updated"
        self.stdout.write(f"{verb} organisation {org.slug} ({org.name}), owner {owner}")
