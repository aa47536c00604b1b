import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from statements.extraction import Extractor
from statements.extraction.reading import BadArticle, read_article_text
from statements.extraction.topics import load_topics

TOPICS_FILE = settings.BASE_DIR / "seeds" / "topics.json"


class Command(BaseCommand):
    # Files in, JSON out: no database and no secret, so it runs with no environment
    # (the production settings' key check would refuse it otherwise).
    requires_system_checks = []
    help = (
        "Runs the extraction pipeline over article text files and prints the statements found "
        "(json for one file, jsonl for one object a line, table for people). Touches no database."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--format", choices=["json", "jsonl", "table"], default="json"
        )
        parser.add_argument("--batch-size", type=int, default=16)
        parser.add_argument(
            "--processes", type=int, default=1, help="worker processes (default 1)"
        )

    def handle(self, *args, **options):
        fmt = options["format"]
        texts, paths, failed = [], [], 0
        for path in options["paths"]:
            try:
                texts.append(read_article_text(path, settings.MAX_ARTICLE_BYTES))
                paths.append(path)
            except BadArticle as exc:
                self.stderr.write(str(exc))
                failed += 1
        if fmt == "json" and len(paths) > 1:
            raise CommandError(
                "--format json prints one file; use --format jsonl for several"
            )
        extractor = Extractor(
            model=settings.SPACY_MODEL, topics=load_topics(TOPICS_FILE)
        )
        results = extractor.pipe(
            texts, batch_size=options["batch_size"], n_process=options["processes"]
        )
        for path, result in zip(paths, results, strict=True):
            obj = {
                "path": path,
                "statements": [s.as_dict() for s in result.statements],
                "speakers": [_speaker(s) for s in result.speakers],
            }
            if fmt == "json":
                self.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2))
            elif fmt == "jsonl":
                self.stdout.write(json.dumps(obj, ensure_ascii=False))
            else:
                self.stdout.write(_table(path, result))
        if failed:
            raise CommandError(
                f"{failed} of {len(options['paths'])} file(s) could not be read"
            )


def _speaker(s) -> dict:
    return {
        "name": s.name,
        "kind": s.kind,
        "aliases": list(s.aliases),
        "position": s.position,
        "country": s.country,
        "organisation": s.organisation,
        "office": s.office,
        "given": s.given,
        "middle": s.middle,
        "surname": s.surname,
        "suffix": s.suffix,
    }


def _table(path: str, result) -> str:
    lines = [f"== {path}: {len(result.statements)} statement(s)"]
    for s in result.statements:
        who = s.speaker or "(unattributed)"
        extra = ", ".join(x for x in (s.position, s.country) if x)
        if extra:
            who += f" ({extra})"
        text = " ".join(s.text.split())
        if len(text) > 100:
            text = text[:97] + "..."
        lines.append(
            f"{s.start:>6}-{s.end:<6} {s.kind:<8} {who[:40]:<40} {s.cue[:14]:<14} {text}"
        )
    return "\n".join(lines)
