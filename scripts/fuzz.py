"""The long fuzz campaign over importers + engine (issue 13): `make fuzz`, or

    nice -n 19 .venv/bin/python scripts/fuzz.py [--inputs 100000] [--seed 1] [--workers 1]
        [--out fuzz-figures.json] [--findings /tmp/legday-fuzz-findings]

Each input (a mutated seed file, tests/fuzzing.py) goes through the whole path a file takes
(parse, stimulus, state) in a sandboxed child (importers.isolated.Sandbox): at most 250 MB of
address space over the child's start (RLIMIT_AS: every input) and 5 s of CPU per input (the
child is killed after 60 s of wall clock: on a shared machine a starved child is slow, not
hung); every 10th input also has its traced memory peak measured (tracemalloc).

Prints and writes its figures: inputs tried, imported, clean refusals, internal errors (the
importers' safety net caught something), crashes (an exception escaped, or the child died),
hangs (over 5 s of CPU, or killed after 60 s), inputs over 250 MB. Every finding's input is
saved under --findings with its index, so that it can be replayed. Exits 1 when there is any
crash, hang or input over the memory bound.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from importers.isolated import Sandbox  # noqa: E402
from tests.fuzzing import HANG_S, MEMORY_MB, WALL_S, make_input, target  # noqa: E402

FIGURES = ("inputs", "imported", "refused", "internal", "crashes", "hangs", "over_memory")


def classify(outcome) -> tuple[str, str]:
    """(figure, detail) of one sandbox Outcome."""
    if outcome.status == "returned":
        result = outcome.value
        if result.seconds > HANG_S:
            return "hangs", f"{result.seconds:.1f} s of CPU"
        if result.peak_mb > MEMORY_MB:
            return "over_memory", f"{result.peak_mb:.0f} MB"
        return result.outcome, result.detail
    if outcome.status == "timeout":
        return "hangs", outcome.error
    if outcome.status == "raised" and outcome.error.startswith("MemoryError"):
        return "over_memory", outcome.error.splitlines()[0]
    return "crashes", outcome.error


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--inputs", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--out", default="fuzz-figures.json")
    ap.add_argument("--findings", default="/tmp/legday-fuzz-findings")
    ap.add_argument("--trace-every", type=int, default=10, help="tracemalloc every Nth input")
    args = ap.parse_args()
    findings = Path(args.findings)
    findings.mkdir(parents=True, exist_ok=True)
    counts: Counter = Counter()
    peaks = {"max_seconds": 0.0, "max_peak_mb": 0.0}
    internal: Counter = Counter()
    lock = threading.Lock()
    local = threading.local()
    boxes: list[Sandbox] = []
    started = time.monotonic()

    def one(index: int) -> None:
        box = getattr(local, "box", None)
        if box is None:
            box = local.box = Sandbox(
                MEMORY_MB, WALL_S, warm=("tests.fuzzing",), recycle_after=2000
            )
            with lock:
                boxes.append(box)
        name, data = make_input(index, args.seed)
        outcome = box.call(target, data, name, index % args.trace_every == 0)
        figure, detail = classify(outcome)
        with lock:
            counts["inputs"] += 1
            counts[figure] += 1
            if outcome.status == "returned":
                peaks["max_seconds"] = max(peaks["max_seconds"], outcome.value.seconds)
                peaks["max_peak_mb"] = max(peaks["max_peak_mb"], outcome.value.peak_mb)
            if figure == "internal":
                internal[detail.split(":")[0]] += 1
            if figure in ("crashes", "hangs", "over_memory", "internal"):
                (findings / f"{figure}-{index}-{name}").write_bytes(data)
                (findings / f"{figure}-{index}-{name}.txt").write_text(detail)
            if counts["inputs"] % 1000 == 0:
                report(final=False)

    def report(final: bool) -> None:
        figures = {k: counts.get(k, 0) for k in FIGURES}
        figures.update(
            seed=args.seed,
            minutes=round((time.monotonic() - started) / 60, 1),
            max_cpu_seconds=round(peaks["max_seconds"], 2),
            max_peak_mb=round(peaks["max_peak_mb"], 1),
            internal_causes=dict(internal),
            finished=final,
        )
        Path(args.out).write_text(json.dumps(figures, indent=1) + "\n")
        print(json.dumps(figures), flush=True)

    try:
        with ThreadPoolExecutor(max(1, args.workers)) as pool:
            list(pool.map(one, range(args.inputs)))
    finally:
        for box in boxes:
            box.close()
    report(final=True)
    return 1 if counts["crashes"] or counts["hangs"] or counts["over_memory"] else 0


if __name__ == "__main__":
    sys.exit(main())
