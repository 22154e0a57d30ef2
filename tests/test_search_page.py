"""The search page /<lang>/search/?q=, on the real glossary, in French, Italian and English."""

import pytest
from django.urls import reverse
from django.utils import translation

from kb.core.publishing import allow_deleting_published
from tests.search_fixtures import each_engine, indexed_glossary_by_engine, rebuild_all, search_index  # noqa: F401


def search_url(language: str) -> str:
    with translation.override(language):
        return reverse("glossary:search")


def term_url(key: str, language: str) -> str:
    from glossary.models import Term

    return Term.objects.get(key=key).get_absolute_url(language)


def results_html(response) -> str:
    html = response.content.decode()
    start = html.find('<ol class="search-results"')
    return html[start : html.find("</ol>", start)] if start >= 0 else ""


pytestmark = pytest.mark.usefixtures("search_engine", "search_index")


@pytest.mark.parametrize(
    ("language", "query", "key"),
    [
        # accent and case folding
        ("fr", "numero vert", "toll-free-number"),
        ("it", "NUMERO VERDE", "toll-free-number"),
        # plurals and stemming
        ("fr", "numéros surtaxés", "premium-rate-number"),
        ("it", "promotori", "promoter"),
        ("en", "promoters", "promoter"),
        # elisions
        ("it", "l'esperienza del cliente", "customer-experience"),
        ("fr", "l'expérience client", "customer-experience"),
        # synonyms (not exact: plural)
        ("fr", "agents conversationnels", "chatbot"),
        ("it", "agenti conversazionali", "chatbot"),
        ("en", "conversational agents", "chatbot"),
        # hidden labels
        ("fr", "chatterbot", "chatbot"),
        ("it", "callcenter", "contact-centre"),
        ("en", "customer relationship managment", "customer-relationship-management"),
    ],
)
def test_the_expected_term_is_among_the_first_results(client, language, query, key):
    response = client.get(search_url(language), {"q": query})
    if response.status_code == 302:  # an exact (folded) name goes straight to the term
        assert response["Location"] == term_url(key, language)
    else:
        assert response.status_code == 200
        assert term_url(key, language) in results_html(response)[:3000]


@pytest.mark.parametrize(
    ("language", "query", "key"),
    [
        ("fr", "NPS", "net-promoter-score"),  # acronym
        ("it", "nps", "net-promoter-score"),
        ("en", "Net Promoter Score", "net-promoter-score"),  # name
        ("fr", "numero vert", "toll-free-number"),  # exact once accents are folded
        ("fr", "numéro", None),  # not a name: the list of matches
        ("it", "Numero verde", "toll-free-number"),
        ("fr", "Dialogueur", "chatbot"),  # synonym
        ("en", "Call centre", "contact-centre"),
    ],
)
def test_an_exact_name_acronym_or_synonym_goes_straight_to_the_term(client, language, query, key):
    response = client.get(search_url(language), {"q": query})
    if key is None:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"] == term_url(key, language)


def test_a_hidden_label_finds_the_term_but_is_never_shown(client):
    response = client.get(search_url("fr"), {"q": "chatterbot"})
    assert response.status_code == 200  # hidden labels never redirect
    results = results_html(response)
    assert term_url("chatbot", "fr") in results
    assert "chatterbot" not in results.lower()


@pytest.mark.parametrize(
    ("language", "query", "shown"),
    [
        ("fr", "agents conversationnels", "Agent conversationnel → "),
        ("it", "assistenti virtuali", "Assistente virtuale → "),
        ("en", "virtual agents", "Virtual agent → "),
    ],
)
def test_a_synonym_match_shows_the_preferred_name(client, language, query, shown):
    response = client.get(search_url(language), {"q": query})
    assert shown in results_html(response)


@pytest.mark.parametrize(
    ("language", "query", "marked"),
    [
        ("fr", "numero", "<mark>Numéro</mark>"),  # folded
        ("fr", "numéros", "<mark>Numéro</mark>"),  # plural
        ("it", "promotori", "<mark>Promotore</mark>"),  # stemmed
        ("en", "promoters", "<mark>Promoter</mark>"),
    ],
)
def test_matched_words_are_highlighted_even_when_folded_or_stemmed(client, language, query, marked):
    response = client.get(search_url(language), {"q": query})
    assert marked in results_html(response)


