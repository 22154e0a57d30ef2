"""Benchmark of GET /healthz: run ``python tests/bench/bench_healthz.py`` (or ``make bench``).

Not collected by pytest. Times the health check through Django's whole middleware stack (the
test client, in one process, on the database ``make setup`` built) and, in the same run, a
baseline that does no work of its own (/robots.txt), then prints medians, p95 and the ratio.
The issue's target: well under 10 ms.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

RUNS = 300


def timings(client: Client, path: str) -> list[float]:
    client.get(path)  # the first request opens connections and search readers
    durations = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(path)
        durations.append(time.perf_counter() - start)
        if response.status_code != 200:
            sys.exit(f"{path} answered {response.status_code}")
    return durations


def main() -> None:
    client = Client(HTTP_HOST="localhost")
    baseline = timings(client, "/robots.txt")
    health = timings(client, "/healthz")
    for name, values in (("/robots.txt (baseline)", baseline), ("/healthz", health)):
        values = sorted(values)
        print(
            f"{name:24} median {statistics.median(values) * 1000:6.2f} ms"
            f"   p95 {values[int(len(values) * 0.95)] * 1000:6.2f} ms   ({RUNS} runs)"
        )
    ratio = statistics.median(health) / statistics.median(baseline)
    print(f"/healthz costs x{ratio:.1f} the baseline; target: well under 10 ms")


if __name__ == "__main__":
    main()
