"""Search benchmark on PostgreSQL: the PostgreSQL engine vs Whoosh vs SQLite FTS5, on the same
synthetic terms (tests/bench/synthetic.py), at 10,000 and 100,000 terms per language.

    make bench                                   # or:
    python tests/bench/bench_search_pg.py --terms 10000,100000 --engines postgres,whoosh,fts5

PostgreSQL: BENCH_DATABASE_URL=postgres://user@host:port/postgres names a server (a throwaway
database is created on it and dropped after; its shared_buffers is printed, since it decides
much of the figures at 100,000 terms); without it a temporary cluster is started with the
Debian binaries (/usr/lib/postgresql/*/bin, else initdb on the PATH), as the postgres user
when run as root, with shared_buffers at a quarter of the memory, and the benchmark is
skipped, saying so, when there are none.

Prints, per size, engine and language: the time to write every document with its vector
(`rebuild`) and to recompute every vector in SQL (`refresh_vectors`), the tables' and indexes'
size, then median and p95 of 50 searches (ranked, with the total count) and 50 autocomplete
prefixes, engine time (SearchEngine.search / .suggest); and the ratio of PostgreSQL's find
p50 to FTS5's in the same run.
"""

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]
import search_data  # noqa: E402
from search_data import (  # noqa: E402
    fts5_search,
    fts5_suggest,
    fts5_table,
    percentile,
    timed,
)

