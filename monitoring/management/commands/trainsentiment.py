from django.core.management.base import BaseCommand

from monitoring.sentiment import train


class Command(BaseCommand):
    help = (
        "Train the French sentiment model on the train splits of ../shared/data/sentiment "
        "and write monitoring/sentiment/data/fr_model.json.gz."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--c", type=float, default=train.DEFAULT_C, help="inverse regularisation"
        )
        parser.add_argument("--dry-run", action="store_true", help="train but do not write")

    def handle(self, **options):
        # Lexicon first: the model's features depend on which phrases the lexicon has.
        texts, y = train.training_set()
        neutral = train.neutralised_words(texts, y)
        if not options["dry_run"]:
            train.save_neutralised(neutral)
            train.lexicon.french.cache_clear()
        self.stdout.write(
            f"{len(neutral)} lexicon words contradicted by the training texts set to 0"
        )
        bias, weights, n = train.fit(options["c"])
        if not options["dry_run"]:
            train.save(bias, weights)
        where = "not written" if options["dry_run"] else str(train.MODEL_FILE)
        self.stdout.write(f"trained on {n} texts, {len(weights)} features kept; {where}")
