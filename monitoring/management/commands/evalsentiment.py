from django.core.management.base import BaseCommand

from monitoring.sentiment import evaluate


class Command(BaseCommand):
    help = (
        "Measure the sentiment scorer and VADER unchanged on human-labelled test data "
        "(French test splits in ../shared/data/sentiment, VADER's English ground truth): "
        "accuracy, macro F1, binary accuracy, language detection, speed; last line a summary."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="examples per set (spread)")
        parser.add_argument(
            "--set", action="append", dest="sets", choices=[s.name for s in evaluate.SETS]
        )

    def handle(self, **options):
        evaluate.run(lambda line: self.stdout.write(line), options["limit"], options["sets"])
