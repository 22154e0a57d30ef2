"""GET /api/v1/suggest and /api/v1/search, and hostile input on every search entry point."""

from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.search_fixtures import each_engine, indexed_glossary_by_engine, search_index  # noqa: F401

pytestmark = pytest.mark.usefixtures("search_engine", "search_index")


@pytest.mark.parametrize(
    ("lang", "typed", "label", "name"),
    [
        ("fr", "num", "Numéro vert", "Numéro vert"),
        ("it", "numero v", "Numero verde", "Numero verde"),
        ("en", "net prom", "Net Promoter Score", "Net Promoter Score"),
        ("fr", "dialog", "Dialogueur", "Chatbot"),  # a synonym: label is what matched
        ("en", "NP", "NPS", "Net Promoter Score"),  # an acronym
    ],
)
def test_suggest_returns_names_acronyms_and_synonyms_by_prefix(client, lang, typed, label, name):
    response = client.get("/api/v1/suggest", {"q": typed, "lang": lang})
    assert response.status_code == 200
    suggestions = response.json()["suggestions"]
    assert 1 <= len(suggestions) <= 10
    assert {"label": label, "name": name} in [
        {"label": s["label"], "name": s["name"]} for s in suggestions
    ]
    for suggestion in suggestions:
        assert set(suggestion) == {"label", "name", "slug", "url"}
        assert suggestion["url"].startswith(f"/{lang}/")


def test_suggest_never_offers_a_hidden_label(client):
    suggestions = client.get("/api/v1/suggest", {"q": "chatter", "lang": "fr"}).json()
    assert all("chatter" not in s["label"].lower() for s in suggestions["suggestions"])


def test_search_returns_the_documented_shape(client):
    response = client.get("/api/v1/search", {"q": "promotori", "lang": "it"})
    data = response.json()
    assert response.status_code == 200
    assert set(data) == {"count", "results", "did_you_mean", "fallback"}
    assert data["count"] >= 1 and data["fallback"] is False and data["did_you_mean"] is None
    first = data["results"][0]
    assert set(first) == {
        "kind", "slug", "name", "url", "language", "summary", "highlight",
        "matched_label", "matched_label_status",
    }  # fmt: skip
    assert first["name"] == "Promotore" and first["language"] == "it"
    assert "<mark>promotori</mark>" in first["highlight"]


def test_search_falls_back_to_other_languages_with_urls_in_the_requested_one(client):
    data = client.get("/api/v1/search", {"q": "dialogueur", "lang": "en"}).json()
    assert data["fallback"] is True
    assert data["results"][0]["language"] == "fr"
    assert data["results"][0]["url"].startswith("/en/terms/")


def test_search_suggests_a_spelling_only_when_nothing_matches(client):
    data = client.get("/api/v1/search", {"q": "chatbott", "lang": "en"}).json()
    assert data == {"count": 0, "results": [], "did_you_mean": "chatbot", "fallback": False}


def test_search_pages(client):
    one = client.get("/api/v1/search", {"q": "client", "lang": "fr"}).json()
    two = client.get("/api/v1/search", {"q": "client", "lang": "fr", "page": 2}).json()
    assert one["count"] > 10 and len(one["results"]) == 10
    assert {r["slug"] for r in one["results"]}.isdisjoint({r["slug"] for r in two["results"]})
    beyond = client.get("/api/v1/search", {"q": "client", "lang": "fr", "page": 99}).json()
    assert beyond["count"] == one["count"] and beyond["results"] == []


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"q": "x", "lang": "de"}, "invalid_language"),
        ({"q": "x", "lang": "fr", "page": "0"}, "invalid_page"),
        ({"q": "x", "lang": "fr", "page": "abc"}, "invalid_parameters"),
        ({"q": "x", "lang": "fr", "page": "99999999999999999999"}, "invalid_page"),
    ],
)
def test_bad_parameters_answer_400_with_a_message(client, params, code):
    response = client.get("/api/v1/search", params, HTTP_ACCEPT_LANGUAGE="it")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]


def test_search_endpoints_are_in_the_openapi_description(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/suggest" in paths and "/api/v1/search" in paths


HOSTILE = [
    '"', '"unbalanced', "'", "AND", "OR", "NOT", "AND OR (", "(", ")", "((((", "*", "?", "**",
    "title:", "name:NPS", "django_ct:glossary.term", "id:*", "NPS^10", "NPS~2", "[a TO z]",
    "{a TO z}", "a\x00b", "\x00", "\ud800", "x\udfffy", "🙂", "🙂🙂🙂 NPS", "x" * 10_000,
    "numéro " * 2_000, "<script>alert(1)</script>", "%00", "\\", "'; DROP TABLE glossary_term; --",
    "\u202e\u200b", "\t\n\r", "   ", "", "../../etc/passwd", "NPS" + "\u0301" * 500,
    "ﷺ" * 100, "l'" * 300,
]  # fmt: skip


def raw_query(query: str) -> str:
    """The query as a browser could send it: lone surrogates as their (invalid) UTF-8 bytes."""
    return quote(query, safe="", errors="surrogatepass")


def search_url(language):
    with translation.override(language):
        return reverse("glossary:search")


@pytest.mark.parametrize("query", HOSTILE)
@pytest.mark.parametrize("language", ["fr", "it", "en"])
def test_hostile_queries_never_break_the_search_page(client, query, language):
    response = client.get(f"{search_url(language)}?q={raw_query(query)}")
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert "<script>alert" not in response.content.decode()


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_break_the_json_api(client, query):
    for endpoint in ("/api/v1/search", "/api/v1/suggest"):
        response = client.get(f"{endpoint}?lang=it&q={raw_query(query)}")
        assert response.status_code == 200, (endpoint, response.content[:200])


# Misspelt glossary words (letters, accents and apostrophes of the three languages) and any
# text at all: the paths a miss takes (the fallback to other languages, the close words of
# every language, the choice between their combinations) must hold for whatever is typed.
TYPED = st.text(st.sampled_from(list("aceilmnoprstuvéèàò' -")), max_size=40) | st.text(max_size=60)


@given(typed=TYPED, language=st.sampled_from(["fr", "it", "en"]))
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_any_typed_text_gets_an_answer_and_a_suggestion_that_finds_something(typed, language):
    from glossary.search.engine import get_engine

    engine = get_engine()
    result = engine.search(typed, language)
    assert result.count >= len(result.hits)
    if result.did_you_mean:
        assert not result.count
        assert engine.search(result.did_you_mean, language).count > 0


def test_long_queries_are_cut_and_say_so(client):
    response = client.get(search_url("en"), {"q": "numbers " * 100})
    assert response.status_code == 200
    assert "shortened" in response.content.decode()
