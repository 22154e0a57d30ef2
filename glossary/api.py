"""Read-only glossary endpoints: /api/v1/terms/ and /api/v1/terms/<slug>/."""

from django.http import Http404, HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from glossary.models import Term, TermRelation
from kb.core.languages import language_codes
from kb.core.markdown import render_markdown
from kb.core.translated import first_filled

router = Router(tags=["glossary"])

PAGE_SIZE = 50
MAX_PAGE = 100_000


class ApiError(HttpError):
    """An HTTP error with a stable machine-readable code (see kb.api)."""

    def __init__(self, status_code: int, code: str, message: str) -> None:
        super().__init__(status_code, message)
        self.code = code


class TermFilters(Schema):
    lang: str = "fr"
    page: int = 1


class LanguageFilter(Schema):
    lang: str = "fr"


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


class TermDetailOut(TermOut):
    definition_html: str
    synonyms: list[str]
    category: CategoryOut
    relations: list[RelationOut]
    translations: dict[str, TranslationOut]


def activate_language(lang: str) -> str:
    """Validate the `lang` parameter and make it the language of the answer's messages."""
    if lang not in language_codes():
        raise ApiError(
            400,
            "invalid_language",
            _("Unknown language %(lang)s: use one of %(codes)s.")
            % {"lang": repr(lang[:20]), "codes": ", ".join(language_codes())},
        )
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


@router.get("", response=TermPage, summary="List published terms")
def list_terms(request: HttpRequest, filters: Query[TermFilters]) -> dict:
    lang = activate_language(filters.lang)
    if not 1 <= filters.page <= MAX_PAGE:
        raise ApiError(
            400,
            "invalid_page",
            _("The page number must be between 1 and %(max)s.") % {"max": MAX_PAGE},
        )
    terms = Term.objects.published().order_by(f"name_{lang}", "key")
    count = terms.count()
    start = (filters.page - 1) * PAGE_SIZE
    if start and start >= count:
        raise ApiError(404, "page_not_found", _("This page does not exist."))
    results = [term_summary(term, lang) for term in terms[start : start + PAGE_SIZE]]
    has_next = start + PAGE_SIZE < count
    next_url = (
        request.build_absolute_uri(f"{request.path}?lang={lang}&page={filters.page + 1}")
        if has_next
        else None
    )
    return {"count": count, "next": next_url, "results": results}


@router.get("{slug}/", response=TermDetailOut, summary="One term with its relations")
def get_term(request: HttpRequest, slug: str, filters: Query[LanguageFilter]) -> dict:
    lang = activate_language(filters.lang)
    term = Term.objects.published().select_related("category").by_slug(slug, lang)
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
        "synonyms": term.labels("synonyms", text_language),
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
