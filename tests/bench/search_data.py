"""What the search benchmarks share: timing helpers, the synthetic terms loaded into the
database, and the SQLite FTS5 reference table of the same text (bench_search.py on SQLite,
bench_search_pg.py on PostgreSQL). Django is imported inside the functions: each benchmark
configures it before the first call."""

import sqlite3
import time

LANGUAGES = ["fr", "it", "en"]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] * 1000


def timed(function, inputs: list, rounds: int = 3) -> list[float]:
    """Best of `rounds` timings of each input (the machine is shared: keep the least noisy)."""
    best = [float("inf")] * len(inputs)
    for _round in range(rounds):
        for number, value in enumerate(inputs):
            started = time.perf_counter()
            function(value)
            best[number] = min(best[number], time.perf_counter() - started)
    return best


def load_terms(count: int) -> None:
    """`count` published terms with fr/it/en texts; synonyms and hidden labels as labels."""
    import synthetic

    from glossary.models import Category, Term, TermLabel

    category, _created = Category.objects.get_or_create(
        key="bench", defaults={"name_fr": "Banc", "slug_fr": "banc"}
    )
    texts = {code: synthetic.terms(code, count) for code in LANGUAGES}
    fields = ("name", "slug", "acronym", "summary", "definition")
    terms = Term.objects.bulk_create(
        [
            Term(
                key=f"bench-{number}",
                category=category,
                status=Term.Status.PUBLISHED,
                **{
                    f"{field}_{code}": texts[code][number][field]
                    for code in LANGUAGES
                    for field in fields
                },
            )
            for number in range(count)
        ],
        batch_size=2000,
    )
    labels = []
    for term, number in zip(terms, range(count), strict=True):
        for code in LANGUAGES:
            entry = texts[code][number]
            for text, status in [
                *((s, TermLabel.Status.ADMITTED) for s in entry["synonyms"].split("\n") if s),
                *((h, TermLabel.Status.SEARCH_ONLY) for h in [entry["hidden_labels"]] if h),
            ]:
                labels.append(TermLabel(term=term, language=code, text=text, status=status))
    TermLabel.objects.bulk_create(labels, batch_size=5000)


def fts5_table(language: str) -> sqlite3.Connection:
    """The same terms in an SQLite FTS5 table (the reference of bench_search.py)."""
    from glossary.models import Term, TermLabel

    db = sqlite3.connect(":memory:")
    db.execute(
        "CREATE VIRTUAL TABLE terms USING fts5(name, acronym, synonyms, hidden_labels, summary, "
        "definition, tokenize='unicode61 remove_diacritics 2')"
    )
    labels: dict[int, dict[str, list[str]]] = {}
    for term_id, text, status in TermLabel.objects.filter(language=language).values_list(
        "term_id", "text", "status"
    ):
        labels.setdefault(term_id, {}).setdefault(status, []).append(text)
    rows = (
        (
            name,
            acronym,
            "\n".join(labels.get(pk, {}).get(TermLabel.Status.ADMITTED, [])),
            "\n".join(labels.get(pk, {}).get(TermLabel.Status.SEARCH_ONLY, [])),
            summary,
            definition,
        )
        for pk, name, acronym, summary, definition in Term.objects.values_list(
            "pk", f"name_{language}", f"acronym_{language}", f"summary_{language}",
            f"definition_{language}",
        ).iterator()
    )  # fmt: skip
    db.executemany("INSERT INTO terms VALUES (?, ?, ?, ?, ?, ?)", rows)
    db.commit()
    return db


def fts5_search(db: sqlite3.Connection, query: str) -> list:
    from glossary.search.analysis import query_words

    words = " ".join(f'"{word}"' for word in query_words(query, 12))
    # Ranked, and counted as the engines count (bm25 cannot run under a window function).
    total = db.execute("SELECT count(*) FROM terms WHERE terms MATCH ?", (words,)).fetchone()
    hits = db.execute(
        "SELECT rowid, name, summary FROM terms WHERE terms MATCH ? "
        "ORDER BY bm25(terms, 5, 5, 3, 3, 2, 1) LIMIT 10",
        (words,),
    ).fetchall()
    return hits if total[0] else []


def fts5_suggest(db: sqlite3.Connection, prefix: str) -> list:
    from glossary.search.analysis import query_words
    from kb.core.collation import fold

    words = " ".join(f'"{fold(word)}"*' for word in query_words(prefix, 12))
    return db.execute(
        "SELECT rowid, name FROM terms WHERE terms MATCH ? LIMIT 10",
        (f"{{name acronym synonyms}}: ({words})",),
    ).fetchall()
