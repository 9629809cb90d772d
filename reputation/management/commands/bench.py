"""`bench`: monitoring's benchmarks, plus `alerts` (reputation/alerts/bench.py).

This command shadows monitoring's (reputation comes first in INSTALLED_APPS): the
product may import the engine, the engine never imports the product.
"""

from monitoring.management.commands import bench as engine

NAMES = [*engine.bench.NAMES, "alerts"]


class Command(engine.Command):
    help = "Run a benchmark and print its figures (last line: summary). Names: " + ", ".join(NAMES)

    def add_arguments(self, parser):
        super().add_arguments(parser)
        for action in parser._actions:
            if action.dest == "name":
                action.choices = NAMES

    def handle(self, name, **options):
        if name != "alerts":
            return super().handle(name, **options)
        from reputation.alerts import bench

        bench.run(
            lambda line: self.stdout.write(line), size=options["size"], quick=options["quick"]
        )
