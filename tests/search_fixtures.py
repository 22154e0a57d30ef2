"""Fixtures for the search tests (imported by tests/test_search_*.py).

A module imports `each_engine` (the fixture `search_engine`) to run its tests against both
engines: Whoosh, and PostgreSQL when the database is PostgreSQL (CI's second pass). Modules
that do not import it test Whoosh only (its files, locks and journal).
"""

import pytest

ENGINES = {
    "whoosh": "glossary.search.whoosh.WhooshEngine",
    "postgres": "glossary.search.postgres.PostgresEngine",
}


def rebuild_all() -> None:
    from glossary.search.engine import get_engine
    from kb.core.languages import language_codes

    for language in language_codes():
        get_engine().rebuild(language)


def _use_engine(name: str):
    from django.db import connection
    from django.test import override_settings

    if name == "postgres" and connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL search engine needs DATABASE_URL=postgres://... (CI pass 2)")
    override = override_settings(SEARCH_ENGINE=ENGINES[name])
    override.enable()
    return override


@pytest.fixture(name="search_engine", scope="module", params=list(ENGINES))
def each_engine(request, django_db_setup):
    """Each engine in turn, for the whole module."""
    override = _use_engine(request.param)
    yield request.param
    override.disable()


def _load_and_index(django_db_blocker):
    from django.core.management import call_command

    from glossary.content import load

    with django_db_blocker.unblock():
        load()
        rebuild_all()
        yield
        call_command("flush", interactive=False, verbosity=0)
        rebuild_all()


@pytest.fixture(scope="module")
def indexed_glossary(django_db_setup, django_db_blocker):
    """The real glossary, loaded and indexed once per module (loading takes seconds) by the
    default engine (Whoosh).

    Tests run in their own transaction on top of it; the module's data is flushed after.
    """
    yield from _load_and_index(django_db_blocker)


@pytest.fixture(name="indexed_glossary", scope="module")
def indexed_glossary_by_engine(search_engine, django_db_setup, django_db_blocker):
    """`indexed_glossary`, by each engine in turn (import it with `each_engine`)."""
    yield from _load_and_index(django_db_blocker)


@pytest.fixture
def search_index(indexed_glossary, db):
    """The real glossary in the database and in the session's temporary search indexes."""
