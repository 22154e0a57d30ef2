"""Benchmark of the public pages: run ``python tests/bench/bench_pages.py`` (or ``make bench``).

Not collected by pytest. Serves the database ``make setup`` built with the production recipe
(gunicorn -c kb/gunicorn.conf.py, debug off, 2 workers, hashed static files in a temporary
STATIC_ROOT, its own cache directory), then measures the throughput of /robots.txt, the floor
every request pays (the whole middleware stack), and of each kind of public page, with ``wrk``
(Debian's package) or, if it is missing, a small Python client. Twice:

- warm: the page cache on (every page comes from the cache after its first request);
- cold: the page cache off (PAGE_CACHE=0), every page rendered; definitions and auto-link
  patterns stay cached, as between two content changes.

Each page is measured ROUNDS times, interleaved with /robots.txt, and reported as the median
requests/s and as a ratio to /robots.txt's median in the same run. Then, in this process, the
cost of rendering a term page (median of many runs, wall-clock and CPU time): with its
definition cached, and as the first request after a term changed (the content and links
generations moved before each one), next to /robots.txt's.

The issue's targets: warm term, A-Z and home pages at 0.5 of /robots.txt or more; a term page
rendered in under 10 ms.

Environment: BENCH_SECONDS (per measurement, default 3), BENCH_ROUNDS (default 3),
BENCH_CONNECTIONS (default 4).
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

SECONDS = float(os.environ.get("BENCH_SECONDS", "3"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "4"))
IN_PROCESS_RUNS = 200
HEADERS = {"Host": "localhost", "X-Forwarded-Proto": "https"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(base: Path, port: int, *, page_cache: bool) -> dict[str, str]:
    keep = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "GUNICORN_"))
        and key not in {"CACHE_DIR", "CACHE_URL", "PORT", "WEB_CONCURRENCY", "PAGE_CACHE"}
    }
    keep.update(
        DJANGO_SETTINGS_MODULE="kb.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="localhost,127.0.0.1",
        DJANGO_STATIC_ROOT=str(base / "static"),
        CACHE_DIR=str(base / "cache"),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_LOG_LEVEL="warning",
        GUNICORN_MAX_REQUESTS="0",  # no worker restarts in the middle of a measurement
        WEB_CONCURRENCY="2",
        PAGE_CACHE="1" if page_cache else "0",
    )
    return keep


def get(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers=HEADERS)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


class Server:
    """gunicorn with the production settings, in its own process group, always stopped."""

    def __init__(self, base: Path, *, page_cache: bool) -> None:
        self.port = free_port()
        self.log = base / f"gunicorn-{'warm' if page_cache else 'cold'}.log"
        env = environment(base, self.port, page_cache=page_cache)
        with open(self.log, "w") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "kb/gunicorn.conf.py", "kb.wsgi"],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 30
        while True:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn exited:\n{self.log.read_text()}")
            try:
                if get(self.port, "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                sys.exit(f"gunicorn did not answer:\n{self.log.read_text()}")
            time.sleep(0.2)

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


# --- Load ---------------------------------------------------------------------------------------


def throughput(port: int, path: str) -> float:
    """Requests per second answered for `path` over SECONDS with CONNECTIONS clients."""
    wrk = shutil.which("wrk")
    if wrk:
        headers = [arg for name, value in HEADERS.items() for arg in ("-H", f"{name}: {value}")]
        result = subprocess.run(
            [wrk, "-t1", f"-c{CONNECTIONS}", f"-d{SECONDS:g}s", *headers,
             f"http://127.0.0.1:{port}{path}"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        if "Non-2xx or 3xx responses" in result.stdout:
            sys.exit(f"{path} answered errors:\n{result.stdout}")
        return float(re.search(r"Requests/sec:\s+([\d.]+)", result.stdout).group(1))
    return python_throughput(port, path)


def python_throughput(port: int, path: str) -> float:
    """The fallback client: CONNECTIONS threads, one request per connection (gunicorn's sync
    workers close connections anyway)."""
    counts = [0] * CONNECTIONS
    stop = time.monotonic() + SECONDS

    def client(index: int) -> None:
        while time.monotonic() < stop:
            status, _body = get(port, path)
            if status != 200:
                raise SystemExit(f"{path} answered {status}")
            counts[index] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CONNECTIONS)]
    start = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.monotonic() - start)


def measure(server: Server, pages: dict[str, str]) -> dict[str, float]:
    """Median requests/s of each page over ROUNDS rounds, pages interleaved."""
    for path in pages.values():
        status, _body = get(server.port, path)  # the first request fills the caches
        if status != 200:
            sys.exit(f"{path} answered {status}:\n{server.log.read_text()[-3000:]}")
    results: dict[str, list[float]] = {name: [] for name in pages}
    for _ in range(ROUNDS):
        for name, path in pages.items():
            results[name].append(throughput(server.port, path))
    return {name: statistics.median(values) for name, values in results.items()}


# --- The pages, and rendering in this process ---------------------------------------------------


def setup_django(base: Path) -> None:
    os.environ.update(environment(base, 0, page_cache=False))
    import django

    django.setup()


def page_paths() -> dict[str, str]:
    """One page of each kind, in English, from the database."""
    from django.utils import translation

    from glossary.models import Category, Term
    from kb.articles.models import Article

    with translation.override("en"):
        term = Term.objects.published().with_text_in("en").order_by("key").first()
        category = Category.objects.order_by("key").first()
        article = Article.objects.published().order_by("key").first()
        if term is None or category is None or article is None:
            sys.exit("No content: run `make setup` first.")
        return {
            "/robots.txt": "/robots.txt",
            "home": "/en/",
            "A-Z": "/en/terms/",
            "term": term.get_absolute_url("en"),
            "category": category.get_absolute_url("en"),
            "article": article.get_absolute_url("en"),
            "KB home": "/en/kb/",
        }


@dataclass
class Timings:
    """Milliseconds per request: wall-clock time, and this process's CPU time, which other
    processes on the shared machine do not inflate (a loaded machine triples the wall-clock
    median of a term page while its CPU time stays put)."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"{statistics.median(self.wall):6.2f} ms wall, "
            f"{statistics.median(self.cpu):6.2f} ms CPU"
        )


