"""The knowledge base is half of the site: every page's main navigation leads to it, and the
home page shows its latest articles."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from kb.articles.models import Article

LANGUAGES = ["fr", "it", "en"]
KB_LABEL = {"fr": "Base de connaissances", "it": "Base di conoscenza", "en": "Knowledge base"}


def url(name, language, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def main_nav(html: str) -> str:
    match = re.search(r'<nav class="main-nav".*?</nav>', html, re.S)
    assert match, "the page has no main navigation"
    return match.group(0)


def kb_link(html: str, language: str) -> str:
    """The main navigation's <a> tag that leads to the knowledge base in `language`."""
    href = url("articles:article-list", language)
    match = re.search(rf'<a href="{re.escape(href)}"[^>]*>{KB_LABEL[language]}</a>', main_nav(html))
    assert match, f"no link to {href} labelled {KB_LABEL[language]!r} in the main navigation"
    return match.group(0)


def home_section(html: str) -> str:
    match = re.search(r'<section class="kb-home".*?</section>', html, re.S)
    assert match, "the home page has no knowledge-base section"
    return match.group(0)


@pytest.fixture
def make_article(db):
    """An article; a language counts as written when it has a title and a body (a default one)."""

    def make(key, status=Article.Status.PUBLISHED, **texts):
        values = {
            f"{field}_{code}": value
            for code, fields in texts.items()
            for field, value in {"body": "Texte.", **fields}.items()
        }
        return Article.objects.create(key=key, status=status, **values)

    return make


@pytest.fixture
def article(make_article):
    return make_article(
        "nps-guide",
        fr={"title": "Guide du NPS", "slug": "guide-nps", "summary": "Le calculer."},
        it={"title": "Guida all'NPS", "slug": "guida-nps", "summary": "Calcolarlo."},
        en={"title": "NPS guide", "slug": "nps-guide", "summary": "How to compute it."},
    )


def pages(language, term, article):
    """One page of each kind the navigation must serve, in `language`."""
    return {
        "home": url("kb:home", language),
        "term": term.get_absolute_url(language),
        "calculator": url("nps:calculator", language),
        "A–Z": url("glossary:term-index", language),
        "article": article.get_absolute_url(language),
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_kind_of_page_links_to_the_knowledge_base_in_its_language(
    client, nps_term, article, language
):
    for kind, path in pages(language, nps_term, article).items():
        response = client.get(path)
        assert response.status_code == 200, kind
        kb_link(response.content.decode(), language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_link_is_current_in_the_knowledge_base_and_nowhere_else(
    client, nps_term, article, language
):
    listing = client.get(url("articles:article-list", language)).content.decode()
    assert 'aria-current="page"' in kb_link(listing, language)
    # On an article the link leads to the section the reader is in, not to this very page.
    detail = client.get(article.get_absolute_url(language)).content.decode()
    assert 'aria-current="true"' in kb_link(detail, language)
    for kind in ["home", "term", "calculator", "A–Z"]:
        html = client.get(pages(language, nps_term, article)[kind]).content.decode()
        assert "aria-current" not in kb_link(html, language), kind


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_links_to_the_knowledge_base(client, db, language):
    section = home_section(client.get(url("kb:home", language)).content.decode())
    assert f'href="{url("articles:article-list", language)}"' in section


def test_home_lists_published_articles_only_newest_first(client, make_article):
    now = timezone.now()
    for index in range(6):
        make_article(f"a{index}", fr={"title": f"Article {index}", "slug": f"article-{index}"})
        Article.objects.filter(key=f"a{index}").update(
            first_published_at=now - timedelta(days=10 - index)
        )
    make_article("draft", Article.Status.DRAFT, fr={"title": "Brouillon", "slug": "brouillon"})

    section = home_section(client.get("/fr/").content.decode())
    titles = re.findall(r'<h3 class="card-title"><a href="[^"]+">([^<]+)</a>', section)
    assert titles == ["Article 5", "Article 4", "Article 3", "Article 2"]
    assert "Brouillon" not in section


def test_home_shows_articles_in_the_readers_language_with_the_usual_fallback(
    client, article, make_article
):
    make_article("fr-only", fr={"title": "Seulement en français", "slug": "seulement"})

    italian = home_section(client.get("/it/").content.decode())
    assert f'<a href="{article.get_absolute_url("it")}">Guida all&#x27;NPS</a>' in italian
    assert "Calcolarlo." in italian
    # The French-only article: French text, marked as such, at its Italian URL.
    assert '<li class="term-card" lang="fr">' in italian
    assert f'href="{url("articles:article-detail", "it", slug="seulement")}"' in italian
    assert "Non ancora tradotto" in italian

    english = home_section(client.get("/en/").content.decode())
    assert "NPS guide" in english and "How to compute it." in english
    assert "Guide du NPS" not in english


def test_home_without_articles_still_leads_to_the_knowledge_base(client, db):
    section = home_section(client.get("/en/").content.decode())
    assert '<ul class="term-list article-list">' not in section
    assert 'href="/en/kb/"' in section


def test_home_runs_a_fixed_number_of_queries(
    client, nps_term, make_term, make_article, django_assert_num_queries
):
    for index in range(10):
        make_term(f"h{index}", fr={"name": f"Terme {index}", "slug": f"terme-{index}"})
        make_article(f"a{index}", fr={"title": f"Article {index}", "slug": f"article-{index}"})
    # 1. categories with their term counts, 2. number of published terms, 3. recent terms,
    # 4. the latest published articles.
    with django_assert_num_queries(4):
        assert client.get("/fr/").status_code == 200
