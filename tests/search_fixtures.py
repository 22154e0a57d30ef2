"""Fixtures for the search tests (imported by tests/test_search_*.py)."""

import pytest


def rebuild_all() -> None:
    from glossary.search.engine import get_engine
    from kb.core.languages import language_codes

    for language in language_codes():
        get_engine().rebuild(language)


@pytest.fixture(scope="module")
def indexed_glossary(django_db_setup, django_db_blocker):
    """The real glossary, loaded and indexed once per module (loading takes seconds).

    Tests run in their own transaction on top of it; the module's data is flushed after.
    """
    from django.core.management import call_command

    from glossary.content import load

    with django_db_blocker.unblock():
        load()
        rebuild_all()
        yield
        call_command("flush", interactive=False, verbosity=0)
        rebuild_all()


@pytest.fixture
def search_index(indexed_glossary, db):
    """The real glossary in the database and in the session's temporary search indexes."""