WORK = Path(tempfile.mkdtemp(prefix="kb-bench-pg-"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """A throwaway PostgreSQL cluster in WORK (Debian's binaries), stopped by `stop`."""

    def __init__(self) -> None:
        # Debian's packages, else an initdb on the PATH (a PostgreSQL built from source).
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        if not bins and shutil.which("initdb"):
            bins = [Path(shutil.which("initdb"))]
        if not bins:
            raise RuntimeError("no PostgreSQL binaries in /usr/lib/postgresql/*/bin or the PATH")
        self.bin, self.data, self.port = bins[-1].parent, WORK / "pg", free_port()
        self.user = ["su", "postgres", "-c"] if os.geteuid() == 0 else ["sh", "-c"]
        if os.geteuid() == 0:
            shutil.chown(WORK, "postgres")
        self.run(f"{self.bin}/initdb -D {self.data} -U postgres -A trust -E UTF8 --locale=C.UTF-8")
        self.run(
            f"{self.bin}/pg_ctl -D {self.data} -l {WORK}/pg.log -w "
            f"-o '-h 127.0.0.1 -p {self.port} -k {WORK} -c fsync=off "
            f"-c shared_buffers={shared_buffers_mb()}MB' start"
        )
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def run(self, command: str) -> None:
        subprocess.run([*self.user, command], check=True, capture_output=True, cwd="/")

    def stop(self) -> None:
        self.run(f"{self.bin}/pg_ctl -D {self.data} -m fast -w stop")


def shared_buffers_mb() -> int:
    """A quarter of the machine's memory, PostgreSQL's advice for a dedicated server: at
    100,000 terms in three languages the search tables hold 1.5 GB, and with the default
    128 MB most of a search's page reads go to the operating system."""
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 4 // 2**20


def load_terms(count: int) -> None:
    """A fresh set of `count` synthetic terms (search_data.load_terms), after truncating the
    previous size's terms and their search documents, without their signals."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE glossary_term, glossary_searchdocument CASCADE")
    search_data.load_terms(count)


def table_size_mb() -> float:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_total_relation_size('glossary_searchdocument') "
            "+ pg_total_relation_size('glossary_searchlabel') "
            "+ pg_total_relation_size('glossary_searchword')"
        )
        return cursor.fetchone()[0] / 1e6


def bench_size(count: int, engines: list[str], languages: list[str]) -> list[dict]:
    """Each engine's figures at `count` terms per language. Every language of an engine is
    built before any is timed: a search that misses falls back to the other languages and
    corrects its words there, which costs what it costs only when they hold documents."""
    started = time.perf_counter()
    load_terms(count)
    print(f"\n{count} synthetic terms per language loaded in {time.perf_counter() - started:.0f} s")
    rows = []
    for name in engines:
        built = {language: build(name, count, language) for language in languages}
        for language in languages:
            rows.append(measure(built[language]))
            print(format_row(rows[-1]), flush=True)
    return rows


def build(name: str, count: int, language: str) -> dict:
    """One engine's index for `language`, timed: {"size", "language", "engine", "rebuild",
    and for PostgreSQL "refresh" and "mb"; "db" and "engine_object" for `measure`}."""
    from django.db import connection

    from glossary.search.postgres import PostgresEngine
    from glossary.search.whoosh import WhooshEngine

    row = {"size": count, "language": language, "engine": name}
    started = time.perf_counter()
    if name == "fts5":
        row["db"] = fts5_table(language)
        row["rebuild"] = time.perf_counter() - started
        return row
    engine = PostgresEngine() if name == "postgres" else WhooshEngine()
    row["documents"] = engine.rebuild(language)
    row["rebuild"] = time.perf_counter() - started
    if name == "postgres":
        started = time.perf_counter()
        engine.refresh_vectors(language)
        row["refresh"] = time.perf_counter() - started
        # What autovacuum does on a live site after a bulk write: statistics, and the
        # visibility map that lets autocomplete scan its index alone.
        with connection.cursor() as cursor:
            cursor.execute(
                "VACUUM ANALYZE glossary_searchdocument, glossary_searchlabel, glossary_searchword"
            )
        row["mb"] = table_size_mb()  # every language built so far
    else:
        row["mb"] = engine.backend(language).size_bytes() / 1e6
    row["engine_object"] = engine
    return row


def measure(row: dict) -> dict:
    """Median and p95 inputs of `row`'s engine: 50 searches and 50 prefixes, best of 3."""
    import synthetic
    from django.db import reset_queries

    language, count = row["language"], row["size"]
    queries = synthetic.queries(language, count)
    prefixes = synthetic.prefixes(language, count)
    if row["engine"] == "fts5":
        db = row.pop("db")
        row["search"] = timed(lambda q: fts5_search(db, q), queries)
        row["find"] = row["search"]
        row["suggest"] = timed(lambda p: fts5_suggest(db, p), prefixes)
        row["hits"] = sum(bool(fts5_search(db, q)) for q in queries)
        db.close()
        return row
    engine = row.pop("engine_object")
    engine.search(queries[0], language)  # open searchers, warm caches
    # The ranked hits and their count alone (SearchEngine.find), then the whole interface:
    # cleaning, highlighting, fallback and did-you-mean for misses.
    row["find"] = timed(lambda q: engine.find(q, language, 0, 10), queries)
    row["search"] = timed(lambda q: engine.search(q, language), queries)
    row["suggest"] = timed(lambda p: engine.suggest(p, language), prefixes)
    row["hits"] = sum(engine.search(q, language).count > 0 for q in queries)
    reset_queries()
    return row


def format_row(row: dict) -> str:
    extra = f" refresh {row['refresh']:5.1f} s" if "refresh" in row else " " * 16
    size = f"{row['mb']:7.1f} MB" if "mb" in row else " " * 10
    return (
        f"{row['size']:>7} {row['language']:<3} {row['engine']:<8} build {row['rebuild']:6.1f} s"
        f"{extra} {size} | find p50/p95 {percentile(row['find'], 0.5):6.2f} / "
        f"{percentile(row['find'], 0.95):6.2f} ms | search p50/p95 "
        f"{percentile(row['search'], 0.5):6.2f} / "
        f"{percentile(row['search'], 0.95):6.2f} ms | suggest p50/p95 "
        f"{percentile(row['suggest'], 0.5):6.2f} / {percentile(row['suggest'], 0.95):6.2f} ms"
        f" | {row['hits']}/50 found"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", default=os.environ.get("BENCH_PG_TERMS", "10000,100000"))
    parser.add_argument(
        "--engines", default=os.environ.get("BENCH_PG_ENGINES", "postgres,whoosh,fts5")
    )
    parser.add_argument("--languages", default="fr,it,en")
    args = parser.parse_args()
    cluster = None
    server = os.environ.get("BENCH_DATABASE_URL", "")
    if not server.startswith("postgres"):
        try:
            cluster = Cluster()
        except (RuntimeError, OSError, subprocess.CalledProcessError) as error:
            print(f"SKIPPED: no PostgreSQL server ({error}); set BENCH_DATABASE_URL.")
            return
        server = cluster.url
    database = f"kb_bench_{os.getpid()}"
    admin = server.rsplit("/", 1)[0]
    try:
        import psycopg

        with psycopg.connect(f"{admin}/postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {database}")
        try:
            run(f"{admin}/{database}", args)
        finally:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(f"{admin}/postgres", autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {database}")
    finally:
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(WORK, ignore_errors=True)


def run(url: str, args) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["SEARCH_INDEX_DIR"] = str(WORK / "search")
    os.environ["SEARCH_URL"] = "postgres"
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW shared_buffers")
        print(f"PostgreSQL {connection.pg_version}, shared_buffers {cursor.fetchone()[0]}")
    engines = [name.strip() for name in args.engines.split(",") if name.strip()]
    rows = []
    for size in [int(value) for value in args.terms.split(",")]:
        rows += bench_size(size, engines, args.languages.split(","))
    print("\nPostgreSQL find p50 (ranked, counted) / FTS5 find p50, same run:")
    for row in rows:
        if row["engine"] != "postgres":
            continue
        fts = [r for r in rows if r["engine"] == "fts5" and r["size"] == row["size"]]
        fts = [r for r in fts if r["language"] == row["language"]]
        if fts:
            # The same measure on both sides: the p50 the table prints for "find".
            ratio = percentile(row["find"], 0.5) / max(percentile(fts[0]["find"], 0.5), 1e-9)
            print(f"  {row['size']:>7} {row['language']}: x{ratio:.1f}")
    print(
        "Targets (PostgreSQL, engine time): search p50 <= 2 ms, suggest p50 <= 2 ms, p95 <= 10 ms."
    )


if __name__ == "__main__":
    main()
