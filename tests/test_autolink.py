"""Auto-linking of glossary terms in definitions and articles (glossary/autolink.py)."""

import re

import pytest

from glossary.autolink import autolink, invalidate
from glossary.models import Term
from kb.core.markdown import render_markdown
from kb.core.publishing import allow_deleting_published


@pytest.fixture(autouse=True)
def fresh_patterns():
    invalidate()
    yield
    invalidate()


@pytest.fixture
def terms(make_term, nps_term):
    promoter = make_term(
        "promoter",
        fr={"name": "Promoteur", "slug": "promoteur", "summary": "Note de 9 ou 10.",
            "synonyms": "Client promoteur"},
        en={"name": "Promoter", "slug": "promoter", "summary": "Score of 9 or 10 <b>only</b>."},
    )  # fmt: skip
    number = make_term(
        "special-number",
        fr={"name": "Numéro", "slug": "numero", "summary": "Un numéro."},
    )
    ces = make_term(
        "customer-effort-score",
        fr={"name": "Score d'effort client", "slug": "score-effort", "acronym": "CES",
            "summary": "Effort du client."},
    )  # fmt: skip
    call_centre = make_term(
        "contact-centre",
        fr={"name": "Centre de contact", "slug": "centre-de-contact", "summary": "Centre.",
            "synonyms": "Centre d'appels"},
    )  # fmt: skip
    return {"nps": nps_term, "promoter": promoter, "number": number, "ces": ces,
            "call_centre": call_centre}  # fmt: skip


def links(html):
    return re.findall(r'<a class="term-link" href="([^"]+)"[^>]*>([^<]+)</a>', html)


def test_the_first_occurrence_of_a_term_is_linked_and_only_that_one(terms):
    html = autolink("<p>Le NPS monte. Le NPS baisse.</p>", "fr")
    assert links(html) == [("/fr/termes/net-promoter-score/", "NPS")]


def test_link_points_to_a_tooltip_with_the_terms_summary(terms):
    html = autolink("<p>Le NPS.</p>", "fr", id_prefix="x")
    assert 'aria-describedby="x-1"' in html
    assert (
        '<span class="term-tip" role="tooltip" id="x-1">Indicateur de recommandation.</span>'
        in (html)
    )


def test_tooltip_summary_is_escaped(terms):
    html = autolink("<p>A promoter.</p>", "en")
    assert "Score of 9 or 10 &lt;b&gt;only&lt;/b&gt;." in html
    assert "<b>only" not in html


@pytest.mark.parametrize(
    "markdown",
    [
        "## Le NPS en bref",
        "[le NPS](https://example.com/)",
        "`NPS`",
        "    NPS = P - D",
    ],
)
def test_never_inside_headings_links_or_code(terms, markdown):
    html = autolink(render_markdown(markdown), "fr")
    assert links(html) == []


def test_skipped_element_does_not_use_up_the_first_occurrence(terms):
    html = autolink(render_markdown("## NPS\n\nLe NPS compte."), "fr")
    assert html.startswith("<h2>NPS</h2>")
    assert links(html) == [("/fr/termes/net-promoter-score/", "NPS")]


def test_a_term_never_links_to_itself(terms):
    html = autolink("<p>Le NPS et le Promoteur.</p>", "fr", exclude_term_id=terms["nps"].pk)
    assert [text for _url, text in links(html)] == ["Promoteur"]


def test_the_longest_label_wins(terms):
    html = autolink("<p>The Net Promoter Score counts each promoter.</p>", "en")
    assert links(html) == [
        ("/en/terms/net-promoter-score-en/", "Net Promoter Score"),
        ("/en/terms/promoter/", "promoter"),
    ]


def test_synonym_is_linked_and_longer_synonym_beats_a_shorter_name(terms):
    html = autolink("<p>Chaque client promoteur compte.</p>", "fr")
    assert links(html) == [("/fr/termes/promoteur/", "client promoteur")]


def test_word_boundaries_respect_accented_letters(terms):
    assert links(autolink("<p>Les numéros spéciaux, les Numérosités.</p>", "fr")) == []
    assert links(autolink("<p>Un numéro.</p>", "fr")) == [("/fr/termes/numero/", "numéro")]
    assert links(autolink("<p>Les promoteurs, l'épromoteur.</p>", "fr")) == []


