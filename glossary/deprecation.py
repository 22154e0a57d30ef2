"""What the address of a term that left the glossary, or changed its slug, answers: 301 to its
replacement or its new address, else 410.

Published terms are never deleted (kb/core/publishing.py): they are deprecated, which takes them
out of every public list (Term.objects.published() excludes them), and their old URLs keep
answering so that links and bookmarks lead somewhere. A published term deleted all the same
(before that rule, or by a deliberate purge) is recognised from its history: its slugs, in any
language, answer 410 Gone as a deprecated term's do. A published term whose slug was changed
(a headword corrected) keeps its old addresses too: they lead to its page (301).
"""

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render

from glossary.models import Term, TermRelation
from kb.core.collation import sort_key
from kb.core.languages import language_codes, reading_order
from kb.core.publishing import deleted_published
from kb.core.seo import page_languages
from kb.core.translated import is_slug


def deprecated_term_response(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    """The answer for `slug` when no published term has it.

    A deprecated term with a published replacement: 301 to the replacement's page in
    `language`. Without one, or for a published term since deleted: 410 and a page saying the
    term was withdrawn, in the visitor's language, with the published terms it was linked to.
    Neither: Http404.
    """
    term = Term.objects.deprecated().select_related("replaced_by").by_slug(slug, language)
    if term is not None:
        replacement = term.replacement()
        if replacement is not None:
            return HttpResponsePermanentRedirect(replacement.get_absolute_url(language))
        related = Term.objects.published().filter(incoming_relations__source=term)
        return gone_response(request, term, language, related)
    renamed = renamed_term(slug)
    if renamed is not None:
        return HttpResponsePermanentRedirect(renamed.get_absolute_url(language))
    term = deleted_published_term(slug, language)
    if term is None:
        raise Http404
    linked = TermRelation.history.filter(source_id=term.pk).values("target_id")
    return gone_response(request, term, language, Term.objects.published().filter(pk__in=linked))


def renamed_term(slug: str) -> Term | None:
    """The published term that had `slug` in some language before an editor changed it (its
    history remembers); None if there is none. One query."""
    if not is_slug(slug):
        return None
    earlier = Q()
    for code in language_codes():
        earlier |= Q(**{f"slug_{code}": slug})
    return Term.objects.published().filter(pk__in=Term.history.filter(earlier).values("id")).first()


def deleted_published_term(slug: str, language: str) -> Term | None:
    """The term, rebuilt from its history, that was published with `slug` (in `language`, else
    in another language) and no longer exists; None if there is none. One query."""
    return deleted_published(Term, slug, reading_order(language))


def gone_response(request: HttpRequest, term: Term, language: str, related) -> HttpResponse:
    text_language = term.display_language(language)
    related_terms = sorted(
        (
            {
                "name": other.text("name", other.display_language(language)),
                "url": other.get_absolute_url(language),
            }
            for other in related[:10]
        ),
        key=lambda entry: sort_key(entry["name"]),
    )
    return render(
        request,
        "glossary/term_gone.html",
        {
            "term": term,
            "name": term.text("name", text_language),
            "text_language": text_language,
            "is_fallback": text_language != language,
            "related_terms": related_terms,
            "page_languages": page_languages(request, term.get_absolute_url, term.languages()),
        },
        status=410,
    )
