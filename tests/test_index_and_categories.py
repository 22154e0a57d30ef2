"""The A-Z index per language, category pages and the home page."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kb.core.collation import decomposed_fold, fold, initial, sort_key


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["Entreprise", "Ecran", "Économie"], ["Économie", "Ecran", "Entreprise"]),
        (["numéro vert", "Numero", "NPS"], ["NPS", "Numero", "numéro vert"]),
        (["Œuvre", "Offre", "Obligation"], ["Obligation", "Œuvre", "Offre"]),
        (["zeta", "Ärger", "abc"], ["abc", "Ärger", "zeta"]),
        (["« Best-of-breed »", "Best-in-class"], ["Best-in-class", "« Best-of-breed »"]),
    ],
)
def test_names_sort_as_a_reader_expects_ignoring_case_and_accents(names, expected):
    assert sorted(names, key=sort_key) == expected


@given(st.text() | st.text(st.characters(min_codepoint=0, max_codepoint=0x36F)))
def test_fold_shortcuts_give_the_answer_of_unicode_decomposition(text):
    # ASCII text and Latin letters take fold()'s shortcuts (casefold, a table); the second
    # strategy draws mostly from that table's range (to U+024F) and the combining accents
    # after it (U+0300-U+036F), which must send the text through decomposition.
    assert fold(text) == decomposed_fold(text)


@pytest.mark.parametrize(
    ("text", "folded"),
    [("Numéro", "numero"), ("ŒUVRE", "oeuvre"), ("Straße", "strasse"), ("e\u0301", "e")],
)
def test_fold_removes_case_accents_and_ligatures(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("name", "letter"), [("Économie", "E"), ("île", "I"), ("800 number", "#"), ("Œil", "O")]
)
def test_accented_initials_are_filed_under_their_base_letter(name, letter):
    assert initial(name) == letter


@pytest.fixture
def french_terms(make_term):
    make_term("a", fr={"name": "Entreprise", "slug": "entreprise"})
    make_term("b", fr={"name": "Écran", "slug": "ecran"}, it={"name": "Schermo", "slug": "schermo"})
    make_term("c", fr={"name": "Économie", "slug": "economie"})
    make_term("d", fr={"name": "Numéro vert", "slug": "numero-vert", "synonyms": "Numéro gratuit"})


def index_names(client, language):
    html = client.get({"fr": "/fr/termes/", "it": "/it/termini/", "en": "/en/terms/"}[language])
    main = html.content.decode().split('<ul class="index-list">', 1)[-1]
    return re.findall(r'<li>(?:[^<]*→ )?<a href="[^"]+">([^<]+)</a>', main)


def test_french_index_sorts_accented_names_with_their_letter(client, french_terms):
    assert index_names(client, "fr") == [
        "Économie",
        "Écran",
        "Entreprise",
        "Numéro vert",
        "Numéro vert",
    ]


def test_index_letter_bar_has_only_letters_with_terms_in_that_language(client, french_terms):
    fr_html = client.get("/fr/termes/").content.decode()
    it_html = client.get("/it/termini/").content.decode()
    assert re.findall(r'href="#letter-([^"]+)"', fr_html) == ["e", "n"]
    assert re.findall(r'href="#letter-([^"]+)"', it_html) == ["s"]


def test_index_lists_synonyms_as_pointers_to_the_preferred_name(client, french_terms):
    html = client.get("/fr/termes/").content.decode()
    assert 'Numéro gratuit → <a href="/fr/termes/numero-vert/">Numéro vert</a>' in html


def test_index_page_runs_two_queries_whatever_the_number_of_terms(
    client, make_term, django_assert_num_queries
):
    for index in range(15):
        make_term(
            f"k{index}",
            fr={"name": f"Terme {index}", "slug": f"terme-{index}", "synonyms": f"Autre {index}"},
        )
    # 1. the published terms with a name in the language (their category is not shown),
    # 2. their labels (other names are listed too).
    with django_assert_num_queries(2):
        assert client.get("/fr/termes/").status_code == 200


def test_category_page_lists_its_published_terms(client, nps_term, make_term):
    make_term("draft", status="draft", fr={"name": "Brouillon", "slug": "brouillon"})
    html = client.get("/fr/categories/experience-client/").content.decode()
    assert "Net Promoter Score" in html
    assert "Brouillon" not in html


def test_category_slug_of_another_language_redirects(client, category):
    response = client.get("/it/categorie/experience-client/")
    assert response.status_code == 301
    assert response["Location"] == "/it/categorie/esperienza-cliente/"


def test_home_shows_categories_recent_terms_and_the_search_box(client, nps_term):
    html = client.get("/en/").content.decode()
    assert "Customer experience" in html
    assert 'href="/en/terms/net-promoter-score-en/"' in html


def test_root_redirects_by_accept_language(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="it-IT,it;q=0.9,en;q=0.5")
    assert response.status_code == 302
    assert response["Location"] == "/it/"


def test_home_and_category_pages_run_a_fixed_number_of_queries(
    client, nps_term, make_term, django_assert_num_queries
):
    for index in range(10):
        make_term(f"h{index}", fr={"name": f"Terme {index}", "slug": f"terme-{index}"})
    # 1. categories with their term counts, 2. number of published terms, 3. recent terms,
    # 4. the latest published articles (the knowledge base's entry, tests/test_navigation.py).
    with django_assert_num_queries(4):
        assert client.get("/fr/").status_code == 200
    # 1. the category by its slug, 2. its published terms.
    with django_assert_num_queries(2):
        assert client.get("/fr/categories/experience-client/").status_code == 200
