"""`make eval-topics`: score_topics.py's line for news-dev, polnear-train and the seed.

    python -m benchmarks.eval_topics --shared ../shared [--processes 2] [--verbose]

Extracts the articles the gold of ../shared/eval/topics/ names (read in place, never
copied) with the pipeline and seeds/topics.json, writes what `manage.py extract
--format jsonl` would print, and runs the shared scorer on it: each statement's
`topics` (major topics, most relevant first) against the gold's.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.eval import ROOT, _extractor

SETS = {
    # name: the folder its articles are in (the seed article is the project's own)
    "news-dev": lambda shared: shared / "eval" / "news-dev",
    "polnear-train": lambda shared: shared / "eval" / "polnear-train",
    "seed": lambda shared: ROOT / "seeds",
}


def articles(gold: Path) -> list[str]:
    names = []
    for line in gold.read_text(encoding="utf-8").splitlines():
        if line.strip():
            name = json.loads(line)["article"]
            if name not in names:
                names.append(name)
    return names


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument(
        "--verbose", action="store_true", help="write each set's misses to a file"
    )
    opts = parser.parse_args(argv)
    shared = Path(opts.shared)
    scorer = shared / "eval" / "topics" / "score_topics.py"
    if not scorer.exists():
        print(f"{scorer}: not found (pass --shared DIR)", file=sys.stderr)
        return 2
    ex = _extractor()
    tmp = Path(tempfile.mkdtemp(prefix="wsw-eval-topics-"))
    for name, folder in SETS.items():
        gold = shared / "eval" / "topics" / f"{name}.gold.jsonl"
        paths = [folder(shared) / f"{a}.txt" for a in articles(gold)]
        missing = [p for p in paths if not p.exists()]
        if missing:
            print(f"{name}: {len(missing)} article(s) not found, e.g. {missing[0]}")
            return 2
        texts = [p.read_text(encoding="utf-8") for p in paths]
        t0 = time.perf_counter()
        out = tmp / f"{name}.jsonl"
        with out.open("w", encoding="utf-8") as fh:
            results = ex.pipe(texts, batch_size=16, n_process=opts.processes)
            for path, result in zip(paths, results, strict=True):
                statements = [s.as_dict() for s in result.statements]
                fh.write(json.dumps({"path": str(path), "statements": statements}))
                fh.write("\n")
        took = time.perf_counter() - t0
        cmd = [sys.executable, str(scorer), str(gold), str(out)]
        line = subprocess.run(cmd, capture_output=True, text=True, check=True)
        print(f"{name} ({len(paths)} articles, {took:.0f}s): {line.stdout.strip()}")
        if opts.verbose:
            detail = subprocess.run(
                [*cmd, "--verbose"], capture_output=True, text=True, check=True
            )
            misses = tmp / f"{name}.misses.txt"
            misses.write_text(detail.stdout, encoding="utf-8")
            print(f"  (misses: {misses})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
