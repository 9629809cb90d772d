from django.core.management.base import BaseCommand, CommandError

from monitoring.tools.bench_check import BenchFailed
from reputation.tools import bench


class Command(BaseCommand):
    help = "Run a benchmark and print its figures (last line: summary). Names: " + ", ".join(
        bench.NAMES
    )

    def add_arguments(self, parser):
        parser.add_argument("name", choices=bench.NAMES)
        parser.add_argument("--size", type=int, default=None, help="override the workload size")
        parser.add_argument("--quick", action="store_true", help="a small run, for smoke tests")
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="worker processes (poll: default 4; load: gunicorn's, default 3)",
        )

    def handle(self, name, **options):
        try:
            module = bench.get(name)
        except KeyError as exc:
            raise CommandError(f"unknown benchmark {name}") from exc
        extra = {"workers": options["workers"]} if options["workers"] else {}
        try:
            module.run(
                lambda line: self.stdout.write(line),
                size=options["size"],
                quick=options["quick"],
                **extra,
            )
        except BenchFailed as exc:
            # A non-zero exit: figures of the wrong answer must not be read as figures.
            raise CommandError(f"bench {name} failed: {exc}") from exc
