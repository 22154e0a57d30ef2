"""The search page: /<lang>/search/?q=... (all the searching is in glossary.search.engine)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_safe

from glossary.search import engine
from kb.core.languages import language_name, native_name
from kb.core.seo import page_languages, same_page_in


def page_number(value: str | None) -> int:
    """The ?page= parameter; anything that is not a small positive integer means page 1."""
    if value and value.isascii() and value.isdigit() and len(value) <= 6:
        return max(1, int(value))
    return 1


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    language = translation.get_language()
    raw = request.GET.get("q", "")
    page = page_number(request.GET.get("page"))
    result = engine.search(raw, language, page)
    if result.num_pages and page > result.num_pages:
        result = engine.search(raw, language, result.num_pages)
    if result.exact is not None:
        # The visitor typed a name, acronym or synonym of one term: show it directly.
        return redirect(result.exact.url)
    for hit in result.hits:
        hit.language_name = native_name(hit.language)
    return render(
        request,
        "glossary/search.html",
        {
            "query": result.query,
            "result": result,
            "shortened": len(raw) > engine.MAX_QUERY_CHARS,
            "max_chars": engine.MAX_QUERY_CHARS,
            "language_name": language_name(language),  # "en français", not "en Français"
            "page_languages": page_languages(request, same_page_in(request)),
        },
    )
