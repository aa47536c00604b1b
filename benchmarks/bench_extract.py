"""`make bench-extract`: throughput of the bare spaCy parse and of the whole extraction pipeline.

    python -m benchmarks.bench_extract --shared ../shared [--limit N] [--batch-size 32]

Both run in this one process, over the same polnear-train texts, one after the other (twice each,
alternating, best run kept), and print words per second and their ratio (target: >= 0.85).
The bare parse is the model's full default pipeline through nlp.pipe; the pipeline is
Extractor.pipe, i.e. the same parse plus quote finding, cues, speakers and topics.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    parser.add_argument(
        "--limit",
        type=int,
        default=300,
        help="articles to run (default 300; 0 for all)",
    )
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=2)
    opts = parser.parse_args(argv)
    paths = sorted((Path(opts.shared) / "eval" / "polnear-train").glob("*.txt"))
    if not paths:
        print(
            f"{opts.shared}/eval/polnear-train: no articles (pass --shared DIR)",
            file=sys.stderr,
        )
        return 2
    if opts.limit:
        paths = paths[: opts.limit]
    texts = [p.read_text(encoding="utf-8") for p in paths]
    words = sum(len(t.split()) for t in texts)

    import spacy

    from benchmarks.eval import _extractor

    ex = _extractor()
    bare = spacy.load(ex.model)  # the full default pipeline, nothing disabled
    ex.extract("Warm up, she said.")
    bare("Warm up, she said.")
    best_bare = best_full = float("inf")
    for _ in range(opts.rounds):
        t0 = time.perf_counter()
        for _doc in bare.pipe(texts, batch_size=opts.batch_size):
            pass
        best_bare = min(best_bare, time.perf_counter() - t0)
        t0 = time.perf_counter()
        n = sum(len(r.statements) for r in ex.pipe(texts, batch_size=opts.batch_size))
        best_full = min(best_full, time.perf_counter() - t0)
    bare_wps, full_wps = words / best_bare, words / best_full
    print(
        f"{len(texts)} polnear-train articles, {words} words, batch size {opts.batch_size}, best of {opts.rounds}"
    )
    print(f"bare spaCy parse ({', '.join(bare.pipe_names)}): {bare_wps:,.0f} words/s")
    print(f"whole extraction pipeline ({n} statements): {full_wps:,.0f} words/s")
    print(f"ratio: {full_wps / bare_wps:.3f}  (target >= 0.85)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
