"""Benchmark of CSV uploads to the calculator page: run ``python tests/bench/bench_upload.py``.

Not collected by pytest. Each case posts one multipart upload to ``/fr/outils/nps/`` (mode=csv)
through Django's test client in a fresh Python process, after a warm-up request, and reports
the time of that one request, the size of the page it returned, its status and the growth of
the process's peak memory (the peak during the request, VmHWM reset just before it, minus the
memory in use before it; the request body is built beforehand, so it is not counted, but the
test client's copy of it is). Each case runs in ``--repeats`` fresh
processes; the median is printed, with the ratio to the small valid CSV of the same run.

The cases: a small valid CSV (the baseline), the issue's 2 MB one-line files (scores separated
by commas; distinct column names), the largest file the calculator accepts in the worst shapes
we could construct (one line of the most columns, the widest record of the longest cells, a
million one-score rows, 100,000 rows of a survey export with comments), and a file over the
cap. The issue's target after the fix: every accepted upload under 2 s and 100 MB.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

URL = "/fr/outils/nps/"
MiB = 1024 * 1024


def _file_cap() -> int:
    from kb import nps

    return nps.MAX_BYTES


def _one_line_scores(size: int) -> bytes:
    """Scores 0..10 separated by commas, on one line: a million-cell preview before the fix."""
    cells = "9,8,10,7,6,"
    return (cells * (size // len(cells) + 1)).encode()[:size].rstrip(b",")


def _one_line_names(size: int) -> bytes:
    """One line of distinct column names (a header and no data): 32,000 options before."""
    parts, total, index = [], 0, 0
    while total < size:
        name = f"question_{index}"
        parts.append(name)
        total += len(name) + 1
        index += 1
    return ",".join(parts).encode()[:size]


def _small() -> bytes:
    lines = ["id;date;Score"] + [f"{i};2024-05-01;{i % 11}" for i in range(100)]
    return ("\n".join(lines) + "\n").encode()


def _widest_records(size: int) -> bytes:
    """Rows as wide as a record may be, of cells as long as a cell may be, and a score last."""
    from kb.nps import csvfiles

    cell = "x" * 60
    record = getattr(csvfiles, "MAX_RECORD_CHARS", 256 * 1024)  # before the caps: as after
    per_row = max(2, record // (len(cell) + 1) - 1)
    header = ",".join(f"c{i}" for i in range(per_row)) + ",Score\n"
    row = ",".join([cell] * per_row) + ",9\n"
    rows = max(1, (size - len(header)) // len(row))
    return (header + row * rows).encode()


def _million_rows(size: int) -> bytes:
    lines = [str(i % 11) for i in range(1_000_000)]
    return ("\n".join(lines) + "\n").encode()[:size]


def _survey_export(size: int) -> bytes:
    lines = ["id;date;city;Score;comment"]
    total = len(lines[0]) + 1
    index = 0
    while True:
        index += 1
        line = f'{index};2024-05-{index % 28 + 1:02d};Lyon;{index % 11};"bien, merci; à bientôt"'
        total += len(line.encode()) + 1
        if total > size:
            break
        lines.append(line)
    return ("\n".join(lines) + "\n").encode()


def _build(case: str) -> bytes:
    cap = _file_cap()
    builders = {
        "small": _small,
        "scores-2MB": lambda: _one_line_scores(2 * MiB),
        "names-2MB": lambda: _one_line_names(2 * MiB),
        "scores-cap": lambda: _one_line_scores(cap),
        "names-cap": lambda: _one_line_names(cap),
        "widest-cap": lambda: _widest_records(cap),
        "rows-cap": lambda: _million_rows(cap),
        "survey-cap": lambda: _survey_export(cap),
        "over-cap-30MB": lambda: _one_line_scores(30 * MiB),
    }
    return builders[case]()


CASES = (
    "small",
    "scores-2MB",
    "names-2MB",
    "scores-cap",
    "names-cap",
    "widest-cap",
    "rows-cap",
    "survey-cap",
    "over-cap-30MB",
)


def run_one(case: str) -> dict:
    """In this (fresh) process: one warm-up request, then the measured upload."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
    import django

    django.setup()
    from django.test import Client
    from django.test.client import BOUNDARY, encode_multipart
    from django.test.utils import setup_test_environment

    setup_test_environment()  # ALLOWED_HOSTS for the test client's "testserver"
    client = Client()
    # A string of its own (the client compares by identity), so the body goes out as built.
    content_type = "multipart/form-data; boundary=" + BOUNDARY

    def post(data: bytes, name: str, column: str = ""):
        fields = {"mode": "csv", "file": _Upload(name, data), "column": column}
        return encode_multipart(BOUNDARY, fields)

    warm = post(_small(), "warm.csv")
    response = client.post(URL, data=warm, content_type=content_type)
    assert response.status_code == 200, response.status_code
    # The widest rows do not fit the 64 KiB the reader looks at to guess the column: the
    # visitor names it, as the page then asks.
    body = post(_build(case), f"{case}.csv", "Score" if case.startswith("widest") else "")
    size = len(body)
    gc.collect()
    before = _reset_peak()
    start = time.perf_counter()
    response = client.post(URL, data=body, content_type=content_type)
    elapsed = time.perf_counter() - start
    after = _peak()
    return {
        "case": case,
        "upload": size,
        "status": response.status_code,
        "seconds": elapsed,
        "page": len(response.content),
        "rss_kib": after - before,
    }


