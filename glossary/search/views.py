"""The search page: /<lang>/search/?q=...&kind=...&page=... (the searching is in
glossary.search.engine)."""

from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from glossary.search.engine import MAX_QUERY_CHARS, get_engine
from kb.core.languages import language_name, native_name
from kb.core.seo import page_languages, same_page_in

# The kinds a visitor can keep (?kind=): anything else shows every kind.
KINDS = {"term": _("Terms"), "article": _("Articles")}
KIND_NAMES = {"term": _("Term"), "article": _("Article")}


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    language = translation.get_language()
    raw = request.GET.get("q", "")
    kind = request.GET.get("kind")
    kind = kind if kind in KINDS else None
    # A ?page= that is not a page number shows the first page; one beyond the last, the last.
    result = get_engine().search(raw, language, request.GET.get("page"), kind=kind)
    if result.exact is not None:
        # The visitor typed a name, acronym or synonym of one term: show it directly.
        return redirect(result.exact.url)
    for hit in result.hits:
        hit.language_name = native_name(hit.language)
        hit.kind_name = KIND_NAMES.get(hit.kind, "")
    return render(
        request,
        "glossary/search.html",
        {
            "query": result.query,
            "result": result,
            "kind": kind,
            "kinds": list(KINDS.items()),
            "page_obj": result.page,
            "did_you_mean_url": _search_link(result.did_you_mean, kind),
            "shortened": len(raw) > MAX_QUERY_CHARS,
            "max_chars": MAX_QUERY_CHARS,
            "language_name": language_name(language),  # "en français", not "en Français"
            "page_languages": page_languages(request, same_page_in(request)),
        },
    )


def _search_link(query: str | None, kind: str | None) -> str:
    """This page's address for another query, keeping the kind searched ("" without one)."""
    if not query:
        return ""
    return f"?q={quote(query, safe='')}" + (f"&kind={kind}" if kind else "")
