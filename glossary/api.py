"""Read-only glossary endpoints: /api/v1/terms/ and /api/v1/terms/<slug>/."""

from typing import Literal

from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from glossary.models import Term, TermRelation
from kb.core.api import ApiError, ErrorOut, Language, Page, unknown_language
from kb.core.languages import language_codes
from kb.core.markdown import render_markdown
from kb.core.translated import first_filled

router = Router(tags=["glossary"])

PAGE_SIZE = 50


class LanguageFilter(Schema):
    lang: Language = "fr"


class TermFilters(LanguageFilter):
    page: Page = 1


class TermOut(Schema):
    slug: str
    name: str
    acronym: str
    summary: str
    url: str
    languages: list[str]


class TermPage(Schema):
    count: int
    next: str | None
    results: list[TermOut]


class RelationOut(Schema):
    type: str
    slug: str
    name: str
    url: str


class TranslationOut(Schema):
    name: str
    slug: str
    url: str


class CategoryOut(Schema):
    key: str
    name: str
    slug: str
    url: str


class LabelOut(Schema):
    text: str
    status: Literal["admitted", "deprecated"]
    type: str = Field(description="abbreviation, full_form, short_form, or empty")


class SourceOut(Schema):
    author: str
    title: str
    year: int | None
    url: str
    note: str
    language: str = Field(description="The language whose text it backs; empty for all.")


class TermDetailOut(TermOut):
    definition_html: str
    synonyms: list[str] = Field(description="The admitted labels' texts.")
    labels: list[LabelOut] = Field(
        description="Other names in the text's language; search-only labels are never shown."
    )
    sources: list[SourceOut]
    usage_note: str = Field(description="Regional or dated usage, Markdown; may be empty.")
    example: str = Field(description="A sentence showing the term in use; may be empty.")
    category: CategoryOut
    relations: list[RelationOut]
    translations: dict[str, TranslationOut]


def activate_language(lang: str) -> str:
    """Make `lang` the language of the answer's messages; ApiError 400 if it is not a site language.

    The `Language` type already refuses other values before a view runs; this guards callers
    whose parameter is a plain string.
    """
    if lang not in language_codes():
        raise ApiError(400, "invalid_language", unknown_language(lang))
    translation.activate(lang)
    return lang


def term_summary(term: Term, lang: str) -> dict:
    text_language = term.display_language(lang)
    return {
        "slug": term.slug_for(lang),
        "name": term.text("name", text_language),
        "acronym": term.text("acronym", text_language),
        "summary": term.text("summary", text_language),
        "url": term.get_absolute_url(lang),
        "languages": term.languages(),
    }


@router.get(
    "",
    response={200: TermPage, 400: ErrorOut, 404: ErrorOut},
    summary="List published terms",
    description=f"{PAGE_SIZE} terms a page, by name in `lang`; a page past the last one is a 404.",
)
def list_terms(request: HttpRequest, filters: Query[TermFilters]) -> dict:
    lang = activate_language(filters.lang)
    terms = Term.objects.published().order_by(f"name_{lang}", "key")
    try:
        page = Paginator(terms, PAGE_SIZE).page(filters.page)
    except EmptyPage:
        raise ApiError(404, "page_not_found", _("This page does not exist.")) from None
    next_url = (
        request.build_absolute_uri(f"{request.path}?lang={lang}&page={page.next_page_number()}")
        if page.has_next()
        else None
    )
    return {
        "count": page.paginator.count,
        "next": next_url,
        "results": [term_summary(term, lang) for term in page],
    }


@router.get(
    "{slug}/",
    response={200: TermDetailOut, 400: ErrorOut, 404: ErrorOut},
    summary="One term with its relations",
)
def get_term(request: HttpRequest, slug: str, filters: Query[LanguageFilter]) -> dict:
    lang = activate_language(filters.lang)
    term = (
        Term.objects.published()
        .select_related("category")
        .prefetch_related("labels", "sources")
        .by_slug(slug, lang)
    )
    if term is None:
        raise Http404(_("No term has the slug %(slug)s.") % {"slug": repr(slug[:80])})
    text_language = term.display_language(lang)
    relations = (
        term.relations.filter(target__status=Term.Status.PUBLISHED)
        .select_related("target")
        .order_by("type", "target__key")
    )
    category = term.category
    return {
        **term_summary(term, lang),
        "definition_html": render_markdown(term.text("definition", text_language)),
        "synonyms": term.label_texts(text_language, "admitted"),
        "labels": [
            {"text": label.text, "status": label.status, "type": label.type}
            for label in term.labels.all()
            if label.language == text_language and label.status != "search_only"
        ],
        "sources": [
            {
                "author": source.author,
                "title": source.title,
                "year": source.year,
                "url": source.url,
                "note": source.note,
                "language": source.language,
            }
            for source in term.sources_for(text_language)
        ],
        "usage_note": term.text("usage_note", text_language),
        "example": term.text("example", text_language),
        "category": {
            "key": category.key,
            "name": first_filled(category, "name", lang),
            "slug": first_filled(category, "slug", lang),
            "url": category.get_absolute_url(lang),
        },
        "relations": [
            {
                "type": TermRelation.Type(relation.type).value,
                "slug": relation.target.slug_for(lang),
                "name": first_filled(relation.target, "name", lang),
                "url": relation.target.get_absolute_url(lang),
            }
            for relation in relations
        ],
        "translations": {
            code: {
                "name": term.text("name", code),
                "slug": term.text("slug", code),
                "url": term.get_absolute_url(code),
            }
            for code in term.languages()
        },
    }
