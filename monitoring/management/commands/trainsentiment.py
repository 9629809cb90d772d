from django.core.management.base import BaseCommand, CommandError

from monitoring.tools import sentiment_train as train


class Command(BaseCommand):
    help = (
        "Learn sentiment weights from labelled texts one is entitled to use. --shipped: "
        "rebuild the review model that ships, from the team's corpus "
        "(monitoring/sentiment/corpus/train), and each language's polarity model from it "
        "and real reviews: UCI's sentences (corpus/uci/train.tsv, CC BY 4.0) in English, "
        "Allociné film reviews (corpus/allocine/train.tsv, MIT) in French. "
        "--data FILE --out FILE: an operator's "
        "adapter from `label<TAB>text` lines (label negative/neutral/positive, -1/0/1 or "
        "4/5), used with `score --adapter FILE`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--shipped", action="store_true", help="rebuild the shipped model")
        parser.add_argument("--data", help="labelled texts, label<TAB>text")
        parser.add_argument("--out", help="adapter file to write (JSON)")
        parser.add_argument("--lang", choices=["", "fr", "en"], default="", help="default: detect")

    def handle(self, **options):
        if options["shipped"]:
            if options["data"] or options["out"]:
                raise CommandError("--shipped learns from the corpus: no --data or --out")
            for lang in [options["lang"]] if options["lang"] else ["fr", "en"]:
                if not train.corpus(lang):
                    self.stdout.write(f"{lang}: no corpus in {train.CORPUS / 'train'}, skipped")
                    continue
                model = train.train_shipped(lang)
                self.stdout.write(
                    f"{lang}: learnt from {model.examples} texts of the corpus, "
                    f"{len(model.weights)} features; written to {train.adapt.model_path(lang)}"
                )
                if train.real(lang):
                    self.stdout.write(
                        f"{lang}: polarity model learnt from the corpus and "
                        f"{len(train.real(lang))} real reviews; written to "
                        f"{train.adapt.polarity_path(lang)}"
                    )
            return
        if not options["data"] or not options["out"]:
            raise CommandError("give --shipped, or --data FILE and --out FILE")
        adapter = train.train(options["data"], options["out"], options["lang"])
        self.stdout.write(
            f"learnt from {adapter.examples} texts: {len(adapter.weights)} features, "
            f"{len(adapter.memory)} texts remembered; written to {options['out']}"
        )