def test_names_match_whatever_their_case_acronyms_keep_theirs(terms):
    html = autolink("<p>Ces clients ont un bon net promoter score.</p>", "fr")
    assert links(html) == [("/fr/termes/net-promoter-score/", "net promoter score")]
    assert links(autolink("<p>Le CES mesure l'effort.</p>", "fr")) == [
        ("/fr/termes/score-effort/", "CES")
    ]


def test_typographic_apostrophes_and_line_breaks_match(terms):
    html = autolink("<p>Un centre\nd’appels.</p>", "fr")
    assert links(html) == [("/fr/termes/centre-de-contact/", "centre\nd’appels")]


def test_labels_are_those_of_the_texts_language(terms):
    assert links(autolink("<p>Un promoteur.</p>", "en")) == []
    assert links(autolink("<p>A promoter.</p>", "en")) == [("/en/terms/promoter/", "promoter")]


def test_links_can_lead_to_the_readers_language(terms):
    html = autolink("<p>Un promoteur.</p>", "fr", url_language="en")
    assert links(html) == [("/en/terms/promoter/", "promoteur")]


def test_draft_terms_are_not_linked(terms, make_term):
    make_term("draft", status=Term.Status.DRAFT, fr={"name": "Brouillon", "slug": "brouillon"})
    assert links(autolink("<p>Un brouillon.</p>", "fr")) == []


def test_markup_and_entities_survive_unchanged(terms):
    source = '<p>A &amp; B &lt;NPS&gt; <a href="/x?a=1&amp;b=2" title="t">lien</a><br>fin</p>'
    html = autolink(source, "fr")
    assert '<a href="/x?a=1&amp;b=2" title="t">lien</a><br>fin</p>' in html
    assert html.startswith("<p>A &amp; B &lt;")


def test_renaming_or_deleting_a_term_updates_the_links(terms):
    assert links(autolink("<p>Un numéro.</p>", "fr"))
    number = terms["number"]
    number.name_fr = "Numéro spécial"
    number.save()
    assert links(autolink("<p>Un numéro.</p>", "fr")) == []
    assert links(autolink("<p>Un numéro spécial.</p>", "fr"))
    with allow_deleting_published():  # a published term: only a deliberate purge deletes it
        number.delete()
    assert links(autolink("<p>Un numéro spécial.</p>", "fr")) == []


def test_patterns_cost_two_queries_to_build_and_none_once_cached(
    terms, make_term, django_assert_num_queries
):
    for index in range(20):
        make_term(
            f"extra-{index}",
            fr={"name": f"Mot {index}", "slug": f"mot-{index}", "synonyms": f"Autre {index}"},
        )
    invalidate()
    # The published terms, then their labels: however many terms and labels there are.
    with django_assert_num_queries(2):
        autolink("<p>Le NPS.</p>", "fr")
    with django_assert_num_queries(0):
        autolink("<p>Le NPS et le mot 3.</p>", "fr")
        autolink("<p>The NPS.</p>", "en")


def test_term_page_definition_links_other_terms_but_not_itself(client, terms):
    nps = terms["nps"]
    nps.definition_fr = "Le NPS compte chaque **promoteur**. Voir `NPS`."
    nps.save()
    html = client.get("/fr/termes/net-promoter-score/").content.decode()
    definition = html.split('<div class="definition">')[1].split("</div>")[0]
    assert links(definition) == [("/fr/termes/promoteur/", "promoteur")]
    assert 'id="definition-tip-1"' in definition


def test_fallback_definition_is_linked_with_its_own_languages_labels(client, terms, make_term):
    make_term(
        "french-only",
        fr={"name": "Seulement", "slug": "seulement", "definition": "Lié au NPS."},
    )
    html = client.get("/en/terms/seulement/").content.decode()
    assert links(html.split('<div class="definition">')[1].split("</div>")[0]) == [
        ("/en/terms/net-promoter-score-en/", "NPS")
    ]


def test_a_one_word_label_is_no_link_but_a_longer_one_or_an_abbreviation_is(make_term):
    # "Pratica" is an Italian name for a ticket, and also the everyday word for "practice".
    make_term(
        "ticket",
        it={"name": "Ticket", "slug": "ticket", "summary": "Una richiesta.",
            "synonyms": "Pratica\nRichiesta di assistenza\nTKT"},
    )  # fmt: skip
    invalidate()
    html = autolink("<p>Nella pratica, ogni richiesta di assistenza diventa un TKT.</p>", "it")
    assert "Nella pratica," in html
    assert '">richiesta di assistenza</a>' in html
    html = autolink("<p>Un TKT aperto.</p>", "it")
    assert '">TKT</a>' in html