def _status_kib(key: str) -> int | None:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _reset_peak() -> int:
    """The memory in use now (KiB), after resetting the peak where Linux allows it.

    Without the reset, ``ru_maxrss`` would still hold the peak of building the upload.
    """
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")  # resets VmHWM to the current RSS (Linux 4.0+)
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return _status_kib("VmRSS") or 0


def _peak() -> int:
    return _status_kib("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


class _Upload:
    """What encode_multipart takes for a file: a name and a read()."""

    def __init__(self, name: str, data: bytes) -> None:
        self.name = name
        self._data = data

    def read(self) -> bytes:
        return self._data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="fresh processes per case")
    parser.add_argument("--case", action="append", choices=CASES, help="only these cases")
    parser.add_argument("--one", choices=CASES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one)))
        return 0

    cases = args.case or list(CASES)
    # A database of its own, migrated once: the developer's may hold anything, or be behind.
    workdir = tempfile.mkdtemp(prefix="kb-bench-upload-")
    env = os.environ | {"DATABASE_URL": f"sqlite:///{workdir}/bench.sqlite3"}
    try:
        migrate = [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"]
        subprocess.run(migrate, check=True, cwd=ROOT, env=env)
        return _run_cases(cases, args.repeats, env)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _run_cases(cases: list[str], repeats: int, env: dict[str, str]) -> int:
    print(f"Python {sys.version.split()[0]}, POST {URL} (mode=csv), file cap {_file_cap():,} B")
    print(f"median of {repeats} fresh processes per case; ratios to the small CSV")
    print(f"{'case':<15} {'upload':>10} {'status':>6} {'time':>9} {'page':>11} {'RSS +':>11}")
    baseline: dict | None = None
    accepted: list[dict] = []
    for case in cases:
        runs = []
        for _ in range(repeats):
            output = subprocess.run(
                [sys.executable, __file__, "--one", case],
                check=True,
                capture_output=True,
                text=True,
                cwd=ROOT,
                env=env,
            ).stdout
            runs.append(json.loads(output.strip().splitlines()[-1]))
        row = {
            "case": case,
            "upload": runs[0]["upload"],
            "status": runs[0]["status"],
            "seconds": statistics.median(r["seconds"] for r in runs),
            "page": statistics.median(r["page"] for r in runs),
            "rss_kib": statistics.median(r["rss_kib"] for r in runs),
        }
        if case == "small":
            baseline = row
        ratio = ""
        if baseline is not None and case != "small":
            ratio = (
                f"  (x{row['seconds'] / baseline['seconds']:.0f} time,"
                f" x{row['page'] / baseline['page']:.1f} page)"
            )
        print(
            f"{case:<15} {row['upload'] / MiB:>8.2f}MB {row['status']:>6} "
            f"{row['seconds'] * 1000:>7.0f}ms {row['page'] / 1024:>9.0f}KB "
            f"{row['rss_kib'] / 1024:>9.1f}MB{ratio}"
        )
        if case.endswith("-cap") and row["status"] == 200:
            accepted.append(row)
    if accepted:
        slowest = max(accepted, key=lambda row: row["seconds"])
        largest = max(accepted, key=lambda row: row["rss_kib"])
        print(
            f"Accepted at the cap: slowest {slowest['case']} ({slowest['seconds']:.2f} s), "
            f"most memory {largest['case']} (+{largest['rss_kib'] / 1024:.0f} MB)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
