"""Term pages, translated slugs, the language switcher and honest fallback."""

import re

import pytest

from glossary.models import TermRelation


@pytest.fixture
def fr_only_term(make_term):
    return make_term(
        "numero-indigo",
        fr={"name": "Numéro Indigo", "slug": "numero-indigo", "summary": "Un numéro spécial.",
            "definition": "Numéro à **tarif fixe**."},
    )  # fmt: skip


def test_term_page_shows_name_acronym_summary_and_rendered_definition(client, nps_term):
    html = client.get("/fr/termes/net-promoter-score/").content.decode()
    assert "<h1>Net Promoter Score" in html
    assert "<abbr>NPS</abbr>" in html
    assert "Indicateur de recommandation." in html
    assert "<strong>NPS</strong>" in html


def test_trademarked_terms_show_the_registered_mark(client, nps_term):
    nps_term.is_trademark = True
    nps_term.save()
    html = client.get("/en/terms/net-promoter-score-en/").content.decode()
    assert "Net Promoter Score<sup" in html and "®</sup>" in html


def test_each_language_has_its_own_slug_and_path(client, nps_term):
    assert client.get("/it/termini/net-promoter-score-it/").status_code == 200
    assert client.get("/en/terms/net-promoter-score-en/").status_code == 200


def test_another_languages_slug_redirects_permanently_to_this_languages_slug(client, nps_term):
    response = client.get("/it/termini/net-promoter-score-en/")
    assert response.status_code == 301
    assert response["Location"] == "/it/termini/net-promoter-score-it/"


def test_language_switcher_leads_to_the_same_term_in_the_other_language(client, nps_term):
    html = client.get("/fr/termes/net-promoter-score/").content.decode()
    assert 'href="/it/termini/net-promoter-score-it/" hreflang="it"' in html
    assert 'href="/en/terms/net-promoter-score-en/" hreflang="en"' in html


def test_missing_translation_falls_back_with_a_visible_notice(client, fr_only_term):
    response = client.get("/it/termini/numero-indigo/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Numéro à <strong>tarif fixe</strong>." in html
    assert "non è ancora stato tradotto in italiano" in html
    assert "testo in francese" in html
    assert 'lang="fr"' in html  # the fallback text is marked as French for screen readers


def test_fallback_page_lists_only_languages_with_text_in_hreflang(client, fr_only_term):
    html = client.get("/en/terms/numero-indigo/").content.decode()
    hreflangs = re.findall(r'<link rel="alternate" hreflang="([a-z-]+)"', html)
    assert hreflangs == ["fr", "x-default"]
    assert '<link rel="canonical" href="http://testserver/fr/termes/numero-indigo/">' in html


def test_translated_term_has_no_fallback_notice(client, nps_term):
    html = client.get("/it/termini/net-promoter-score-it/").content.decode()
    assert "non è ancora stato tradotto" not in html


def test_draft_terms_are_not_public(client, make_term):
    make_term("brouillon", status="draft", fr={"name": "Brouillon", "slug": "brouillon"})
    assert client.get("/fr/termes/brouillon/").status_code == 404


def test_unknown_slug_answers_404_in_the_visitors_language(client, db):
    response = client.get("/it/termini/nessun-termine/")
    assert response.status_code == 404
    assert "Pagina non trovata" in response.content.decode()


def test_relations_are_grouped_by_type_on_both_pages(client, nps_term, make_term):
    promoter = make_term("promoter", fr={"name": "Promoteur", "slug": "promoteur"})
    voc = make_term("voc", fr={"name": "Voix du client", "slug": "voix-du-client"})
    TermRelation.objects.create(source=nps_term, target=promoter, type="narrower")
    TermRelation.objects.create(source=nps_term, target=voc, type="related")
    nps_html = client.get("/fr/termes/net-promoter-score/").content.decode()
    assert re.search(
        r"Termes spécifiques</h3>\s*<ul[^>]*><li><a href=\"/fr/termes/promoteur/\"", nps_html
    )
    assert re.search(
        r"Termes associés</h3>\s*<ul[^>]*><li><a href=\"/fr/termes/voix-du-client/\"", nps_html
    )
    promoter_html = client.get("/fr/termes/promoteur/").content.decode()
    assert re.search(
        r"Termes génériques</h3>\s*<ul[^>]*><li><a href=\"/fr/termes/net-promoter-score/\"",
        promoter_html,
    )


def test_term_page_names_the_term_in_the_other_languages(client, nps_term):
    nps_term.name_it = "Indice di raccomandazione"
    nps_term.save()
    html = client.get("/fr/termes/net-promoter-score/").content.decode()
    # The separator is the page's punctuation: French puts a no-break space before the colon.
    assert 'Italiano\u00a0: <span lang="it">Indice di raccomandazione</span>' in html
    html = client.get(nps_term.get_absolute_url("en")).content.decode()
    assert 'Italiano: <span lang="it">Indice di raccomandazione</span>' in html


def test_term_page_runs_the_same_number_of_queries_whatever_its_relations(
    client, nps_term, make_term, django_assert_num_queries
):
    def count_queries():
        # 1. the term with its category, 2. its labels, 3. its sources, 4. its relations with
        # their target terms, 5. the knowledge-base articles about it (glossary/sections.py),
        # 6.-7. every published term and its labels for auto-linking (cached until a term
        # changes, as it just did here).
        with django_assert_num_queries(7):
            assert client.get("/fr/termes/net-promoter-score/").status_code == 200

    count_queries()
    for index in range(12):
        other = make_term(f"t{index}", fr={"name": f"Terme {index}", "slug": f"terme-{index}"})
        TermRelation.objects.create(source=nps_term, target=other, type="related")
    count_queries()
