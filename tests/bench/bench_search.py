"""Search benchmark: N synthetic terms per language (default 10,000), Whoosh vs SQLite FTS5.

    make bench                      # or: python tests/bench/bench_search.py --terms 10000

Runs on a temporary SQLite database and a temporary index directory (never the dev ones)
and prints, per language: rebuild time, index size and segments, then median and p95 of
50 search queries and 50 autocomplete prefixes (engine time, and the whole search page
through Django's test client), and the same queries on an SQLite FTS5 table of the same text.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

WORK = Path(tempfile.mkdtemp(prefix="kb-bench-"))
os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'bench.sqlite3'}"
os.environ["SEARCH_INDEX_DIR"] = str(WORK / "search")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")

import django  # noqa: E402

django.setup()

import synthetic  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import translation  # noqa: E402
from search_data import (  # noqa: E402
    LANGUAGES,
    fts5_search,
    fts5_suggest,
    fts5_table,
    load_terms,
    percentile,
    timed,
)

from glossary.search.engine import get_engine  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=int, default=int(os.environ.get("BENCH_TERMS", 10_000)))
    parser.add_argument("--rebuilds", type=int, default=3, help="rebuilds per language (median)")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    load_terms(args.terms)
    print(
        f"{args.terms} synthetic terms per language loaded in {time.perf_counter() - started:.1f} s"
    )
    print(f"(temporary database and indexes in {WORK})")
    print(f"rebuild: median of {max(1, args.rebuilds)}\n")
    engine = get_engine()
    client = Client()
    rows = []
    for language in LANGUAGES:
        rebuilds = []
        for _round in range(max(1, args.rebuilds)):
            started = time.perf_counter()
            documents = engine.rebuild(language)
            rebuilds.append(time.perf_counter() - started)
        rebuild = statistics.median(rebuilds)
        backend = engine.backend(language)
        queries = synthetic.queries(language, args.terms)
        prefixes = synthetic.prefixes(language, args.terms)
        with translation.override(language):
            url = reverse("glossary:search")
        engine.search(queries[0], language)  # open the searcher, warm the caches
        search_times = timed(lambda q, lang=language: engine.search(q, lang), queries)
        suggest_times = timed(lambda p, lang=language: engine.suggest(p, lang), prefixes)
        page_times = timed(lambda q, u=url: client.get(u, {"q": q}), queries)
        hits = sum(engine.search(q, language).count > 0 for q in queries)
        db = fts5_table(language)
        fts_times = timed(lambda q, d=db: fts5_search(d, q), queries)
        fts_suggest = timed(lambda p, d=db: fts5_suggest(d, p), prefixes)
        rows.append(
            {
                "language": language,
                "documents": documents,
                "rebuild": rebuild,
                "size": backend.size_bytes() / 1e6,
                "segments": backend.segment_count(),
                "hits": hits,
                "search": search_times,
                "suggest": suggest_times,
                "page": page_times,
                "fts": fts_times,
                "fts_suggest": fts_suggest,
            }
        )
    print(
        "lang  docs    rebuild  size     seg  | search p50/p95  suggest p50/p95  page p50/p95"
        "   | FTS5 search p50/p95  FTS5 suggest p50/p95 | search/FTS5"
    )
    for row in rows:
        ratio = statistics.median(row["search"]) / max(statistics.median(row["fts"]), 1e-9)
        print(
            f"{row['language']:<5} {row['documents']:<7} {row['rebuild']:6.1f} s "
            f"{row['size']:5.1f} MB {row['segments']:>3}  | "
            f"{percentile(row['search'], 0.5):5.2f} / {percentile(row['search'], 0.95):5.2f} ms "
            f"{percentile(row['suggest'], 0.5):5.2f} / {percentile(row['suggest'], 0.95):5.2f} ms  "
            f"{percentile(row['page'], 0.5):5.2f} / {percentile(row['page'], 0.95):5.2f} ms | "
            f"{percentile(row['fts'], 0.5):5.2f} / {percentile(row['fts'], 0.95):5.2f} ms        "
            f"{percentile(row['fts_suggest'], 0.5):5.2f} / "
            f"{percentile(row['fts_suggest'], 0.95):5.2f} ms        | x{ratio:.0f}"
        )
    print(f"\n{rows[0]['hits']}/50 French queries found something (the rest show did-you-mean).")
    print("Targets: search p50 <= 5 ms, suggest p50 <= 3 ms, page p50 <= 20 ms, rebuild <= 20 s.")


if __name__ == "__main__":
    try:
        main()
    finally:
        import shutil

        shutil.rmtree(WORK, ignore_errors=True)
