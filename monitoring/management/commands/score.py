import json
import sys

from django.core.management.base import BaseCommand, CommandError

from monitoring.sentiment import adapt, aspects, detect_language, score_text


class Command(BaseCommand):
    help = (
        "Score texts read on standard input, one per line: writes one JSON object per line "
        "with lang, label, score, confidence and aspects."
    )
    # call_command(..., stdin=io.StringIO(...)) in tests, as Django's createsuperuser does.
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument(
            "--lang",
            choices=["auto", "fr", "en"],
            default="auto",
            help="language of every line; auto detects it line by line (default)",
        )

        parser.add_argument(
            "--adapter", default="", help="an adapter file written by trainsentiment"
        )

    def handle(self, **options):
        stdin = options.get("stdin") or sys.stdin
        adapter = None
        if options["adapter"]:
            with open(options["adapter"], encoding="utf-8") as f:
                adapter = adapt.Adapter.from_json(f.read())
            if adapter.stale:
                raise CommandError(
                    f"{options['adapter']} was learnt by an older version of the scorer: "
                    "learn it again with `manage.py trainsentiment --data FILE --out FILE`"
                )
        for line in stdin:
            text = line.rstrip("\r\n")
            if not text.strip():
                continue
            lang = detect_language(text) if options["lang"] == "auto" else options["lang"]
            tone = score_text(text, lang or "und", adapter=adapter)
            out = {
                "lang": lang,
                "label": tone.label,
                "score": tone.score,
                "confidence": tone.confidence,
                "aspects": aspects(text, lang),
            }
            self.stdout.write(json.dumps(out, ensure_ascii=False))