def render_timings(path: str) -> dict[str, Timings]:
    """The term page rendered in this process: with its definition cached, and as the first
    request after a term changed; /robots.txt, the same middleware with no page, as baseline."""
    from django.conf import settings
    from django.test import Client

    from glossary import autolink
    from kb.core import generation

    def glossary_changed() -> None:  # what a term's save does
        generation.bump()
        autolink.invalidate()

    settings.PAGE_CACHE_VIEWS = []
    client = Client(headers={"X-Forwarded-Proto": "https"}, HTTP_HOST="localhost")

    def timed(url: str, before=None) -> Timings:
        timings = Timings()
        client.get(url)
        for _ in range(IN_PROCESS_RUNS):
            if before:
                before()
            wall, cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            timings.cpu.append((time.process_time() - cpu) * 1000)
            timings.wall.append((time.perf_counter() - wall) * 1000)
            if response.status_code != 200:
                sys.exit(f"{url} answered {response.status_code}")
        return timings

    return {
        "/robots.txt (baseline)": timed("/robots.txt"),
        "definition cached": timed(path),
        "right after a term changed": timed(path, before=glossary_changed),
    }


def main() -> None:
    base = Path(tempfile.mkdtemp(prefix="kb-bench-pages-"))
    try:
        setup_django(base)
        from django.core.management import call_command

        pages = page_paths()
        call_command("collectstatic", "--noinput", verbosity=0)
        tool = f"wrk -t1 -c{CONNECTIONS} -d{SECONDS:g}s" if shutil.which("wrk") else "Python"
        print(f"Throughput with {tool}, gunicorn 2 workers, median of {ROUNDS} rounds:")
        for label, page_cache in (("warm (page cache on)", True), ("cold (PAGE_CACHE=0)", False)):
            server = Server(base, page_cache=page_cache)
            try:
                medians = measure(server, pages)
            finally:
                server.stop()
            floor = medians["/robots.txt"]
            print(f"-- {label}")
            for name, value in medians.items():
                print(f"   {name:12} {value:8.0f} req/s   x{value / floor:.2f} of /robots.txt")
        term = pages["term"]
        print(f"Term page {term} rendered in this process, median of {IN_PROCESS_RUNS}:")
        for label, timings in render_timings(term).items():
            print(f"   {label:28} {timings.line()}")
        print("   (target: a term page under 10 ms; 'right after a term changed' rebuilds the")
        print("   definitions and the auto-link patterns)")
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
