"""Knowledge-base articles in search, next to terms: the page, the API and the engine.

On the real glossary and knowledge base, indexed once for the module.
"""

import pytest
from django.utils import translation

from kb.core.collation import fold
from tests.search_fixtures import each_engine, indexed_glossary_by_engine, rebuild_all  # noqa: F401

LANGUAGES = ("fr", "it", "en")

pytestmark = pytest.mark.usefixtures("search_engine")  # each engine in turn


@pytest.fixture(scope="module")
def indexed_site(indexed_glossary, django_db_blocker):  # noqa: F811
    """The real glossary and articles, loaded and indexed once for this module (the glossary
    fixture flushes both after)."""
    from kb.articles.content import load as load_articles

    with django_db_blocker.unblock():
        load_articles()
        rebuild_all()


@pytest.fixture
def site(indexed_site, db):
    from glossary.search.engine import get_engine

    return get_engine()


def article_titles() -> list[tuple[str, str, str]]:
    """(key, language, title) of every written article, read from the content files."""
    from kb.articles.content import read_articles

    return [
        (entry["key"], code, entry["values"][f"title_{code}"])
        for entry in read_articles()
        for code in LANGUAGES
        if entry["values"][f"title_{code}"]
    ]


def keys_of(hits) -> list[str]:
    from kb.articles.models import Article

    articles = Article.objects.in_bulk([hit.pk for hit in hits if hit.kind == "article"])
    return [articles[hit.pk].key for hit in hits if hit.kind == "article"]


@pytest.mark.parametrize(("key", "language", "title"), article_titles())
def test_the_words_of_an_articles_title_find_it_in_its_language(site, key, language, title):
    result = site.search(title, language, kind="article")
    assert not result.fallback
    assert key in keys_of(result.hits)


@pytest.mark.parametrize(("key", "language", "title"), article_titles()[::4])
def test_accentless_lowercase_title_words_find_it_too(site, key, language, title):
    result = site.search(fold(title).lower(), language, kind="article")
    assert key in keys_of(result.hits)


@pytest.mark.parametrize(
    ("language", "query", "key"),
    [
        # The examples: both found nothing before.
        ("fr", "Centre contact", "contact-centre-and-crm"),
        ("en", "premium Indigo", "choosing-special-numbers"),
        # stemming: plural and singular, a verb form
        ("fr", "numéros spéciaux", "choosing-special-numbers"),
        ("it", "numero speciale", "special-numbers-italy"),
        ("en", "mapped journeys", "mapping-a-customer-journey"),
        # elisions
        ("fr", "l'attrition", "reducing-churn-with-analytics"),
    ],
)
def test_articles_are_searched_with_the_languages_analysis(site, language, query, key):
    assert key in keys_of(site.search(query, language, kind="article").hits)


def test_with_nothing_in_the_readers_language_other_languages_answer(site):
    # Italian words in the English index: found through the fallback, linking to English pages.
    result = site.search("panoramica", "en", kind="article")
    assert result.fallback and "contact-centre-and-crm" in keys_of(result.hits)
    hit = next(hit for hit in result.hits if hit.kind == "article")
    assert hit.url.startswith("/en/kb/")


def test_titles_weigh_more_than_summaries_and_bodies(site):
    from glossary.search.engine import get_engine
    from kb.articles.models import Article

    def make(key: str, **fields) -> Article:
        values = {f"{name}_fr": value for name, value in fields.items()}
        return Article.objects.create(key=key, status=Article.Status.PUBLISHED, **values)

    articles = [
        make("in-body", title="Premier", slug="premier", body="Le mot zorglub est ici."),
        make("in-summary", title="Deuxième", slug="deuxieme", summary="Zorglub.", body="Rien."),
        make("in-title", title="Zorglub", slug="zorglub", body="Rien."),
    ]
    get_engine().index_documents("articles.article", [a.pk for a in articles])
    result = get_engine().search("zorglub", "fr")
    assert keys_of(result.hits) == ["in-title", "in-summary", "in-body"]


def test_a_result_says_its_kind_and_the_page_filters_by_kind(client, site):
    with translation.override("fr"):
        url = "/fr/recherche/"
    mixed = client.get(url, {"q": "centre contact crm"}).content.decode()
    assert 'class="search-result search-result-term"' in mixed
    assert 'class="search-result search-result-article"' in mixed
    assert '<p class="result-kind">Article</p>' in mixed
    assert '<p class="result-kind">Terme</p>' in mixed
    only_articles = client.get(url, {"q": "centre contact crm", "kind": "article"})
    html = only_articles.content.decode()
    assert "search-result-term" not in html and "search-result-article" in html
    assert '<span aria-current="page">Articles</span>' in html
    only_terms = client.get(url, {"q": "centre contact crm", "kind": "term"}).content.decode()
    assert "search-result-article" not in only_terms and "search-result-term" in only_terms
    # A kind the page does not know shows every kind (no error for a hand-edited address).
    assert client.get(url, {"q": "centre contact crm", "kind": "<x>"}).status_code == 200


def test_the_api_returns_both_kinds_and_filters(client, site):
    data = client.get("/api/v1/search", {"q": "centre contact crm", "lang": "fr"}).json()
    assert {result["kind"] for result in data["results"]} == {"term", "article"}
    articles = client.get(
        "/api/v1/search", {"q": "centre contact crm", "lang": "fr", "kind": "article"}
    ).json()
    assert articles["results"] and {r["kind"] for r in articles["results"]} == {"article"}
    assert articles["results"][0]["url"].startswith("/fr/base-de-connaissances/")
    bad = client.get("/api/v1/search", {"q": "x", "lang": "fr", "kind": "page"})
    assert bad.status_code in (400, 422) and bad.json()


def test_autocomplete_stays_on_term_labels(site):
    labels = [entry["url"] for entry in site.suggest("centre", "fr")]
    assert labels and all("/termes/" in url for url in labels)


def test_an_unpublished_article_leaves_the_results(site, django_capture_on_commit_callbacks):
    from kb.articles.models import Article

    article = Article.objects.get(key="keeping-crm-data-clean")
    assert "keeping-crm-data-clean" in keys_of(site.search(article.title_en, "en").hits)
    with django_capture_on_commit_callbacks(execute=True):
        article.status = Article.Status.DRAFT
        article.save()
    assert "keeping-crm-data-clean" not in keys_of(site.search(article.title_en, "en").hits)
    with django_capture_on_commit_callbacks(execute=True):
        article.status = Article.Status.PUBLISHED
        article.save()
    assert "keeping-crm-data-clean" in keys_of(site.search(article.title_en, "en").hits)


def test_search_check_still_compares_terms_only(site):
    report = site.check("fr")
    assert report.ok, report
