"""GET /healthz: 200 when the database, the search indexes and the cache answer; else 503."""

import json
import logging
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


def get_health(client: Client, **extra):
    response = client.get("/healthz", **extra)
    return response, json.loads(response.content)


def test_a_healthy_site_answers_200_with_every_part_ok(client):
    response, body = get_health(client)
    assert response.status_code == 200
    assert body == {"database": "ok", "search": "ok", "cache": "ok"}
    assert response["Content-Type"] == "application/json"


def test_the_answer_is_never_cached_and_needs_no_session_or_language(client):
    response, _body = get_health(client, HTTP_ACCEPT_LANGUAGE="it")
    assert response.status_code == 200  # no redirect to /it/...
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies  # neither session nor CSRF cookie


@override_settings(SECURE_SSL_REDIRECT=True)
def test_it_answers_over_plain_http_when_pages_redirect_to_https(client):
    assert client.get("/en/").status_code == 301
    response, _body = get_health(client)
    assert response.status_code == 200


def test_it_refuses_writes(client):
    assert client.post("/healthz").status_code == 405


def test_an_unreachable_database_is_named_and_its_error_kept_out_of_the_answer(client, caplog):
    failure = OperationalError("connection to server at 10.0.0.9 refused: secret detail")
    with (
        mock.patch.object(connection, "cursor", side_effect=failure),
        caplog.at_level(logging.ERROR, logger="kb.health"),
    ):
        response, body = get_health(client)
    assert response.status_code == 503
    assert body == {"database": "error", "search": "ok", "cache": "ok"}
    assert b"secret detail" not in response.content
    assert "secret detail" in caplog.text  # the operator finds it in the log


def test_a_search_engine_that_cannot_open_its_index_is_named(client):
    with mock.patch(
        "glossary.search.whoosh.WhooshEngine.ping", side_effect=OSError("index unreadable")
    ):
        response, body = get_health(client)
    assert response.status_code == 503
    assert body == {"database": "ok", "search": "error", "cache": "ok"}


def test_a_broken_search_index_directory_is_named(client, tmp_path):
    from haystack import connections

    backend = connections["fr"].get_backend()
    index_dir = tmp_path / "fr"
    index_dir.mkdir()
    (index_dir / "_MAIN_1.toc").write_bytes(b"not a whoosh table of contents")
    with (
        mock.patch.object(backend, "path", str(index_dir)),
        mock.patch.object(backend, "setup_complete", False),
        mock.patch.object(backend, "_local", mock.Mock(searcher=None)),
    ):
        response, body = get_health(client)
    assert response.status_code == 503
    assert body["search"] == "error"


def test_a_cache_that_cannot_store_is_named(client):
    with mock.patch("django.core.cache.cache.set", side_effect=OSError("disk full")):
        response, body = get_health(client)
    assert response.status_code == 503
    assert body == {"database": "ok", "search": "ok", "cache": "error"}


def test_a_cache_that_forgets_is_named(client):
    with mock.patch("django.core.cache.cache.get", return_value=None):
        response, body = get_health(client)
    assert response.status_code == 503
    assert body["cache"] == "error"


def test_every_failing_part_is_named_at_once(client):
    with (
        mock.patch.object(connection, "cursor", side_effect=OperationalError("down")),
        mock.patch("django.core.cache.cache.set", side_effect=OSError("disk full")),
    ):
        response, body = get_health(client)
    assert response.status_code == 503
    assert body == {"database": "error", "search": "ok", "cache": "error"}


def test_it_costs_one_database_query(client, django_assert_num_queries):
    get_health(client)  # opens the search readers once, as a worker's first probe does
    # Its speed is measured by tests/bench/bench_healthz.py (make bench), not asserted here.
    with django_assert_num_queries(1):
        response, body = get_health(client)
    assert response.status_code == 200
