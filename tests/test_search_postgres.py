"""The PostgreSQL search engine (SEARCH_URL=postgres): its settings, its migration, and its
documents written in the transaction of the content they index.

Its search behaviour is tested with Whoosh's by the parametrised suites (test_search_page,
test_search_api, test_search_articles); here, what only this engine promises. Most tests
need PostgreSQL: they run in CI's second pass (DATABASE_URL=postgres://...).
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, transaction

from kb.core.publishing import allow_deleting_published
from tests.search_fixtures import ENGINES

ROOT = Path(__file__).resolve().parent.parent
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the PostgreSQL search engine needs DATABASE_URL=postgres://... (CI pass 2)",
)


def settings_in_a_new_process(**env) -> subprocess.CompletedProcess:
    code = "import django; django.setup(); from django.conf import settings; "
    code += "print(settings.SEARCH_ENGINE)"
    environment = {**os.environ, "DJANGO_DEBUG": "1", "DJANGO_SETTINGS_MODULE": "kb.settings"}
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**environment, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_search_url_postgres_is_refused_on_sqlite_with_a_clear_message(tmp_path):
    result = settings_in_a_new_process(
        SEARCH_URL="postgres", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}"
    )
    assert result.returncode != 0
    assert "SEARCH_URL=postgres searches the site's database, which must be PostgreSQL" in (
        result.stderr
    )


def test_search_url_postgres_selects_the_postgres_engine_and_whoosh_stays_the_default():
    database = "postgres://user@127.0.0.1:1/none"  # settings only: never connected
    chosen = settings_in_a_new_process(SEARCH_URL="postgres", DATABASE_URL=database)
    assert chosen.stdout.strip() == ENGINES["postgres"], chosen.stderr
    default = settings_in_a_new_process(SEARCH_URL="", DATABASE_URL=database)
    assert default.stdout.strip() == ENGINES["whoosh"], default.stderr


@pytest.mark.django_db
def test_on_sqlite_the_migration_creates_nothing():
    if connection.vendor == "postgresql":
        pytest.skip("SQLite only")
    tables = connection.introspection.table_names()
    assert "glossary_searchdocument" not in tables and "glossary_searchlabel" not in tables


# --- On PostgreSQL ------------------------------------------------------------------------------


@pytest.fixture
def engine(settings, db):
    from glossary.search.engine import get_engine

    settings.SEARCH_ENGINE = ENGINES["postgres"]
    return get_engine()


def new_term(key: str, **extra):
    from glossary.models import Category, Term

    category = Category.objects.first() or Category.objects.create(
        key="c", name_fr="Catégorie", slug_fr="c", name_it="Categoria", slug_it="c-it",
        name_en="Category", slug_en="c-en",
    )  # fmt: skip
    values = {
        "name_fr": "Zébrure tarifaire", "slug_fr": key, "summary_fr": "Un terme de test.",
        "name_it": "Zebratura tariffaria", "slug_it": f"{key}-it", "summary_it": "Un termine.",
        "name_en": "Tariff zebra", "slug_en": f"{key}-en", "summary_en": "A test term.",
    }  # fmt: skip
    values.update(extra)
    return Term.objects.create(key=key, category=category, status=Term.Status.PUBLISHED, **values)


def found(engine, query: str, language: str) -> bool:
    return engine.find(query, language, 0, 10)[0] > 0


@on_postgres
def test_the_migration_creates_the_extensions_and_a_configuration_per_language(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension")
        assert {"unaccent", "pg_trgm"} <= {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT to_tsvector('kb_fr', 'Numéro'), to_tsvector('kb_simple', 'IT')")
        assert cursor.fetchone() == ("'numero':1", "'it':1")


@on_postgres
def test_a_saved_term_is_searchable_inside_its_own_transaction(engine):
    with transaction.atomic():
        term = new_term("zebra")
        # No after-commit step: the documents were written with the term.
        assert found(engine, "zébrures", "fr") and found(engine, "zebratura", "it")
        assert engine.check("fr").ok and engine.check("en").ok
    term.name_en = "Tariff stripe"
    term.save()
    assert found(engine, "stripes", "en") and not found(engine, "zebra", "en")
    with allow_deleting_published():
        term.delete()
    assert not found(engine, "stripe", "en") and engine.check("en").ok


@on_postgres
def test_a_rolled_back_save_leaves_the_documents_unchanged(engine):
    from glossary.search.documents import SearchDocument

    term = new_term("zebra")
    before = list(SearchDocument.objects.order_by("pk").values("pk", "fingerprint", "name"))
    with pytest.raises(RuntimeError), transaction.atomic():
        term.name_fr = "Rayure tarifaire"
        term.save()
        new_term("zebra-two", name_fr="Zèbre double", slug_fr="zebre-double")
        assert found(engine, "rayure", "fr")  # visible inside the transaction...
        raise RuntimeError("the request failed")
    after = list(SearchDocument.objects.order_by("pk").values("pk", "fingerprint", "name"))
    assert after == before  # ...and gone with it
    assert not found(engine, "rayure", "fr") and found(engine, "zebrure", "fr")


@on_postgres
def test_a_label_edit_reindexes_its_term(engine):
    from glossary.models import TermLabel

    term = new_term("zebra")
    TermLabel.objects.create(
        term=term, language="fr", text="Bigarrure", status=TermLabel.Status.ADMITTED
    )
    assert found(engine, "bigarrures", "fr")
    assert [label for label, _hit in engine.complete(["bigar"], "fr", 10)] == ["Bigarrure"]


@on_postgres
def test_refreshing_the_vectors_gives_the_same_results(engine):
    new_term("zebra")
    assert engine.refresh_vectors("fr") >= 1
    assert found(engine, "zebrure", "fr") and engine.check("fr").ok


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_four_processes_writing_at_once_leave_search_check_clean(settings):
    from django.core.management import call_command

    from glossary.content import load

    settings.SEARCH_ENGINE = ENGINES["postgres"]
    load()
    call_command("rebuild_index", noinput=True)
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": (
            f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST']}:"
            f"{database['PORT']}/{database['NAME']}"
        ),
        "SEARCH_URL": "postgres",
    }

    def run(*args):
        return subprocess.run(
            args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
        )  # fmt: skip

    workers = [
        subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / "search_worker.py"), str(seed), "25"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for seed in range(4)
    ]
    for worker in workers:
        _out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err[-2000:]
    check = run(sys.executable, str(ROOT / "manage.py"), "search_check")
    assert check.returncode == 0, check.stdout + check.stderr
    for code in ("fr", "it", "en"):
        assert f"{code}: 0 missing, 0 stale, 0 orphaned, 0 pending" in check.stdout


# --- "Did you mean" on PostgreSQL: the vocabulary (SearchWord) and its bounds ------------------


@on_postgres
def test_did_you_mean_corrects_two_edits_with_a_swap_and_one_edit_in_other_languages(engine):
    new_term("zebra")
    # "tarfiare": a swap (fi) and a deletion from "tarifaire", two edits for Damerau.
    assert engine.correct("tarfiare", "fr", max_edits=2) == "tarifaire"
    assert engine.correct("tarfiare", "fr", max_edits=1) == "tarfiare"  # too far for one
    assert engine.correct("tarfiaire", "fr", max_edits=1) == "tarifaire"  # one swap
    assert engine.correct("tariffaire", "fr", max_edits=1) == "tarifaire"  # one insertion
    assert engine.correct("zebrure tarfiare", "fr", max_edits=2) == "zebrure tarifaire"
    assert engine.search("zébrure tarfiare", "fr").did_you_mean == "zébrure tarifaire"


@on_postgres
def test_did_you_mean_never_offers_a_word_no_label_has_any_more(engine):
    from glossary.search.documents import SearchWord

    term = new_term("zebra")
    term.name_fr = "Rayure tarifaire"
    term.save()
    # The vocabulary keeps "zebrure" until a rebuild; the engine checks the labels.
    assert SearchWord.objects.filter(language="fr", word="zebrure").exists()
    assert engine.correct("zebrue", "fr", max_edits=2) == "zebrue"
    assert engine.correct("rayue", "fr", max_edits=2) == "rayure"
    engine.rebuild("fr")
    assert not SearchWord.objects.filter(language="fr", word="zebrure").exists()
    assert SearchWord.objects.filter(language="fr", word="rayure").count() == 1


@on_postgres
def test_the_vocabulary_holds_each_label_word_once(engine):
    from glossary.search.documents import SearchLabel, SearchWord

    new_term("zebra")
    new_term("zebra-two", name_fr="Zébrure double", slug_fr="zebrure-double")
    words = list(SearchWord.objects.filter(language="fr").values_list("word", flat=True))
    assert sorted(words) == sorted(set(words))
    assert set(words) == set(
        SearchLabel.objects.filter(language="fr").values_list("word", flat=True)
    )


@on_postgres
def test_a_search_finding_nothing_anywhere_runs_three_queries(engine, django_assert_num_queries):
    new_term("zebra")
    with django_assert_num_queries(3):
        # 1: French; 2: Italian and English (the fallback); 3: "did you mean", known words
        # and close ones in every language, none of which finds anything.
        result = engine.search("qwxzk", "fr")
    assert result.count == 0 and result.did_you_mean is None


@on_postgres
def test_a_misspelt_pair_of_words_is_corrected_in_four_queries(engine, django_assert_num_queries):
    new_term("zebra")
    with django_assert_num_queries(4):
        # 1 to 3 as above; 4: the correction's hits (for its accents).
        result = engine.search("zebrue tarfiare", "fr")
    assert result.did_you_mean == "zébrure tarifaire"


@on_postgres
def test_did_you_mean_offers_the_closest_words_one_term_has_together(
    engine, django_assert_num_queries
):
    new_term("zebra", name_fr="Zébrure tarifée")
    new_term("stripe", name_fr="Rayure tarifaire", slug_fr="rayure")
    # "tarifare" is one edit from "tarifaire" and two from "tarifée"; only "Zébrure tarifée"
    # has both words, so the closest pair ("zebrure tarifaire") finds nothing.
    with django_assert_num_queries(5):
        # 1 to 3 as above; 4: which pair of close words one term's labels hold, in every
        # language at once; 5: the correction's hits.
        result = engine.search("zebrure tarifare", "fr")
    assert result.did_you_mean == "zébrure tarifée"


@on_postgres
def test_a_long_word_is_never_sent_to_levenshtein(engine):
    new_term("zebra")
    long_word = "zebrure" * 40  # 280 letters: beyond fuzzystrmatch's 255
    assert engine.correct(long_word, "fr", max_edits=2) == long_word
    assert engine.search("\ufdfa" * 100, "fr").count == 0  # folds to 1,800 letters


@on_postgres
def test_autocomplete_runs_one_query_with_the_hits_fields(engine, django_assert_num_queries):
    new_term("zebra")
    with django_assert_num_queries(1):  # the preferred labels, ranked, with their documents
        suggestions = engine.suggest("zéb", "fr")
    assert suggestions == [
        {
            "label": "Zébrure tarifaire",
            "name": "Zébrure tarifaire",
            "slug": "zebra",
            "url": suggestions[0]["url"],
        }
    ]
    assert suggestions[0]["url"].endswith("/zebra/")


# --- Why highlights and "did you mean" are not PostgreSQL's own ---------------------------------


@on_postgres
def test_ts_headline_would_miss_words_the_engine_found_so_highlights_stay_the_sites(db):
    """SearchHeadline (ts_headline) parses the stored text with the language's configuration,
    without the elision and plural steps the documents go through (glossary.search.analysis):
    the French stemmer keeps "numéros" apart from "numero", and the English stop words drop
    the acronym "IT". The site's highlighter marks both, for every engine."""
    from glossary.search.highlight import highlight

    marks = "'HighlightAll=true, StartSel=<mark>, StopSel=</mark>'"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT ts_headline('kb_fr', 'Numéros verts', plainto_tsquery('kb_fr', 'numero'), "
            f"{marks}), ts_headline('kb_en', 'IT helpdesk', plainto_tsquery('kb_simple', 'it'), "
            f"{marks})"
        )
        assert cursor.fetchone() == ("Numéros verts", "IT helpdesk")
    assert highlight("Numéros verts", "numero", "fr") == "<mark>Numéros</mark> verts"
    assert highlight("IT helpdesk", "it", "en") == "<mark>IT</mark> helpdesk"


@on_postgres
def test_trigram_similarity_would_miss_a_swapped_letter_in_a_short_word(engine):
    """pg_trgm's `%` (similarity above 0.3) does not see "nmuero vret" near "numéro vert"; the
    vocabulary read with levenshtein_less_equal does (the search page test asks for it)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'nmuero' % 'numero', 'vret' % 'vert'")
        assert cursor.fetchone() == (False, False)
    new_term("zebra")
    assert engine.correct("zebrrue", "fr", max_edits=2) == "zebrure"
