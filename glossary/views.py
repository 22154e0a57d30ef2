"""Public glossary pages: A-Z index, term pages, categories."""

from dataclasses import dataclass
from itertools import groupby

from django.core.cache import cache
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_safe

from glossary.autolink import autolink, links_generation
from glossary.deprecation import deprecated_term_response
from glossary.models import Category, Term, TermLabel, TermRelation
from glossary.sections import sections_for
from glossary.structured_data import defined_term
from kb.core.collation import initial, sort_key
from kb.core.languages import language_name, native_name
from kb.core.markdown import render_markdown
from kb.core.seo import page_languages, same_page_in
from kb.core.translated import first_filled

# Order of relation groups on a term page: up the hierarchy, down, sideways, then pointers.
RELATION_ORDER = [
    TermRelation.Type.BROADER,
    TermRelation.Type.NARROWER,
    TermRelation.Type.RELATED,
    TermRelation.Type.SEE_ALSO,
]
# Rendered definitions stay until the content generation moves; this only bounds how long an
# unreachable one occupies a cache that does not evict by itself.
DEFINITION_TIMEOUT = 7 * 24 * 3600


@dataclass(frozen=True)
class IndexEntry:
    label: str
    term: Term
    name: str
    summary: str
    acronym: str
    url: str
    # Set for another name's entry, which points to the preferred name ("Centre d'appels → ...").
    other_name: TermLabel | None = None

    @property
    def letter(self) -> str:
        return initial(self.label)


@require_safe
def term_index(request: HttpRequest) -> HttpResponse:
    """A-Z index of the terms that exist in the active language, synonyms included."""
    language = translation.get_language()
    terms = Term.objects.published().with_text_in(language).prefetch_related("labels")
    entries = []
    for term in terms:
        name = term.text("name", language)
        common = {
            "term": term,
            "name": name,
            "summary": term.text("summary", language),
            "acronym": term.text("acronym", language),
            "url": term.get_absolute_url(language),
        }
        entries.append(IndexEntry(label=name, **common))
        # Other names lead to the preferred one; a deprecated one says it is not recommended.
        for label in term.labels.all():
            if label.language == language and label.status != TermLabel.Status.SEARCH_ONLY:
                entries.append(IndexEntry(label=label.text, other_name=label, **common))
    entries.sort(key=lambda entry: sort_key(entry.label))
    groups = [(letter, list(items)) for letter, items in groupby(entries, key=lambda e: e.letter)]
    return render(
        request,
        "glossary/term_index.html",
        {
            "groups": groups,
            "letters": [letter for letter, _items in groups],
            "term_count": len(terms),
            "page_languages": page_languages(request, same_page_in(request)),
        },
    )


@require_safe
def term_detail(request: HttpRequest, slug: str) -> HttpResponse:
    language = translation.get_language()
    term = (
        Term.objects.published()
        .select_related("category")
        .prefetch_related("labels", "sources")
        .by_slug(slug, language)
    )
    if term is None:
        # A deprecated term's address: 301 to its replacement, else 410 (glossary/deprecation.py).
        return deprecated_term_response(request, slug, language)
    canonical_path = term.get_absolute_url(language)
    if request.path != canonical_path:
        # Another language's slug (a hand-edited URL, an old link): send to this language's.
        return redirect(canonical_path, permanent=True)

    text_language = term.display_language(language)
    relations = (
        term.relations.filter(target__status=Term.Status.PUBLISHED)
        .select_related("target")
        .order_by("type")
    )
    grouped: dict[str, list[Term]] = {}
    for relation in relations:
        grouped.setdefault(relation.type, []).append(relation.target)
    relation_groups = [
        (
            TermRelation.Type(kind).label,
            sorted(grouped[kind], key=lambda t: sort_key(first_filled(t, "name", language))),
        )
        for kind in RELATION_ORDER
        if kind in grouped
    ]
    languages = page_languages(
        request, term.get_absolute_url, term.languages(), text_language=text_language
    )
    other_names = [
        {
            "code": code,
            "language": native_name(code),
            "name": term.text("name", code),
            "url": term.get_absolute_url(code),
        }
        for code in term.languages()
        if code != language
    ]
    return render(
        request,
        "glossary/term_detail.html",
        {
            "term": term,
            "name": term.text("name", text_language),
            "acronym": term.text("acronym", text_language),
            "summary": term.text("summary", text_language),
            **rendered_texts(term, text_language, language),
            "synonyms": term.label_texts(text_language, TermLabel.Status.ADMITTED),
            "not_recommended": term.label_texts(text_language, TermLabel.Status.DEPRECATED),
            "example": term.text("example", text_language),
            "sources": term.sources_for(text_language),
            "text_language": text_language,
            "text_language_name": language_name(text_language),
            "is_fallback": text_language != language,
            "relation_groups": relation_groups,
            "other_names": other_names,
            "category": term.category,
            "page_languages": languages,
            "structured_data": defined_term(request, term, text_language),
            # Content other apps contribute (e.g. knowledge-base articles), see sections.py.
            "sections": sections_for(request, term, language),
        },
    )


def rendered_texts(term: Term, text_language: str, language: str) -> dict[str, str]:
    """The term's definition (sanitised, other terms auto-linked to their pages in `language`)
    and usage note as HTML, `definition_html` and `usage_note_html`.

    Rendering costs more than the rest of the page, so the HTML is kept in the shared cache,
    keyed by the term's version (its text) and the links generation (the labels of the terms
    it may link to), so that a change elsewhere (an article, a category) leaves it valid.
    """
    key = (
        f"glossary:term-html:{links_generation()}:{term.pk}:{term.version}"
        f":{text_language}:{language}"
    )
    texts = cache.get(key)
    if texts is None:
        texts = {
            # Other terms named in the definition link to their pages (never to this term).
            "definition_html": autolink(
                render_markdown(term.text("definition", text_language)),
                text_language,
                url_language=language,
                exclude_term_id=term.pk,
                id_prefix="definition-tip",
            ),
            "usage_note_html": render_markdown(term.text("usage_note", text_language)),
        }
        cache.set(key, texts, DEFINITION_TIMEOUT)
    return texts


@require_safe
def category_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "glossary/category_list.html",
        {
            "categories": categories_with_counts(),
            "page_languages": page_languages(request, same_page_in(request)),
        },
    )


@require_safe
def category_detail(request: HttpRequest, slug: str) -> HttpResponse:
    language = translation.get_language()
    category = Category.objects.by_slug(slug, language)
    if category is None:
        raise Http404
    canonical_path = category.get_absolute_url(language)
    if request.path != canonical_path:
        return redirect(canonical_path, permanent=True)
    terms = sorted(
        category.terms.published(),
        key=lambda term: sort_key(first_filled(term, "name", language)),
    )
    return render(
        request,
        "glossary/category_detail.html",
        {
            "category": category,
            "terms": terms,
            "page_languages": page_languages(request, category.get_absolute_url),
        },
    )


def categories_with_counts():
    """Categories with the number of published terms in each (one query)."""
    return Category.objects.annotate(
        term_count=Count("terms", filter=Q(terms__status=Term.Status.PUBLISHED))
    )
