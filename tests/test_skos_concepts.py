"""The public SKOS export (GET /api/v1/export.skos.ttl) is a well-formed concept scheme, as read
by rdflib, and its concept URIs (/id/term/<key>) dereference: 303 to the term's page in the
reader's language, or the concept's own RDF for a client that asks for it."""

import json
from collections import Counter

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from glossary.models import Term

LANGUAGES = ["fr", "it", "en"]
BASE = "http://testserver/id/"


@pytest.fixture
def graph(client, glossary_content) -> Graph:
    response = client.get("/api/v1/export.skos.ttl")
    assert response.status_code == 200
    return Graph().parse(data=response.content.decode(), format="turtle")


def scheme_of(graph: Graph) -> URIRef:
    (scheme,) = graph.subjects(RDF.type, SKOS.ConceptScheme)
    return scheme


def concepts(graph: Graph) -> set:
    return set(graph.subjects(RDF.type, SKOS.Concept))


def test_the_scheme_is_named_in_every_language(graph):
    labels = {
        label.language: str(label) for label in graph.objects(scheme_of(graph), SKOS.prefLabel)
    }
    assert labels == {"fr": "Glossaire CRM", "it": "Glossario CRM", "en": "CRM Glossary"}


def test_top_concepts_are_the_concepts_without_a_broader_one(graph):
    scheme = scheme_of(graph)
    top = set(graph.objects(scheme, SKOS.hasTopConcept))
    assert top == set(graph.subjects(SKOS.topConceptOf, scheme))
    assert top == {c for c in concepts(graph) if graph.value(c, SKOS.broader) is None}
    # Special numbers are a kind of non-geographic number, which has no broader concept.
    assert URIRef(BASE + "term/non-geographic-number") in top
    assert URIRef(BASE + "term/special-numbers") not in top
    assert URIRef(BASE + "term/toll-free-number") not in top
    assert 0 < len(top) < len(concepts(graph))


def test_related_is_symmetric_and_broader_is_the_inverse_of_narrower(graph):
    for a, b in graph.subject_objects(SKOS.related):
        assert (b, SKOS.related, a) in graph
    broader = set(graph.subject_objects(SKOS.broader))
    narrower = {(b, a) for a, b in graph.subject_objects(SKOS.narrower)}
    assert broader and broader == narrower


def test_every_concept_has_exactly_one_pref_label_per_language(graph):
    for concept in concepts(graph):
        counts = Counter(label.language for label in graph.objects(concept, SKOS.prefLabel))
        assert counts == Counter(LANGUAGES), concept


def test_every_concept_uri_answers_303_to_its_page(client, graph):
    uris = concepts(graph)
    assert len(uris) == Term.objects.published().count()
    for uri in uris:
        assert str(uri).startswith(BASE)
        response = client.get(uri)
        assert response.status_code == 303, uri
        assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    ("accept_language", "page"),
    [
        ("it-IT,it;q=0.9", "/it/termini/numero-verde/"),
        ("en-GB,en;q=0.8", "/en/terms/freephone-number/"),
        ("fr", "/fr/termes/numero-vert/"),
        ("de", "/fr/termes/numero-vert/"),
    ],
)
def test_a_concept_uri_leads_to_the_page_in_the_readers_language(
    client, glossary_content, accept_language, page
):
    response = client.get("/id/term/toll-free-number", HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == 303
    assert response["Location"] == page
    assert "Accept-Language" in response["Vary"]


def test_a_concept_uri_gives_turtle_to_a_client_that_asks_for_it(client, glossary_content):
    response = client.get("/id/term/toll-free-number", HTTP_ACCEPT="text/turtle")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=response.content.decode(), format="turtle")
    concept = URIRef(BASE + "term/toll-free-number")
    assert (concept, SKOS.prefLabel, Literal("Numéro vert", lang="fr")) in graph
    assert (concept, SKOS.broader, URIRef(BASE + "term/special-numbers")) in graph


def test_a_concept_uri_gives_json_ld_to_a_client_that_asks_for_it(client, glossary_content):
    response = client.get("/id/term/toll-free-number", HTTP_ACCEPT="application/ld+json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    json.loads(response.content)
    graph = Graph().parse(data=response.content.decode(), format="json-ld")
    assert (URIRef(BASE + "term/toll-free-number"), RDF.type, SKOS.Concept) in graph


def test_a_browser_is_sent_to_the_page(client, glossary_content):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/id/term/toll-free-number", HTTP_ACCEPT=accept)
    assert response.status_code == 303


@pytest.mark.parametrize(
    "path", ["/id/term/no-such-term", "/id/term/%00", "/id/term/a%2Fb", "/id/term/"]
)
def test_unknown_or_malformed_keys_answer_404(client, glossary_content, path):
    assert client.get(path).status_code == 404


def test_a_draft_answers_404(client, glossary_content):
    Term.objects.filter(key="toll-free-number").update(status=Term.Status.DRAFT)
    assert client.get("/id/term/toll-free-number").status_code == 404
    assert client.get("/id/term/toll-free-number", HTTP_ACCEPT="text/turtle").status_code == 404


def test_a_deprecated_term_leads_to_its_page_which_says_where_it_went(client, glossary_content):
    term = Term.objects.get(key="customer-information-file")
    term.status = Term.Status.DEPRECATED
    term.replaced_by = Term.objects.get(key="customer-relationship-management")
    term.save()
    response = client.get("/id/term/customer-information-file", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 303
    assert client.get(response["Location"]).status_code == 301
    # It is no longer in the published glossary, so there is no RDF to give.
    turtle = client.get("/id/term/customer-information-file", HTTP_ACCEPT="text/turtle")
    assert turtle.status_code == 303
