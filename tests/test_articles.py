"""Knowledge-base articles: content, pages, SEO, fallbacks, term-page section, loading."""

import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from kb.articles.models import Article

LANGUAGES = ["fr", "it", "en"]


@pytest.fixture
def articles(glossary_content):
    """The project's real articles, loaded as `make setup` does."""
    call_command("load_articles", verbosity=0)
    return Article.objects.all()


@pytest.fixture
def make_article(db):
    def make(key, status=Article.Status.PUBLISHED, terms=(), **texts):
        values = {
            f"{field}_{code}": value for code, f in texts.items() for field, value in f.items()
        }
        article = Article.objects.create(key=key, status=status, **values)
        article.related_terms.set(terms)
        return article

    return make


def url(name, language, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def json_ld(html):
    return [json.loads(block) for block in re.findall(r'ld\+json">(.*?)</script>', html, re.S)]


def test_article_urls_have_a_translated_segment():
    assert url("articles:article-list", "en") == "/en/kb/"
    assert url("articles:article-list", "fr") == "/fr/base-de-connaissances/"
    assert url("articles:article-list", "it") == "/it/base-di-conoscenza/"


def test_three_written_articles_are_published_in_every_language(articles):
    published = Article.objects.published()
    assert published.count() >= 3
    for article in published:
        assert article.languages() == LANGUAGES
        assert article.related_terms.count() >= 5


def test_nps_article_states_the_right_categories_in_each_language(articles):
    article = Article.objects.get(key="nps-for-smes")
    assert "**0 à 6**" in article.body_fr and "**9 et 10**" in article.body_fr
    assert "**0 a 6**" in article.body_it and "**9 e 10**" in article.body_it
    assert "**0 to 6**" in article.body_en and "**9 and 10**" in article.body_en


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_article_page_answers_with_one_h1_title_description_and_canonical(
    client, articles, language
):
    for article in Article.objects.published():
        response = client.get(article.get_absolute_url(language))
        assert response.status_code == 200
        html = response.content.decode()
        assert html.count("<h1") == 1
        title = article.text("title", language)
        assert f"<title>{title}" in html.replace("&#x27;", "'")
        assert '<meta name="description" content="' in html
        canonical = f'<link rel="canonical" href="http://testserver{article.get_absolute_url()}">'
        assert canonical.replace(article.get_absolute_url(), article.get_absolute_url(language))
        for code in LANGUAGES:
            assert (
                f'hreflang="{code}" href="http://testserver{article.get_absolute_url(code)}"'
                in (html)
            )


def test_article_page_carries_article_json_ld_about_its_terms(client, articles):
    article = Article.objects.get(key="nps-for-smes")
    html = client.get(article.get_absolute_url("en")).content.decode()
    (data,) = json_ld(html)
    assert data["@type"] == "Article"
    assert data["headline"] == "NPS for small and medium businesses"
    assert data["inLanguage"] == "en"
    assert "Net Promoter Score" in [term["name"] for term in data["about"]]


def test_another_languages_slug_redirects_permanently_to_this_languages(client, articles):
    english_slug = "nps-for-small-and-medium-businesses"
    response = client.get(f"/fr/base-de-connaissances/{english_slug}/")
    assert response.status_code == 301
    assert response["Location"] == "/fr/base-de-connaissances/nps-petites-moyennes-entreprises/"


def test_untranslated_article_falls_back_with_an_honest_notice(client, make_article):
    article = make_article(
        "only-french", fr={"title": "Seulement en français", "slug": "seulement", "body": "Texte."}
    )
    response = client.get(article.get_absolute_url("it"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="wrap article" lang="fr"' in html
    assert "non è ancora stato tradotto" in html
    # Only the French page is advertised: the Italian one is a fallback.
    assert 'hreflang="fr"' in html and 'hreflang="it"' not in html
    assert '<link rel="canonical" href="http://testserver/it/' not in html


def test_draft_and_unknown_articles_are_not_found(client, make_article):
    draft = make_article(
        "draft", status=Article.Status.DRAFT, fr={"title": "B", "slug": "b", "body": "x"}
    )
    assert client.get(draft.get_absolute_url("fr")).status_code == 404
    assert client.get("/en/kb/no-such-article/").status_code == 404


def test_article_list_shows_every_published_article(client, articles, django_assert_num_queries):
    # 1. the sections, 2. the published articles (grouped by section in Python).
    with django_assert_num_queries(2):
        html = client.get("/en/kb/").content.decode()
    assert html.count("<h1") == 1
    for article in Article.objects.published():
        assert f'href="{article.get_absolute_url("en")}"' in html


def test_article_page_query_count_does_not_grow_with_its_terms(
    client, articles, django_assert_num_queries
):
    from glossary.models import Category, Term

    article = Article.objects.get(key="contact-centre-and-crm")
    path = article.get_absolute_url("en")
    client.get(path)  # builds the auto-link patterns
    # 1. the article with its section (a join), 2. its related published terms.
    with django_assert_num_queries(2):
        assert client.get(path).status_code == 200
    category = Category.objects.first()
    terms = [
        Term.objects.create(
            key=f"extra-{i}",
            name_fr=f"Extra {i}",
            slug_fr=f"extra-{i}",
            category=category,
            status=Term.Status.PUBLISHED,
        )
        for i in range(5)
    ]
    article.related_terms.add(*terms)
    client.get(path)
    with django_assert_num_queries(2):
        assert client.get(path).status_code == 200


def test_article_body_links_the_terms_it_mentions(client, articles):
    article = Article.objects.get(key="contact-centre-and-crm")
    html = client.get(article.get_absolute_url("fr")).content.decode()
    assert 'href="/fr/termes/serveur-vocal-interactif/"' in html
    assert 'role="tooltip"' in html


def test_term_page_lists_its_articles_under_related_content(client, articles):
    html = client.get("/it/termini/net-promoter-score/").content.decode()
    section = html.split('id="related-content-title"')[1].split("</section>")[0]
    assert "Contenuti correlati" in html
    assert "L&#x27;NPS per le piccole e medie imprese" in section
    assert 'href="/it/base-di-conoscenza/nps-piccole-medie-imprese/"' in section


def test_term_page_related_content_costs_one_query_whatever_the_number_of_articles(
    client, nps_term, make_article, django_assert_num_queries
):
    path = nps_term.get_absolute_url("en")

    def count():
        client.get(path)  # auto-link patterns rebuilt after the glossary changed
        # term, its labels, its sources, relations, related articles (no auto-link query:
        # cached)
        with django_assert_num_queries(5):
            assert client.get(path).status_code == 200

    count()
    for index in range(4):
        make_article(
            f"a{index}",
            terms=[nps_term],
            fr={"title": f"Article {index}", "slug": f"article-{index}", "body": "Texte."},
        )
    count()
    html = client.get(path).content.decode()
    assert html.count('<li lang="fr"><a href="/en/kb/article-') == 4  # French text, marked


def test_draft_articles_stay_off_term_pages(client, nps_term, make_article):
    make_article(
        "secret",
        status=Article.Status.DRAFT,
        terms=[nps_term],
        fr={"title": "Brouillon secret", "slug": "brouillon", "body": "x"},
    )
    assert "Brouillon secret" not in client.get(nps_term.get_absolute_url("fr")).content.decode()


def test_sitemap_lists_article_pages_in_their_languages(client, articles):
    xml = client.get("/sitemap.xml").content.decode()
    assert "http://testserver/it/base-di-conoscenza/contact-center-e-crm/" in xml
    assert "http://testserver/en/kb/contact-centre-and-crm/" in xml


def test_loading_articles_twice_changes_nothing(articles, capsys):
    call_command("load_articles")
    count = Article.objects.count()
    assert f"0 created, 0 updated, {count} left as they were" in capsys.readouterr().out


def test_loading_articles_reports_in_the_terminals_language(articles, capsys):
    with translation.override("fr"):
        call_command("load_articles")
    count = Article.objects.count()
    assert f"Articles\u202f: 0 créés, 0 mis à jour, {count} laissés tels quels." in (
        capsys.readouterr().out
    )


def test_loading_articles_without_the_glossary_fails_cleanly(db):
    with pytest.raises(CommandError, match="unknown term keys"):
        call_command("load_articles")
    assert Article.objects.count() == 0


def test_admin_lists_and_edits_articles(client, superuser, articles):
    client.force_login(superuser)
    assert client.get("/admin/articles/article/").status_code == 200
    article = Article.objects.get(key="nps-for-smes")
    html = client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert "related_terms" in html and "admin-autocomplete" in html
    assert "View on site" in html or "Voir sur le site" in html


def test_article_changes_are_recorded_and_can_be_restored(client, superuser, articles):
    from kb.core.history import restore

    article = Article.objects.get(key="nps-for-smes")
    article.title_en = "A worse title"
    article.save()
    first = article.history.order_by("history_date").first()
    assert article.history.count() == 2
    restore(first, superuser)
    article.refresh_from_db()
    assert article.title_en == "NPS for small and medium businesses"
    assert article.history.count() == 3  # the restore is itself recorded
    client.force_login(superuser)
    response = client.get(f"/admin/articles/article/{article.pk}/history/")
    assert response.status_code == 200
    assert "A worse title" in response.content.decode()
