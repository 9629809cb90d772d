"""Measure forum post extraction on the hand-checked gold threads (harvest corpus)."""

import re
from datetime import UTC, datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from monitoring.tools import forum_eval
from monitoring.tools.forum_eval import DEFAULT_NOW, DEFAULT_PATH, Score


class Command(BaseCommand):
    help = (
        "Run the forum post extractor on gold threads and print, per detected engine and "
        "overall: post precision/recall (a gold and an extracted post match when the Dice "
        f"overlap of their word multisets is >= {forum_eval.MATCH_THRESHOLD}, one-to-one, "
        "then replies whose words are nearly all in a gold post that keeps the quoted text), "
        "author accuracy and date accuracy on matched posts (date within 24 h of the gold "
        "date, 14 h when the gold shows a time, 48 h for relative gold dates), and the recall "
        "of posts with a correct date. Full definitions: monitoring/extract/forum_eval.py."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--path",
            type=Path,
            default=DEFAULT_PATH,
            help="corpus folder (harvest-gold or its corpus/goldDocuments); "
            "default: ../shared/data/forums/harvest-gold",
        )
        parser.add_argument("--limit", type=int, default=None, help="first N documents only")
        parser.add_argument(
            "--verbose", action="store_true", help="per-document figures and missed posts"
        )
        parser.add_argument(
            "--now",
            default=DEFAULT_NOW.isoformat(),
            help="reference time for relative dates on pages without machine timestamps",
        )

    def handle(self, *args, **options):
        files = forum_eval.gold_files(options["path"], options["limit"])
        if not files:
            raise CommandError(f"no gold documents under {options['path']}")
        try:
            now = datetime.fromisoformat(options["now"])
        except ValueError as exc:
            raise CommandError(f"--now: {exc}") from exc
        if now.tzinfo is None:
            now = now.replace(tzinfo=UTC)
        per_engine, total = forum_eval.evaluate(
            files, now, self._document if options["verbose"] else None
        )
        self.stdout.write(self._header())
        for engine in sorted(per_engine):
            self.stdout.write(self._row(engine, per_engine[engine]))
        self.stdout.write(self._row("ALL", total))
        self.stdout.write(
            f"SUMMARY docs={total.docs} gold={total.gold} extracted={total.extracted} "
            f"precision={total.precision:.3f} recall={total.recall:.3f} "
            f"author_acc={total.author_accuracy:.3f} date_acc={total.date_accuracy:.3f} "
            f"recall_correct_date={total.dated_recall:.3f} seconds={total.seconds:.1f}"
        )

    def _header(self) -> str:
        return (
            f"{'engine':<11} {'docs':>4} {'gold':>5} {'found':>5} {'prec':>6} {'recall':>6} "
            f"{'author':>6} {'date':>6} {'rec+date':>8}"
        )

    def _row(self, name: str, s: Score) -> str:
        return (
            f"{name:<11} {s.docs:>4} {s.gold:>5} {s.extracted:>5} {s.precision:>6.3f} "
            f"{s.recall:>6.3f} {s.author_accuracy:>6.3f} {s.date_accuracy:>6.3f} "
            f"{s.dated_recall:>8.3f}"
        )

    def _document(self, path: Path, s: Score, engine: str, details) -> None:
        self.stdout.write(
            f"{path.name[:70]:<70} {engine:<10} gold={s.gold} found={s.extracted} "
            f"P={s.precision:.2f} R={s.recall:.2f} author={s.author_ok}/{s.author_checked} "
            f"date={s.date_ok}/{s.date_checked}"
        )
        for i, gold, entry, gdate, gname in details:
            text = (gold.get("post_text") or {}).get("surface_form", "")
            if entry is None:
                self.stdout.write(f"    miss #{i}: {text[:90]!r}")
                continue
            problems = []
            if gname and forum_eval.norm_name(entry.author) != forum_eval.norm_name(gname):
                problems.append(f"author {entry.author!r} != {gname!r}")
            surface = (gold.get("datetime") or {}).get("surface_form", "")
            if gdate is not None and not forum_eval.date_ok(
                entry.published, gdate, bool(re.search(r"\d{1,2}[:h]\d{2}", surface)), surface
            ):
                problems.append(f"date {entry.published} != {gdate} ({surface!r})")
            if problems:
                self.stdout.write(f"    #{i}: " + "; ".join(problems))
