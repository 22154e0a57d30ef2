"""What a deprecated term's address answers: 301 to its replacement, else 410 Gone.

Published terms are never deleted (see glossary.admin.TermAdmin): they are deprecated, which
takes them out of every public list (Term.objects.published() excludes them), and their old
URLs keep answering so that links and bookmarks lead somewhere.
"""

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render

from glossary.models import Term
from kb.core.seo import page_languages


def deprecated_term_response(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    """The answer for `slug` when no published term has it.

    A deprecated term with a published replacement: 301 to the replacement's page in
    `language`. Without one: 410 and a page saying the term was withdrawn, in the visitor's
    language. No deprecated term with that slug either: Http404.
    """
    term = Term.objects.deprecated().select_related("replaced_by").by_slug(slug, language)
    if term is None:
        raise Http404
    replacement = term.replacement()
    if replacement is not None:
        return HttpResponsePermanentRedirect(replacement.get_absolute_url(language))
    text_language = term.display_language(language)
    return render(
        request,
        "glossary/term_gone.html",
        {
            "term": term,
            "name": term.text("name", text_language),
            "text_language": text_language,
            "is_fallback": text_language != language,
            "page_languages": page_languages(request, term.get_absolute_url, term.languages()),
        },
        status=410,
    )
