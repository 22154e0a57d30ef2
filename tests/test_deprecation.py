"""Deprecation instead of deletion: a retired term's address redirects to its replacement or
answers 410 with an explanation, and the term leaves every public list."""

import pytest
from django.core.exceptions import ValidationError

from glossary.models import Term
from kb.core.publishing import allow_deleting_published


@pytest.fixture
def replacement(csat):
    return csat


def deprecate(term: Term, replaced_by: Term | None = None) -> Term:
    term.status = Term.Status.DEPRECATED
    term.replaced_by = replaced_by
    term.clean()
    term.save()
    return term


@pytest.mark.parametrize("language", ["fr", "it", "en"])
def test_a_replaced_term_redirects_permanently_to_its_replacement(
    client, nps_term, replacement, language
):
    old_url = nps_term.get_absolute_url(language)
    deprecate(nps_term, replacement)
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == replacement.get_absolute_url(language)


@pytest.mark.parametrize(
    ("language", "explanation"),
    [
        ("fr", "n’est plus dans le glossaire"),
        ("it", "non è più nel glossario"),
        ("en", "is no longer in the glossary"),
    ],
)
def test_a_term_without_replacement_answers_410_in_the_visitors_language(
    client, nps_term, language, explanation
):
    old_url = nps_term.get_absolute_url(language)
    deprecate(nps_term)
    response = client.get(old_url)
    assert response.status_code == 410
    page = response.content.decode()
    assert page.count("<h1") == 1
    assert explanation in page
    assert "Net Promoter Score" in page
    assert '<meta name="robots" content="noindex">' in page


def test_a_chain_of_replacements_leads_to_the_published_term(
    client, nps_term, replacement, make_term
):
    middle = make_term("middle", fr={"name": "Étape", "slug": "etape", "summary": "S."})
    deprecate(nps_term, middle)
    deprecate(middle, replacement)
    response = client.get(nps_term.get_absolute_url("fr"))
    assert response["Location"] == replacement.get_absolute_url("fr")


def test_a_loop_of_replacements_answers_410(client, nps_term, replacement):
    deprecate(nps_term, replacement)
    deprecate(replacement, nps_term)
    assert client.get(nps_term.get_absolute_url("fr")).status_code == 410


def test_an_unknown_slug_is_still_404(client, db):
    assert client.get("/fr/termes/nexiste-pas/").status_code in (404,)
    assert client.get("/en/terms/does-not-exist/").status_code == 404


def test_a_deprecated_term_leaves_the_public_lists(client, nps_term, replacement):
    deprecate(nps_term, replacement)
    assert nps_term not in Term.objects.published()
    index = client.get(replacement.get_absolute_url("en").rsplit("/", 2)[0] + "/")
    assert "Net Promoter Score" not in index.content.decode()
    category = client.get(nps_term.category.get_absolute_url("fr")).content.decode()
    assert "Net Promoter Score" not in category
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "net-promoter-score" not in sitemap
    assert "score-de-satisfaction" in sitemap
    api = client.get("/api/v1/terms/?lang=en").json()
    assert [term["slug"] for term in api["results"]] == ["customer-satisfaction-score"]
    assert client.get("/api/v1/terms/net-promoter-score-en/?lang=en").status_code == 404


def test_replacement_rules(nps_term, replacement, make_term):
    nps_term.replaced_by = replacement
    with pytest.raises(ValidationError, match="Only a deprecated term"):
        nps_term.clean()
    nps_term.status = Term.Status.DEPRECATED
    nps_term.replaced_by = nps_term
    with pytest.raises(ValidationError, match="cannot replace itself"):
        nps_term.clean()
    draft = make_term("draft", status=Term.Status.DRAFT, fr={"name": "B", "slug": "b"})
    nps_term.replaced_by = draft
    with pytest.raises(ValidationError, match="must be published"):
        nps_term.clean()


def test_editors_deprecate_in_the_admin_with_a_replacement(superuser, nps_term, replacement):
    from tests.admin_forms import client_for, form_data

    client = client_for(superuser)
    url = f"/admin/glossary/term/{nps_term.pk}/change/"
    data = form_data(client.get(url))
    data.update(status=Term.Status.DEPRECATED, replaced_by=replacement.pk)
    assert client.post(url, data).status_code == 302
    nps_term.refresh_from_db()
    assert nps_term.status == Term.Status.DEPRECATED and nps_term.replaced_by == replacement
    assert nps_term.history.first().status == Term.Status.DEPRECATED


def test_deleting_the_replacement_leaves_a_410_not_an_error(client, nps_term, make_term):
    draft_replacement = make_term("x", fr={"name": "X", "slug": "x", "summary": "X."})
    deprecate(nps_term, draft_replacement)
    with allow_deleting_published():  # before published terms were protected, or a purge
        draft_replacement.delete()
    assert client.get(nps_term.get_absolute_url("fr")).status_code == 410


def test_the_gone_page_query_count(client, nps_term, django_assert_num_queries):
    deprecate(nps_term)
    url = nps_term.get_absolute_url("fr")
    # published term lookup (fr, then its two fallbacks), deprecated term lookup with its
    # replacement, the published terms it was linked to
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 410


def test_a_renamed_terms_old_address_leads_to_its_new_one(client, nps_term):
    # An editor corrects an Italian headword and its slug: old links must keep working.
    nps_term.slug_it = "indice-di-raccomandazione-netta"
    nps_term.save()
    response = client.get("/it/termini/net-promoter-score-it/")
    assert response.status_code == 301
    assert response["Location"] == "/it/termini/indice-di-raccomandazione-netta/"
    # From another language's prefix, to that language's page.
    response = client.get("/en/terms/net-promoter-score-it/")
    assert response["Location"] == "/en/terms/net-promoter-score-en/"


def test_a_slug_no_term_ever_had_is_still_a_404(client, nps_term):
    assert client.get("/it/termini/mai-esistito/").status_code == 404
