from django.core.management.base import BaseCommand

from monitoring.tools import sentiment_eval as evaluate
from reputation.demo import data as demo_data


class Command(BaseCommand):
    help = (
        "Measure the sentiment scorer and VADER unchanged on human-labelled test data "
        "(French test splits in ../shared/data/sentiment, VADER's English ground truth): "
        "accuracy, macro F1, binary accuracy, the share flagged 'to check' and the accuracy of "
        "the others, the demo's mentions, learning curves from an organisation's corrections, "
        "language detection, speed; last line a summary."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="examples per set (spread)")
        parser.add_argument(
            "--set",
            action="append",
            dest="sets",
            choices=[s.name for s in evaluate.SETS] + ["demo", "learning"],
            help="a data set; 'demo': the demo's mentions; 'learning': the learning curves",
        )

    def handle(self, **options):
        evaluate.run(
            lambda line: self.stdout.write(line), options["limit"], options["sets"], demo_data
        )
