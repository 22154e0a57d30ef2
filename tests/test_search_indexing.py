"""The indexes follow the database: after commit, in every language, checked and repaired."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from glossary.search import indexing, whoosh
from glossary.search.engine import get_engine
from kb.core.publishing import allow_deleting_published
from tests.search_fixtures import indexed_glossary, rebuild_all, search_index  # noqa: F401

pytestmark = pytest.mark.usefixtures("search_index")
ROOT = Path(__file__).resolve().parent.parent


def new_term(key: str, **extra):
    from glossary.models import Category, Term

    values = {
        "name_fr": "Zébrure tarifaire", "slug_fr": key, "summary_fr": "Un terme de test.",
        "name_it": "Zebratura tariffaria", "slug_it": f"{key}-it", "summary_it": "Un termine.",
        "name_en": "Tariff zebra", "slug_en": f"{key}-en", "summary_en": "A test term.",
    }  # fmt: skip
    values.update(extra)
    return Term.objects.create(
        key=key, category=Category.objects.first(), status=Term.Status.PUBLISHED, **values
    )


def first_category():
    from glossary.models import Category

    return Category.objects.first()


def found(query: str, language: str) -> bool:
    result = get_engine().search(query, language)
    return result.count > 0 and not result.fallback


@pytest.fixture(autouse=True)
def clean_index_after():
    yield
    rebuild_all()  # the module's tests share one index


def test_a_saved_term_is_searchable_in_every_language_once_committed(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        new_term("zebra")
    assert not found("zébrure", "fr")  # nothing is written before the commit
    for callback in callbacks:
        callback()
    assert found("zebrure", "fr") and found("zebratura", "it") and found("zebra", "en")


def suggested(typed: str, language: str) -> list[str]:
    return [suggestion["name"] for suggestion in get_engine().suggest(typed, language)]


def test_autocomplete_follows_saves_renames_and_deletes(django_capture_on_commit_callbacks):
    assert suggested("zeb", "fr") == []  # builds the autocomplete table of this index version
    with django_capture_on_commit_callbacks(execute=True):
        term = new_term("zebra")
    assert suggested("zeb", "fr") == ["Zébrure tarifaire"]
    with django_capture_on_commit_callbacks(execute=True):
        term.name_fr = "Zébu tarifaire"
        term.save()
    assert suggested("zeb", "fr") == ["Zébu tarifaire"]
    with django_capture_on_commit_callbacks(execute=True), allow_deleting_published():
        term.delete()
    assert suggested("zeb", "fr") == []


def test_unpublishing_and_deleting_remove_the_term_from_every_index(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        term = new_term("zebra")
    with django_capture_on_commit_callbacks(execute=True):
        term.status = term.Status.DRAFT
        term.save()
    assert not any(found(q, code) for q, code in [("zebrure", "fr"), ("zebratura", "it")])
    with django_capture_on_commit_callbacks(execute=True):
        term.status = term.Status.PUBLISHED
        term.save()
    assert found("zebratura", "it")
    with django_capture_on_commit_callbacks(execute=True), allow_deleting_published():
        term.delete()
    assert not found("tariff zebra", "en")
    assert all(get_engine().check(code).ok for code in ("fr", "it", "en"))


def test_a_failed_index_write_is_logged_queued_and_retried(
    django_capture_on_commit_callbacks, monkeypatch, caplog
):
    backend = get_engine().backend("it")

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(backend, "write_unlocked", broken)
    monkeypatch.setattr(whoosh.time, "sleep", lambda seconds: None)
    with (
        caplog.at_level(logging.WARNING, logger="glossary.search"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        term = new_term("zebra")  # the save itself succeeds
    assert "could not index terms" in caplog.text and "disk full" in caplog.text
    assert get_engine().check("it").pending == [term.pk]
    assert found("zebrure", "fr")  # the other languages were written

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        new_term("other-zebra", name_it="Altra zebra", slug_it="altra-zebra")
    assert found("zebratura", "it")  # the queued term went in with the next write
    assert get_engine().check("it").ok


def test_search_check_reports_and_fixes_missing_stale_and_orphaned_documents(capsys):
    from glossary.models import Term

    category = first_category()
    missing = Term.objects.bulk_create(
        [Term(key="bulk", category=category, slug_fr="bulk", name_fr="Vrac", status="published")]
    )
    stale = Term.objects.get(key="chatbot")
    Term.objects.filter(pk=stale.pk).update(summary_fr="Modifié sans signal.")
    orphan = new_term("zebra")  # no commit callbacks here: indexed by hand, then removed raw
    get_engine().index([orphan.pk], ["fr"])
    Term.objects.filter(pk=orphan.pk)._raw_delete(Term.objects.db)

    report = get_engine().check("fr")
    assert report.missing == [missing[0].pk]
    assert report.stale == [stale.pk]
    assert report.orphaned == [orphan.pk]
    with pytest.raises(CommandError):
        call_command("search_check", using=["fr"])
    assert "1 missing, 1 stale, 1 orphaned" in capsys.readouterr().out

    call_command("search_check", fix=True)
    assert all(get_engine().check(code).ok for code in ("fr", "it", "en"))


def test_commands_refuse_an_unknown_language():
    with pytest.raises(CommandError, match="de"):
        call_command("search_check", using=["de"])
    with pytest.raises(CommandError, match="de"):
        call_command("rebuild_index", using=["de"])


def test_rebuild_index_writes_each_language_in_one_segment(capsys):
    call_command("rebuild_index", noinput=True)
    assert "fr: " in capsys.readouterr().out
    for code in ("fr", "it", "en"):
        assert get_engine().backend(code).segment_count() == 1


@pytest.mark.django_db(transaction=True)
def test_four_processes_writing_at_once_leave_every_index_consistent(tmp_path):
    env = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "SEARCH_INDEX_DIR": str(tmp_path / "search"),
        "SEARCH_LOCK_TIMEOUT": "120",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]

    def run(*args, timeout=300):
        return subprocess.run(
            args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout
        )

    for command in (["migrate", "--noinput"], ["load_glossary"], ["rebuild_index", "--noinput"]):
        assert run(*manage, *command).returncode == 0
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
        assert "Traceback" not in err and "could not index" not in err, err[-2000:]
    check = run(*manage, "search_check")
    assert check.returncode == 0, check.stdout + check.stderr
    for code in ("fr", "it", "en"):
        assert f"{code}: 0 missing, 0 stale, 0 orphaned, 0 pending" in check.stdout


def test_a_rebuild_gives_one_complete_segment():
    engine = get_engine()
    engine.index([new_term("zebra").pk])  # a second segment
    assert engine.rebuild("fr") == engine.term_index().index_queryset("fr").count()
    assert engine.backend("fr").segment_count() == 1
    assert engine.check("fr").ok
    assert found("zebrure", "fr") and found("promoteur", "fr")


def test_a_rebuild_that_fails_while_reading_leaves_the_index_as_it_was():
    engine = get_engine()
    backend, index = engine.backend("fr"), engine.term_index()
    before = engine.documents("fr")

    def terms_then_error():
        yield from index.index_queryset("fr")
        raise ValueError("database went away")

    with pytest.raises(ValueError, match="database went away"):
        backend.rebuild(index, terms_then_error())
    assert engine.documents("fr") == before and found("promoteur", "fr")


def test_the_saves_of_one_transaction_are_indexed_in_one_write(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        new_term("zebra")
        new_term("other-zebra", name_fr="Zèbre", slug_fr="zebre", slug_it="z-it", slug_en="z-en")
    ours = [c for c in callbacks if type(getattr(c, "__self__", None)) is indexing._Batch]
    assert len(ours) == 1
    assert found("zebrure", "fr") and found("zebre", "fr")
