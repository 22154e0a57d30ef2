"""Concept URIs: /id/term/<key>, the names the public SKOS export gives its concepts.

A concept URI names the concept, not a page, so it answers 303 See Other (httpRange-14, the
W3C's "Cool URIs for the Semantic Web"): to the term's page in the reader's language, chosen as
LocaleMiddleware chooses it (language cookie, then Accept-Language), or, for a client asking for
RDF, that concept's description in Turtle or JSON-LD. Drafts and unknown keys answer 404; a
deprecated term's URI still leads to its page, which answers 301 to its replacement or 410.
"""

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from glossary.interchange import export_records, skos
from glossary.models import Term

HTML = "text/html"
RDF_TYPES = {"text/turtle": "turtle", "application/ld+json": "json-ld"}


def concept_base(request: HttpRequest) -> str:
    """The base of concept URIs on this site: `https://host/id/`."""
    return request.build_absolute_uri("/id/")


@require_safe
def concept(request: HttpRequest, key: str) -> HttpResponse:
    term = Term.objects.filter(key=key, status__in=Term.PUBLIC_STATUSES).first()
    if term is None:
        raise Http404
    preferred = request.get_preferred_type([HTML, *RDF_TYPES])
    if preferred in RDF_TYPES and term.status == Term.Status.PUBLISHED:
        response = HttpResponse(
            description(request, key, RDF_TYPES[preferred]),
            content_type=f"{preferred}; charset=utf-8",
        )
    else:
        response = HttpResponseRedirect(term.get_absolute_url(translation.get_language()))
        response.status_code = 303
    patch_vary_headers(response, ["Accept", "Accept-Language", "Cookie"])
    return response


def description(request: HttpRequest, key: str, rdf_format: str) -> str:
    """The concept `key` as the public export describes it: its labels, notes, links and
    scheme (the terms it links to are named by their URIs)."""
    categories, terms = export_records(published_only=True)
    (record,) = [term for term in terms if term.key == key]
    own = [category for category in categories if category.key == record.values["category"]]
    graph = skos.build_graph(own, [record], base=concept_base(request))
    return graph.serialize(format=rdf_format)
