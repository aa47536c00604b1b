"""`make eval`: the figures of ../shared/eval/score.py for the seed article, polnear-train and news-dev.

    python -m benchmarks.eval --shared ../shared [--limit N] [--processes 2] [--verbose]
        [--only seed|polnear|news-dev]

Runs the extraction pipeline (no database) and scores what it finds with the shared scorer,
exactly as `manage.py extract ... --format json(l)` output would be scored.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = "2025-02-17-paris-summit-ukraine"


def _extractor():
    sys.path.insert(0, str(ROOT))
    from statements.extraction import Extractor
    from statements.extraction.topics import load_topics

    return Extractor(model=_model(), topics=load_topics(ROOT / "seeds" / "topics.json"))


def _model() -> str:
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.conf import settings

    django.setup()
    return settings.SPACY_MODEL


def _score(args: list, verbose: Path | None) -> dict:
    cmd = [sys.executable, str(args[0]), *map(str, args[1:]), "--json"]
    if verbose:
        detail = subprocess.run(
            [c for c in cmd if c != "--json"] + ["--verbose"],
            capture_output=True,
            text=True,
        )
        verbose.write_text(detail.stdout, encoding="utf-8")
        print(f"  (misses, wrong speakers and spurious statements: {verbose})")
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    parser.add_argument(
        "--limit",
        type=int,
        default=0,
        help="score only the first N polnear-train articles",
    )
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument(
        "--verbose",
        action="store_true",
        help="list misses, wrong speakers and spurious statements",
    )
    parser.add_argument("--only", choices=["seed", "polnear", "news-dev"], default=None)
    opts = parser.parse_args(argv)
    shared = Path(opts.shared)
    score_py = shared / "eval" / "score.py"
    if not score_py.exists():
        print(f"{score_py}: not found (pass --shared DIR)", file=sys.stderr)
        return 2
    ex = _extractor()
    tmp = Path(tempfile.mkdtemp(prefix="wsw-eval-"))
    results = {}
    if opts.only in (None, "seed"):
        seed_txt = ROOT / "seeds" / f"{SEED}.txt"
        result = ex.extract(seed_txt.read_text(encoding="utf-8"))
        (tmp / "seed.json").write_text(
            json.dumps(
                {
                    "path": str(seed_txt),
                    "statements": [s.as_dict() for s in result.statements],
                }
            )
        )
        results["seed"] = _score(
            [score_py, shared / "eval" / f"{SEED}.gold.json", tmp / "seed.json"],
            opts.verbose and tmp / "seed.verbose.txt",
        )
        _print("seed article", results["seed"])
    if opts.only in (None, "polnear"):
        gold_dir = shared / "eval" / "polnear-train"
        paths = sorted(gold_dir.glob("*.txt"))
        if opts.limit:
            paths = paths[: opts.limit]
        took = _extract_all(ex, paths, tmp / "train.jsonl", opts.processes)
        if opts.limit:
            sub = tmp / "gold"
            sub.mkdir()
            for p in paths:
                gold = gold_dir / (p.stem + ".gold.json")
                (sub / gold.name).symlink_to(gold.resolve())
            gold_dir = sub
        results["polnear"] = _score(
            [score_py, "--gold-dir", gold_dir, tmp / "train.jsonl"],
            opts.verbose and tmp / "polnear.verbose.txt",
        )
        _print(
            f"polnear-train ({len(paths)} articles, extracted in {took:.0f}s)",
            results["polnear"],
        )
    if opts.only in (None, "news-dev"):
        gold_dir = shared / "eval" / "news-dev"
        paths = sorted(gold_dir.glob("*.txt"))
        took = _extract_all(ex, paths, tmp / "news-dev.jsonl", opts.processes)
        results["news-dev"] = _score(
            [score_py, "--gold-dir", gold_dir, tmp / "news-dev.jsonl"],
            opts.verbose and tmp / "news-dev.verbose.txt",
        )
        _print(
            f"news-dev ({len(paths)} articles, extracted in {took:.0f}s)",
            results["news-dev"],
        )
    return 0


def _extract_all(ex, paths: list[Path], out: Path, processes: int) -> float:
    """Extract every file into `out` as `manage.py extract --format jsonl` would; seconds taken."""
    texts = [p.read_text(encoding="utf-8") for p in paths]
    t0 = time.perf_counter()
    with out.open("w", encoding="utf-8") as fh:
        for p, result in zip(
            paths,
            ex.pipe(texts, batch_size=16, n_process=processes),
            strict=True,
        ):
            fh.write(
                json.dumps(
                    {
                        "path": str(p),
                        "statements": [s.as_dict() for s in result.statements],
                    }
                )
                + "\n"
            )
    return time.perf_counter() - t0


def _print(title: str, f: dict) -> None:
    print(f"{title}:")
    print(
        f"  statement   P {f['statement_precision']:.3f}  R {f['statement_recall']:.3f}  F1 {f['statement_f1']:.3f}"
        f"   (gold {f['gold']}, system {f['system']})"
    )
    print(
        f"  attribution P {f['attribution_precision']:.3f}  R {f['attribution_recall']:.3f}  F1 {f['attribution_f1']:.3f}"
        f"   speaker accuracy {f['speaker_accuracy']:.3f}"
    )
    # country and position accuracy: only where the gold gives speakers' countries and positions
    if f.get("country_accuracy") or f.get("position_accuracy"):
        print(
            f"  profile     country accuracy {f['country_accuracy']:.3f}"
            f"   position accuracy {f['position_accuracy']:.3f}"
        )


if __name__ == "__main__":
    sys.exit(main())
