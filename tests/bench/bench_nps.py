"""Benchmark of the NPS scorer's hot paths: run ``python tests/bench/bench_nps.py``.

Not collected by pytest (the name does not start with ``test_``). Each case builds its input
once, then times the whole call (reading + full result + JSON dict) several times and prints the
median, the fastest run and the number of runs. The issue's target: each well under a second.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kb import nps  # noqa: E402

TARGET_SECONDS = 1.0


def million_scores() -> list[int]:
    rng = random.Random(4)
    return rng.choices(range(11), weights=[2, 1, 1, 2, 2, 4, 6, 12, 18, 25, 27], k=1_000_000)


def case_list(scores: list[int]) -> Callable[[], object]:
    def run() -> object:
        return nps.analyse(nps.Counts.from_scores(scores)).to_dict()

    return run


def case_json_list(scores: list[int]) -> Callable[[], object]:
    # What the API receives after json.loads: ints, a few strings and nulls.
    values: list[object] = list(scores)
    values[::1000] = ["9"] * len(values[::1000])
    values[5::1000] = [None] * len(values[5::1000])

    def run() -> object:
        return nps.analyse(nps.read_scores(values)).to_dict()

    return run


def case_text(scores: list[int]) -> Callable[[], object]:
    text = "\n".join(map(str, scores))

    def run() -> object:
        return nps.analyse(nps.parse_score_list(text)).to_dict()

    return run


def case_csv(scores: list[int]) -> Callable[[], object]:
    rng = random.Random(5)
    cities = ["Lyon", "Roma", "Leeds", "Montréal", "Napoli"]
    lines = ["id;date;city;Score;comment"]
    for index, score in enumerate(scores[:100_000], start=1):
        comment = '"bien, merci"' if index % 7 == 0 else ""
        lines.append(f"{index};2024-05-{index % 28 + 1:02d};{rng.choice(cities)};{score};{comment}")
    data = ("\n".join(lines) + "\n").encode("utf-8")

    def run() -> object:
        return nps.analyse(nps.parse_csv(data)).to_dict()

    return run


def case_api(scores: list[int]) -> Callable[[], object]:
    """POST /api/v1/nps with a million scores through Django's test client: JSON in and out."""
    import json
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
    django.setup()
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    body = json.dumps({"scores": scores})

    def run() -> object:
        response = client.post("/api/v1/nps", data=body, content_type="application/json")
        assert response.status_code == 200, response.content[:200]
        return response

    return run


def measure(run: Callable[[], object], repeats: int) -> list[float]:
    run()  # warm-up: regex compilation, first allocations
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        timings.append(time.perf_counter() - start)
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7, help="timed runs per case")
    args = parser.parse_args()

    scores = million_scores()
    cases = [
        ("1,000,000 scores, list of ints", case_list(scores)),
        ("1,000,000 scores, JSON-like list", case_json_list(scores)),
        ("1,000,000 scores, pasted text", case_text(scores)),
        ("100,000-row CSV (5 columns, ;)", case_csv(scores)),
        ("POST /api/v1/nps, 1,000,000 scores", case_api(scores)),
    ]
    print(f"Python {sys.version.split()[0]}, {args.repeats} runs per case after one warm-up")
    print(f"{'case':<36} {'median':>9} {'min':>9} {'runs':>5}")
    slow = []
    for name, run in cases:
        timings = measure(run, args.repeats)
        median = statistics.median(timings)
        print(f"{name:<36} {median * 1000:>7.1f}ms {min(timings) * 1000:>7.1f}ms {len(timings):>5}")
        if median >= TARGET_SECONDS:
            slow.append(name)
    if slow:
        print(f"Slower than {TARGET_SECONDS:.0f} s: {', '.join(slow)}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
