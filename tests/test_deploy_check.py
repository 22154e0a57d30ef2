"""`manage.py check --deploy` warns when a PostgreSQL site keeps its cache or its search on one
machine (kb/core/checks.py), naming the settings to change."""

import pytest
from django.core.checks import run_checks
from django.db import connections

from kb.core.checks import check_shared_state

FILE = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": "/tmp/c"}
LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
REDIS = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://r:6379/0"}
DATABASE = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "kb_cache"}


@pytest.fixture
def on_postgresql(monkeypatch):
    monkeypatch.setattr(connections["default"], "vendor", "postgresql")


@pytest.fixture
def on_sqlite(monkeypatch):
    monkeypatch.setattr(connections["default"], "vendor", "sqlite")


@pytest.fixture
def whoosh(settings, monkeypatch):
    monkeypatch.delenv("SEARCH_URL", raising=False)
    settings.SEARCH_ENGINE = "glossary.search.whoosh.WhooshEngine"
    if hasattr(settings, "SEARCH_URL"):
        del settings.SEARCH_URL


def ids(warnings) -> set[str]:
    return {warning.id for warning in warnings}


@pytest.mark.parametrize("cache", [FILE, LOCMEM])
def test_a_postgresql_site_with_a_cache_on_one_machine_is_warned(
    on_postgresql, whoosh, settings, cache
):
    settings.CACHES = {"default": cache}
    warnings = check_shared_state()
    assert ids(warnings) == {"core.W001", "core.W002"}
    cache_warning = next(w for w in warnings if w.id == "core.W001")
    assert "CACHE_URL=redis://" in cache_warning.hint
    assert "more than one app server" in cache_warning.hint
    search_warning = next(w for w in warnings if w.id == "core.W002")
    assert "SEARCH_URL=postgres" in search_warning.hint


@pytest.mark.parametrize("cache", [REDIS, DATABASE])
def test_a_shared_cache_silences_the_cache_warning(on_postgresql, whoosh, settings, cache):
    settings.CACHES = {"default": cache}
    assert ids(check_shared_state()) == {"core.W002"}


def test_postgresql_search_from_the_environment_or_the_settings_silences_the_search_warning(
    on_postgresql, whoosh, settings, monkeypatch
):
    settings.CACHES = {"default": REDIS}
    monkeypatch.setenv("SEARCH_URL", "postgres")
    assert check_shared_state() == []
    monkeypatch.delenv("SEARCH_URL")
    settings.SEARCH_URL = "postgres"
    assert check_shared_state() == []
    del settings.SEARCH_URL
    settings.SEARCH_ENGINE = "glossary.search.postgres.PostgresEngine"
    assert check_shared_state() == []


def test_sqlite_is_one_machine_by_nature_and_gets_no_warning(on_sqlite, whoosh, settings):
    settings.CACHES = {"default": FILE}
    assert check_shared_state() == []


def test_the_check_runs_with_deploy_checks_only(on_postgresql, whoosh, settings):
    settings.CACHES = {"default": FILE}
    assert {"core.W001", "core.W002"} <= ids(run_checks(include_deployment_checks=True))
    assert not {"core.W001", "core.W002"} & ids(run_checks(include_deployment_checks=False))
