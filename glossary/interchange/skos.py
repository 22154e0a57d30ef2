"""SKOS in Turtle (rdflib): one skos:Concept per term, one skos:Collection per category.

Standard properties carry what other tools read: prefLabel, altLabel (admitted and
deprecated labels, and the acronym; each deprecated one also gets an editorialNote saying so,
as SKOS has no status for labels), hiddenLabel (search-only labels), definition (Markdown),
dcterms:abstract (the one-sentence summary), scopeNote (the usage note), example, dcterms:source
and a skos:note per source, broader, narrower, related, rdfs:seeAlso, dcterms:isReplacedBy, all
language-tagged. What only this site needs to rebuild itself exactly (slugs, status, label
statuses, types and order, the sources' fields, positions) uses the small `gl:` vocabulary
below. Concepts are named by key (dcterms:identifier) so an import does not
depend on the base URI.

The ConceptScheme has the site's name as prefLabel in each language, and the concepts without
a broader concept in the file are its top concepts (skos:hasTopConcept / skos:topConceptOf,
as the SKOS Primer asks). With the public base (`/id/`), concept URIs dereference: see
glossary/concepts.py.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS

from glossary.interchange import ImportFileError, Record
from glossary.interchange import labels as term_labels
from kb.core.languages import language_codes

GL = Namespace("urn:crm-glossary:vocabulary#")
DEFAULT_BASE = "urn:crm-glossary:"
LABEL_PROPERTIES = {
    "admitted": SKOS.altLabel,
    "deprecated": SKOS.altLabel,
    "search_only": SKOS.hiddenLabel,
}
RELATION_PROPERTIES = {
    "broader": SKOS.broader,
    "narrower": SKOS.narrower,
    "related": SKOS.related,
    "see_also": RDFS.seeAlso,
}


def dump(categories: list[Record], terms: list[Record], base: str = DEFAULT_BASE) -> str:
    """The glossary as SKOS in Turtle."""
    return build_graph(categories, terms, base).serialize(format="turtle")


def build_graph(categories: list[Record], terms: list[Record], base: str = DEFAULT_BASE) -> Graph:
    """The glossary as an rdflib Graph (concepts named `{base}term/{key}`)."""
    graph = Graph()
    graph.bind("skos", SKOS)
    graph.bind("dcterms", DCTERMS)
    graph.bind("gl", GL)
    scheme = URIRef(base + "glossary")
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    for code in language_codes():
        with translation.override(code):
            _add_text(graph, scheme, SKOS.prefLabel, str(settings.SITE_NAME), code)
    term_uri = {record.key: URIRef(f"{base}term/{record.key}") for record in terms}
    keys = set(term_uri)
    for record in categories:
        node = URIRef(f"{base}category/{record.key}")
        graph.add((node, RDF.type, SKOS.Collection))
        graph.add((node, DCTERMS.identifier, Literal(record.key)))
        graph.add((node, GL.position, Literal(record.values["position"], datatype=XSD.integer)))
        for code in language_codes():
            _add_text(graph, node, SKOS.prefLabel, record.values[f"name_{code}"], code)
            _add_text(graph, node, GL.slug, record.values[f"slug_{code}"], code)
            _add_text(graph, node, SKOS.definition, record.values[f"description_{code}"], code)
    for record in terms:
        values = record.values
        node = term_uri[record.key]
        graph.add((node, RDF.type, SKOS.Concept))
        graph.add((node, SKOS.inScheme, scheme))
        if not any(kind == "broader" and target in keys for kind, target in record.relations or []):
            graph.add((node, SKOS.topConceptOf, scheme))
            graph.add((scheme, SKOS.hasTopConcept, node))
        graph.add((node, DCTERMS.identifier, Literal(record.key)))
        graph.add((node, GL.status, Literal(values["status"])))
        graph.add((node, GL.trademark, Literal(bool(values["is_trademark"]))))
        category = URIRef(f"{base}category/{values['category']}")
        graph.add((node, GL.category, category))
        graph.add((category, SKOS.member, node))
        if values["replaced_by"]:
            graph.add((node, DCTERMS.isReplacedBy, URIRef(f"{base}term/{values['replaced_by']}")))
        for code in language_codes():
            _add_text(graph, node, SKOS.prefLabel, values[f"name_{code}"], code)
            _add_text(graph, node, GL.slug, values[f"slug_{code}"], code)
            _add_text(graph, node, GL.acronym, values[f"acronym_{code}"], code)
            _add_text(graph, node, SKOS.altLabel, values[f"acronym_{code}"], code)
            _add_text(graph, node, DCTERMS.abstract, values[f"summary_{code}"], code)
            _add_text(graph, node, SKOS.definition, values[f"definition_{code}"], code)
            _add_text(graph, node, SKOS.scopeNote, values[f"usage_note_{code}"], code)
            _add_text(graph, node, SKOS.example, values[f"example_{code}"], code)
            rows, _problems = term_labels.parse_labels(values[f"labels_{code}"])
            for text, status, _kind in rows:
                _add_text(graph, node, LABEL_PROPERTIES[status], text, code)
                if status == "deprecated":
                    note = _("“%(label)s” is not recommended.")
                    with translation.override(code):
                        _add_text(graph, node, SKOS.editorialNote, note % {"label": text}, code)
            # RDF has no order, and SKOS no status nor type for labels: keep them exactly.
            _add_text(graph, node, GL.labels, values[f"labels_{code}"], code)
        sources, _problems = term_labels.parse_sources(values["sources"])
        for source in sources:
            if source["url"]:
                graph.add((node, DCTERMS.source, URIRef(source["url"])))
            else:
                graph.add((node, DCTERMS.source, Literal(term_labels.source_text(source))))
            note = term_labels.source_text(source)
            graph.add((node, SKOS.note, Literal(note, lang=source["language"] or None)))
        if values["sources"]:
            graph.add((node, GL.sources, Literal(values["sources"])))
        for kind, target in record.relations or []:
            graph.add((node, RELATION_PROPERTIES[kind], URIRef(f"{base}term/{target}")))
    return graph


def _add_text(graph: Graph, node, prop, value: str, language: str) -> None:
    if value:
        graph.add((node, prop, Literal(value, lang=language)))


def load(text: str) -> tuple[list[Record], list[Record]]:
    graph = Graph()
    try:
        graph.parse(data=text, format="turtle")
    except Exception as error:  # rdflib raises several unrelated types for bad syntax
        raise ImportFileError([f"Turtle: {error}"]) from error
    codes = language_codes()
    keys = {node: _key(graph, node) for node in set(graph.subjects(RDF.type, SKOS.Concept))}
    category_nodes = set(graph.subjects(RDF.type, SKOS.Collection))
    category_keys = {node: _key(graph, node) for node in category_nodes}

    def where(key: str) -> str:
        index = text.find(f'"{key}"')
        return f"line {text.count(chr(10), 0, index) + 1}" if index >= 0 else f"concept {key}"

    categories = []
    for node in sorted(category_nodes, key=lambda n: category_keys[n]):
        values = {}
        position = graph.value(node, GL.position)
        if position is not None:
            values["position"] = position.toPython()
        for code in codes:
            values[f"name_{code}"] = _text(graph, node, SKOS.prefLabel, code)
            values[f"slug_{code}"] = _text(graph, node, GL.slug, code)
            values[f"description_{code}"] = _text(graph, node, SKOS.definition, code)
        categories.append(Record(category_keys[node], values, where=where(category_keys[node])))

    old_summaries = not any(graph.subjects(DCTERMS.abstract, None))
    terms = []
    for node in sorted(keys, key=lambda n: keys[n]):
        values = {}
        status = graph.value(node, GL.status)
        if status is not None:
            values["status"] = str(status)
        trademark = graph.value(node, GL.trademark)
        if trademark is not None:
            values["is_trademark"] = trademark.toPython()
        category = graph.value(node, GL.category)
        if category is not None:
            values["category"] = category_keys.get(category) or _tail(category)
        replaced = graph.value(node, DCTERMS.isReplacedBy)
        values["replaced_by"] = (keys.get(replaced) or _tail(replaced)) if replaced else ""
        for code in codes:
            acronym = _text(graph, node, GL.acronym, code)
            values[f"name_{code}"] = _text(graph, node, SKOS.prefLabel, code)
            values[f"slug_{code}"] = _text(graph, node, GL.slug, code)
            values[f"acronym_{code}"] = acronym
            values[f"definition_{code}"] = _text(graph, node, SKOS.definition, code)
            values[f"example_{code}"] = _text(graph, node, SKOS.example, code)
            if old_summaries:  # exported before usage notes: the summary was the scopeNote
                values[f"summary_{code}"] = _text(graph, node, SKOS.scopeNote, code)
            else:
                values[f"summary_{code}"] = _text(graph, node, DCTERMS.abstract, code)
                values[f"usage_note_{code}"] = _text(graph, node, SKOS.scopeNote, code)
            values[f"labels_{code}"] = _labels(graph, node, code, acronym)
        values["sources"] = str(graph.value(node, GL.sources) or "")
        relations = []
        for kind, prop in RELATION_PROPERTIES.items():
            for target in sorted(graph.objects(node, prop), key=str):
                if isinstance(target, BNode):
                    continue
                relations.append((kind, keys.get(target) or _tail(target)))
        terms.append(Record(keys[node], values, relations, where=where(keys[node])))
    return categories, terms


def _labels(graph: Graph, node, code: str, acronym: str) -> str:
    """A concept's labels in one language: exactly as exported (gl:labels), else from the
    standard properties, as this site's earlier exports (gl:synonymsOrder...) and other tools
    write them."""
    exact = _text(graph, node, GL.labels, code)
    if exact:
        return exact
    rows = []
    for field, status in (("synonyms", "admitted"), ("hidden_labels", "search_only")):
        ordered = _text(graph, node, GL[f"{field}Order"], code).splitlines()
        prop = SKOS.altLabel if status == "admitted" else SKOS.hiddenLabel
        found = sorted(
            str(o) for o in graph.objects(node, prop) if getattr(o, "language", None) == code
        )
        if status == "admitted" and acronym in found and acronym not in ordered:
            found.remove(acronym)
        rows += [(label, status, "") for label in ordered or found]
    return term_labels.format_labels(rows)


def _key(graph: Graph, node) -> str:
    identifier = graph.value(node, DCTERMS.identifier)
    return str(identifier) if identifier is not None else _tail(node)


def _tail(node) -> str:
    return str(node).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1].rsplit(":", 1)[-1]


def _text(graph: Graph, node, prop, language: str) -> str:
    for value in graph.objects(node, prop):
        if getattr(value, "language", None) == language:
            return str(value)
    return ""
