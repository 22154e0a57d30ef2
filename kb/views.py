"""Site-level pages: home, robots.txt."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from glossary.models import Term
from glossary.views import categories_with_counts
from kb.articles.views import home_entries
from kb.core.seo import page_languages, same_page_in

RECENT_TERMS = 8
LATEST_ARTICLES = 4


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    language = translation.get_language()
    latest_articles, kb_sections = home_entries(language, LATEST_ARTICLES)
    recent = Term.objects.published().with_text_in(language).order_by("-updated_at")[:RECENT_TERMS]
    return render(
        request,
        "kb/home.html",
        {
            "categories": categories_with_counts(),
            "recent_terms": recent,
            "term_count": Term.objects.published().count(),
            # The knowledge base's entry on the home page: its sections next to the latest
            # articles (one query for both).
            "latest_articles": latest_articles,
            "kb_sections": kb_sections,
            "page_languages": page_languages(request, same_page_in(request)),
        },
    )


@require_safe
@cache_control(max_age=86400, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
