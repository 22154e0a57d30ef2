"""Search endpoints of the JSON API: GET /api/v1/suggest and GET /api/v1/search."""

from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from glossary.api import ApiError, activate_language
from glossary.search.engine import get_engine
from kb.core.api import ErrorOut, Language, Page

router = Router(tags=["search"])


class SuggestFilters(Schema):
    q: str = ""
    lang: Language = "fr"


class SearchFilters(SuggestFilters):
    page: Page = 1
    kind: Literal["term", "article"] | None = Field(
        None, description="Keep one kind of result: terms or knowledge-base articles."
    )


class SuggestionOut(Schema):
    label: str  # the name, acronym or synonym that matched
    name: str  # the term's preferred name
    slug: str
    url: str


class SuggestOut(Schema):
    suggestions: list[SuggestionOut]


class SearchResultOut(Schema):
    kind: Literal["term", "article"]  # a glossary term or a knowledge-base article
    slug: str
    name: str
    url: str  # the term's page in the requested language
    language: str  # the language the match was found in
    summary: str
    highlight: str  # the summary as HTML, matched words in <mark>
    # When only another name matched: that name, and whether it is admitted or not recommended.
    matched_label: str | None = None
    matched_label_status: Literal["admitted", "deprecated"] | None = None


class SearchOut(Schema):
    count: int
    results: list[SearchResultOut]
    did_you_mean: str | None
    fallback: bool  # nothing in `lang`: the results come from the other languages


@router.get(
    "suggest",
    response={200: SuggestOut, 400: ErrorOut},
    summary="Autocomplete: terms by prefix",
)
def suggest(request: HttpRequest, filters: Query[SuggestFilters]) -> dict:
    """Up to 10 names, acronyms or synonyms starting with the words of `q`."""
    lang = activate_language(filters.lang)
    return {"suggestions": get_engine().suggest(filters.q, lang)}


@router.get("search", response={200: SearchOut, 400: ErrorOut}, summary="Full-text search")
def search(request: HttpRequest, filters: Query[SearchFilters]) -> dict:
    """Terms and knowledge-base articles matching the plain words of `q` (folded and stemmed
    in `lang`), 10 per page, best first; `kind` keeps one of them."""
    lang = activate_language(filters.lang)
    if not 1 <= filters.page <= 100_000:
        raise ApiError(400, "invalid_page", _("The page number must be 1 or more."))
    result = get_engine().search(filters.q, lang, filters.page, kind=filters.kind)
    # Unlike the page form, which shows the last page, a page beyond the last is empty.
    hits = result.hits if result.page.number == filters.page else []
    return {
        "count": result.count,
        "results": [
            {
                "kind": hit.kind,
                "slug": hit.slug,
                "name": hit.name,
                "url": hit.url,
                "language": hit.language,
                "summary": hit.summary,
                "highlight": str(hit.summary_html),
                "matched_label": hit.matched_synonym or None,
                "matched_label_status": (
                    ("deprecated" if hit.matched_deprecated else "admitted")
                    if hit.matched_synonym
                    else None
                ),
            }
            for hit in hits
        ],
        "did_you_mean": result.did_you_mean,
        "fallback": result.fallback,
    }