def test_results_from_other_languages_are_labelled_and_link_in_the_visitors_language(client):
    # "Dialogueur" exists only in the French index; an Italian visitor gets the Italian page.
    response = client.get(search_url("it"), {"q": "dialogueur"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nessun risultato per" in html
    assert "in italiano" in html  # the visitor's language, named in the visitor's language
    results = results_html(response)
    assert term_url("chatbot", "it") in results
    assert "(Français)" in results


@pytest.mark.parametrize(
    ("language", "typo", "suggestion"),
    [
        ("fr", "nmuero vret", "numéro vert"),
        ("it", "promotroe", "promotore"),
        ("en", "chatbott", "chatbot"),
    ],
)
def test_did_you_mean_is_offered_only_when_nothing_matches(client, language, typo, suggestion):
    response = client.get(search_url(language), {"q": typo})
    html = response.content.decode()
    assert response.status_code == 200
    assert f">{suggestion}</a>" in html


@pytest.mark.parametrize(
    ("language", "typo", "sentence"),
    [
        # French: a no-break space before the colon, a narrow one before the question mark.
        ("fr", "nmuero vret", 'Vouliez-vous dire\u00a0: <a href="?q=num%C3%A9ro%20vert">'
         "numéro vert</a>\u202f?"),
        ("it", "promotroe", 'Forse cercavi: <a href="?q=promotore">promotore</a>?'),
        ("en", "chatbott", 'Did you mean: <a href="?q=chatbot">chatbot</a>?'),
    ],
)  # fmt: skip
def test_did_you_mean_is_one_sentence_in_each_languages_typography(
    client, language, typo, sentence
):
    response = client.get(search_url(language), {"q": typo})
    assert sentence in response.content.decode()


def test_did_you_mean_keeps_the_kind_searched(client):
    response = client.get(search_url("en"), {"q": "chatbott", "kind": "term"})
    assert '<a href="?q=chatbot&amp;kind=term">chatbot</a>' in response.content.decode()


def test_no_did_you_mean_when_something_matches(client):
    response = client.get(search_url("fr"), {"q": "numéro"})
    assert 'class="did-you-mean"' not in response.content.decode()


def test_results_are_paginated_with_a_count(client):
    from glossary.models import Category, Term

    category = Category.objects.first()
    for number in range(23):
        Term.objects.create(
            key=f"widget-{number}", category=category, status=Term.Status.PUBLISHED,
            name_fr=f"Widget {number}", slug_fr=f"widget-{number}", summary_fr="Un gadget de test.",
        )  # fmt: skip
    rebuild_all()
    try:
        first = client.get(search_url("fr"), {"q": "gadget"})
        third = client.get(search_url("fr"), {"q": "gadget", "page": "3"})
        beyond = client.get(search_url("fr"), {"q": "gadget", "page": "99"})
        garbage = [
            client.get(search_url("fr"), {"q": "gadget", "page": page})
            for page in ("abc", "1.5", "9" * 5000, "\x00")
        ]
    finally:
        with allow_deleting_published():
            Term.objects.filter(key__startswith="widget-").delete()
        rebuild_all()  # the next tests share the module's index
    assert "23 " in first.content.decode()  # the count (translated)
    assert first.content.decode().count('<li class="search-result ') == 10
    assert third.content.decode().count('<li class="search-result ') == 3
    assert beyond.content.decode().count('<li class="search-result ') == 3  # the last page
    for response in garbage:  # not a page number: the first page
        assert response.status_code == 200
        assert response.content.decode().count('<li class="search-result ') == 10


def test_search_page_reads_nothing_from_the_database_but_the_search(
    client, django_assert_num_queries, search_engine
):
    # Names, summaries and URLs are stored in the index: Whoosh reads no row; PostgreSQL's
    # index is a table, read by one query (the ranked hits with their total count).
    with django_assert_num_queries(0 if search_engine == "whoosh" else 1):
        response = client.get(search_url("fr"), {"q": "numéro"})
    assert response.status_code == 200


def test_fallback_results_cost_one_query(client, django_assert_num_queries, search_engine):
    # One query: the terms, for their URL in the visitor's language. PostgreSQL searches by
    # query too: the visitor's language (nothing), then French and English together.
    with django_assert_num_queries(1 if search_engine == "whoosh" else 3):
        client.get(search_url("it"), {"q": "dialogueur"})


@pytest.mark.parametrize("language", ["fr", "it", "en"])
def test_search_page_has_one_h1_and_is_not_indexed_by_robots(client, language):
    response = client.get(search_url(language), {"q": "client"})
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert 'name="robots" content="noindex' in html
    assert 'role="search"' in html
