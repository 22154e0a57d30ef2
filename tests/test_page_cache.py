"""Public pages from the shared cache (kb/core/pagecache.py), keyed by the content generation
(kb/core/generation.py): zero queries when warm, fresh at once after any change, never for
editors, never for query strings, forms, cookies or errors."""

import pytest
from django.conf import settings as site_settings
from django.http import HttpResponse
from django.test import RequestFactory

from kb import settings as kb_settings
from kb.core import generation
from kb.core.pagecache import PageCacheMiddleware, page_key
from tests.admin_forms import client_for, form_data


@pytest.fixture(autouse=True)
def page_cache(settings):
    """The site's page cache, which tests/conftest.py turns off for other tests."""
    settings.PAGE_CACHE_VIEWS = kb_settings.PAGE_CACHE_VIEWS


@pytest.fixture
def pages(nps_term, csat, category):
    return {
        "home": "/en/",
        "A-Z": "/en/terms/",
        "term": nps_term.get_absolute_url("en"),
        "categories": "/en/categories/",
        "category": category.get_absolute_url("en"),
        "calculator": "/en/tools/nps/",
        "sitemap": "/sitemap.xml",
    }


@pytest.mark.parametrize("page", ["home", "A-Z", "term", "categories", "category", "calculator"])
def test_a_warm_page_runs_no_query_and_is_the_same_page(
    client, pages, page, django_assert_num_queries
):
    first = client.get(pages[page])
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = client.get(pages[page])
    assert second.status_code == 200
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Content-Type"] == first["Content-Type"]


def test_the_sitemap_is_cached_too_and_shows_a_new_term_at_once(
    client, pages, make_term, django_assert_num_queries
):
    client.get(pages["sitemap"])
    with django_assert_num_queries(0):
        assert client.get(pages["sitemap"]).status_code == 200
    make_term(
        "churn",
        fr={"name": "Attrition", "slug": "attrition", "summary": "Départs.", "definition": "x"},
    )
    assert b"/fr/termes/attrition/" in client.get(pages["sitemap"]).content


