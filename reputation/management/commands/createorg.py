from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from reputation.orgs.create import Refused, create_organisation


class Command(BaseCommand):
    help = "Create an organisation (or update its name) with an owner who logs in by email."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="short identifier used by the other commands")
        parser.add_argument("--name", required=True, help="display name")
        parser.add_argument("--owner", required=True, metavar="EMAIL", help="owner's email")
        parser.add_argument(
            "--password", help="a new owner's password, checked like any (otherwise unusable)"
        )
        parser.add_argument(
            "--reset-password",
            action="store_true",
            help="also set --password for an owner who already has an account",
        )
        parser.add_argument(
            "--make-owner",
            action="store_true",
            help="make the owner an owner even if they are a member with another role",
        )

    def handle(self, slug, name, owner, password=None, **options):
        if slugify(slug) != slug:
            raise CommandError(f"invalid slug {slug!r}: use lower-case letters, digits and -")
        if "@" not in owner:
            raise CommandError(f"invalid owner email {owner!r}")
        try:
            org, created = create_organisation(
                slug,
                name,
                owner,
                password,
                reset_password=options["reset_password"],
                make_owner=options["make_owner"],
            )
        except ValidationError as exc:
            raise CommandError("password refused: " + " ".join(exc.messages)) from exc
        except Refused as exc:
            raise CommandError(str(exc)) from exc
        verb = "created" if created else "updated"
        self.stdout.write(f"{verb} organisation {org.slug} ({org.name}), owner {owner}")
