from django.core.management.base import BaseCommand

from monitoring.tools import sentiment_train as train


class Command(BaseCommand):
    help = (
        "Learn sentiment weights from labelled texts the operator is entitled to use "
        "(`label<TAB>text` per line; label negative/neutral/positive, -1/0/1 or 4/5) and "
        "write them as an adapter file, used with `score --adapter FILE`. Nothing is "
        "written into the package: the product ships no learnt weights."
    )

    def add_arguments(self, parser):
        parser.add_argument("--data", required=True, help="labelled texts, label<TAB>text")
        parser.add_argument("--out", required=True, help="adapter file to write (JSON)")
        parser.add_argument("--lang", choices=["", "fr", "en"], default="", help="default: detect")

    def handle(self, **options):
        adapter = train.train(options["data"], options["out"], options["lang"])
        self.stdout.write(
            f"learnt from {adapter.examples} texts: {len(adapter.weights)} features, "
            f"{len(adapter.memory)} texts remembered; written to {options['out']}"
        )