def test_cached_pages_tell_browsers_to_revalidate_and_get_a_304_while_unchanged(client, pages):
    first = client.get(pages["term"])
    assert first["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert first["ETag"].startswith('"')
    again = client.get(pages["term"], headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]


def test_headers_of_the_stack_are_kept_on_a_cached_page(client, pages):
    client.get(pages["term"])
    warm = client.get(pages["term"])
    assert warm["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in warm
    assert warm["Content-Language"] == "en"


def test_any_content_change_shows_at_once(client, nps_term, pages):
    client.get(pages["term"])
    nps_term.summary_en = "A measure of how readily customers recommend you."
    nps_term.save()
    assert b"how readily customers recommend" in client.get(pages["term"]).content


def test_a_change_to_a_labels_or_category_shows_at_once(client, nps_term, category, pages):
    from glossary.models import TermLabel

    client.get(pages["term"])
    client.get(pages["categories"])
    TermLabel.objects.create(term=nps_term, language="en", text="Promoter score", position=9)
    assert b"Promoter score" in client.get(pages["term"]).content
    category.name_en = "Customer care"
    category.save()
    assert b"Customer care" in client.get(pages["categories"]).content


def test_an_article_change_shows_at_once(client, db):
    from kb.articles.models import Article

    article = Article.objects.create(
        key="guide",
        status=Article.Status.PUBLISHED,
        title_en="A guide",
        slug_en="a-guide",
        body_en="First.",
    )
    path = article.get_absolute_url("en")
    assert b"First." in client.get(path).content
    article.body_en = "Second."
    article.save()
    assert b"Second." in client.get(path).content


def test_the_generation_moves_again_after_the_commit(django_capture_on_commit_callbacks, nps_term):
    before = generation.current()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        nps_term.save()
    during = generation.current()
    assert during != before
    for callback in callbacks:
        callback()
    assert generation.current() not in (before, during)


def test_an_editor_saving_in_the_admin_sees_the_change_and_so_does_everyone(
    client, nps_term, editor, pages
):
    assert b"A recommendation metric." in client.get(pages["term"]).content  # cached
    as_editor = client_for(editor)
    change = f"/admin/glossary/term/{nps_term.pk}/change/"
    data = form_data(as_editor.get(change))
    data["summary_en"] = "How likely customers are to recommend you."
    response = as_editor.post(change, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    # The editor's redirect leads to the admin with a message: their next page is fresh too.
    assert b"How likely customers are to recommend you." in as_editor.get(pages["term"]).content
    assert b"How likely customers are to recommend you." in client.get(pages["term"]).content


def test_editors_never_get_a_cached_page_nor_fill_the_cache(
    client, editor, pages, django_assert_max_num_queries
):
    as_editor = client_for(editor)
    as_editor.get(pages["term"])
    # The editor's visit stored nothing: the visitor's first request renders the page.
    with django_assert_max_num_queries(20) as queries:
        client.get(pages["term"])
    assert len(queries) > 0
    # And a warm page is not what the editor gets.
    with django_assert_max_num_queries(30) as queries:
        response = as_editor.get(pages["term"])
    assert len(queries) > 0
    assert "ETag" not in response


def test_a_query_string_is_never_served_from_the_cache_nor_stored(
    client, pages, django_assert_max_num_queries
):
    client.get(pages["term"])
    with django_assert_max_num_queries(20) as queries:
        response = client.get(pages["term"] + "?utm_source=mail")
    assert len(queries) > 0 and "ETag" not in response
    # The calculator's result (a query string) is not stored either.
    result = client.get(pages["calculator"], {"promoters": 5, "passives": 3, "detractors": 2})
    assert result.status_code == 200
    assert "ETag" not in result
    assert client.get(pages["calculator"]).content != result.content


def test_missing_pages_and_redirects_are_not_stored(client, pages, django_assert_max_num_queries):
    for path in ("/en/terms/no-such-term/", pages["term"].replace("-en/", "-it/")):
        first = client.get(path)
        assert first.status_code in (301, 404)
        with django_assert_max_num_queries(20) as queries:
            client.get(path)
        assert len(queries) > 0


def test_a_visitor_with_a_pending_message_gets_a_rendered_page(
    client, pages, django_assert_max_num_queries
):
    client.get(pages["term"])
    client.cookies["messages"] = "anything"
    with django_assert_max_num_queries(20) as queries:
        client.get(pages["term"])
    assert len(queries) > 0


def test_each_language_has_its_own_cached_page(client, nps_term):
    english = client.get(nps_term.get_absolute_url("en")).content
    french = client.get(nps_term.get_absolute_url("fr")).content
    assert b"A recommendation metric." in english
    assert b"Indicateur de recommandation." in french
    assert b"A recommendation metric." not in client.get(nps_term.get_absolute_url("fr")).content


# --- What the middleware refuses to store, response by response ---------------------------------


def respond(request, response: HttpResponse, view_name: str = "glossary:term-detail"):
    """Run the middleware as Django's handler would: resolve, process_view, then the view."""

    def handler(request):
        request.resolver_match = type("Match", (), {"view_name": view_name})()
        return middleware.process_view(request, None, (), {}) or response

    middleware = PageCacheMiddleware(handler)
    return middleware(request)


def stored(request) -> bool:
    from django.core.cache import cache

    return cache.get(page_key(request)) is not None


def ok() -> HttpResponse:
    return HttpResponse("<p>page</p>")


def with_cookie() -> HttpResponse:
    response = ok()
    response.set_cookie("csrftoken", "x")
    return response


def varying_on_cookie() -> HttpResponse:
    response = ok()
    response["Vary"] = "Accept-Language, Cookie"
    return response


def private() -> HttpResponse:
    response = ok()
    response["Cache-Control"] = "private"
    return response


@pytest.mark.parametrize(
    "make_response", [with_cookie, varying_on_cookie, private, lambda: HttpResponse(status=500)]
)
def test_responses_for_one_visitor_or_errors_are_not_stored(db, make_response):
    request = RequestFactory().get("/en/terms/x/")
    response = respond(request, make_response())
    assert not stored(request)
    assert "ETag" not in response


def test_only_the_views_on_the_list_are_stored(db):
    request = RequestFactory().get("/en/search/")
    respond(request, ok(), view_name="glossary:search")
    assert not stored(request)
    respond(request, ok())
    assert stored(request)


def test_post_and_session_cookies_bypass_the_cache(db):
    factory = RequestFactory()
    posted = factory.post("/en/tools/nps/")
    respond(posted, ok(), view_name="nps:calculator")
    assert not stored(posted)
    signed_in = factory.get("/en/terms/x/")
    signed_in.COOKIES[site_settings.SESSION_COOKIE_NAME] = "abc"
    respond(signed_in, ok())
    assert not stored(signed_in)


def test_the_page_cache_is_in_the_site_settings():
    assert "kb.core.pagecache.PageCacheMiddleware" in site_settings.MIDDLEWARE
    assert "glossary:term-detail" in kb_settings.PAGE_CACHE_VIEWS
    assert "glossary:search" not in kb_settings.PAGE_CACHE_VIEWS


# --- A cheaper page when it is rendered ---------------------------------------------------------


def test_a_definition_is_rendered_once_per_term_version_and_glossary_change(
    client, nps_term, category, settings, monkeypatch
):
    from glossary import views

    settings.PAGE_CACHE_VIEWS = []  # every request renders the page
    rendered = []
    render = views.render_markdown
    monkeypatch.setattr(
        views, "render_markdown", lambda text: rendered.append(text) or render(text)
    )
    path = nps_term.get_absolute_url("en")
    client.get(path)
    client.get(path)
    assert len(rendered) == 2  # the definition and the usage note, once
    category.name_en = "Customer care"  # no term text changed: the HTML stays valid
    category.save()
    client.get(path)
    assert len(rendered) == 2
    nps_term.definition_en = "The **NPS** now measures loyalty."
    nps_term.save()
    assert b"now measures loyalty" in client.get(path).content
    assert len(rendered) == 4


def test_language_links_are_computed_once_per_page(client, nps_term, settings, monkeypatch):
    from kb import context_processors

    settings.PAGE_CACHE_VIEWS = []
    calls = []
    original = context_processors.page_languages
    monkeypatch.setattr(
        context_processors, "page_languages", lambda *a, **k: calls.append(1) or original(*a, **k)
    )
    client.get(nps_term.get_absolute_url("en"))
    assert calls == []  # the view gives its own; the site's default is never computed
    client.get("/en/no-such-page/")
    assert calls == [1]  # a page without its own: the default, once for <head> and switcher
