"""Knowledge-base pages: the home (/<lang>/kb/, sections with their articles), each section
and each article."""

from collections import Counter

from django.conf import settings
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_safe

from glossary.autolink import autolink
from glossary.models import Term
from kb.articles.models import Article, Section
from kb.core.collation import sort_key
from kb.core.languages import language_name, native_name, reading_order
from kb.core.markdown import render_markdown
from kb.core.publishing import deleted_published
from kb.core.seo import page_languages, same_page_in
from kb.core.translated import first_filled


def article_entries(articles, language: str) -> list[dict]:
    """What a list shows of each article to a reader of `language`: title, summary and URL,
    in the reader's language or its fallback (`text_language`, `is_fallback`). No query."""
    return [
        {
            "article": article,
            "title": article.text("title", text_language),
            "summary": article.text("summary", text_language),
            "text_language": text_language,
            "is_fallback": text_language != language,
            "language_name": language_name(text_language),
            "url": article.get_absolute_url(language),
        }
        for article in articles
        for text_language in [article.display_language(language)]
    ]


def latest_articles(language: str, limit: int) -> list[dict]:
    """The `limit` most recently published articles, newest first, as `article_entries`.

    One query. Ordered by first publication, so correcting an old article does not bring it
    back to the top; created_at breaks ties (and orders rows from before first_published_at).
    """
    articles = Article.objects.published().order_by(
        F("first_published_at").desc(nulls_last=True), "-created_at", "key"
    )[:limit]
    return article_entries(articles, language)


def by_title(articles, language: str) -> list[Article]:
    """`articles` in the alphabetical order of the titles a reader of `language` sees."""
    return sorted(
        articles,
        key=lambda article: sort_key(article.text("title", article.display_language(language))),
    )


def section_entries(sections, articles, language: str) -> list[dict]:
    """`sections` with their articles among `articles` (in that order) as `article_entries`;
    sections without any are left out. No query."""
    by_section: dict[int | None, list[Article]] = {}
    for article in articles:
        by_section.setdefault(article.section_id, []).append(article)
    return [
        {
            "section": section,
            "name": first_filled(section, "name", language),
            "description": first_filled(section, "description", language),
            "url": section.get_absolute_url(language),
            "entries": article_entries(by_section[section.pk], language),
        }
        for section in sections
        if section.pk in by_section
    ]


def home_entries(language: str, limit: int) -> tuple[list[dict], list[dict]]:
    """The site home's knowledge-base block: the `limit` latest articles (as `latest_articles`)
    and the sections that have published articles, by position, each with its name, URL and
    number of articles. One query: the published articles with their sections (bodies
    included: whether a language has its text depends on them).
    """
    articles = list(
        Article.objects.published()
        .select_related("section")
        .order_by(F("first_published_at").desc(nulls_last=True), "-created_at", "key")
    )
    counts = Counter(article.section for article in articles if article.section is not None)
    sections = [
        {
            "section": section,
            "name": first_filled(section, "name", language),
            "url": section.get_absolute_url(language),
            "article_count": count,
        }
        for section, count in sorted(
            counts.items(), key=lambda item: (item[0].position, item[0].key)
        )
    ]
    return article_entries(articles[:limit], language), sections


@require_safe
def article_list(request: HttpRequest) -> HttpResponse:
    """The knowledge base's home: its sections by position, each with its articles by title,
    then the articles not filed in a section yet. Two queries: sections, published articles."""
    language = translation.get_language()
    articles = by_title(Article.objects.published(), language)
    return render(
        request,
        "articles/article_list.html",
        {
            "sections": section_entries(Section.objects.all(), articles, language),
            "unfiled": article_entries(
                [article for article in articles if article.section_id is None], language
            ),
            "page_languages": page_languages(request, same_page_in(request)),
        },
    )


@require_safe
def section_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A section's page: its description and published articles (two queries)."""
    language = translation.get_language()
    section = Section.objects.by_slug(slug, language)
    if section is None:
        raise Http404
    canonical_path = section.get_absolute_url(language)
    if request.path != canonical_path:
        # Another language's slug (a hand-edited URL, an old link): send to this language's.
        return redirect(canonical_path, permanent=True)
    text_language = section.display_language(language)
    return render(
        request,
        "articles/section_detail.html",
        {
            "section": section,
            "name": section.text("name", text_language),
            "description": first_filled(section, "description", text_language),
            "text_language": text_language,
            "is_fallback": text_language != language,
            "entries": article_entries(by_title(section.articles.published(), language), language),
            "page_languages": page_languages(request, section.get_absolute_url),
        },
    )


@require_safe
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    language = translation.get_language()
    article = Article.objects.published().select_related("section").by_slug(slug, language)
    if article is None:
        return deleted_article_response(request, slug, language)
    canonical_path = article.get_absolute_url(language)
    if request.path != canonical_path:
        # Another language's slug (a hand-edited URL, an old link): send to this language's.
        return redirect(canonical_path, permanent=True)

    text_language = article.display_language(language)
    related_terms = sorted(
        article.related_terms.published(),
        key=lambda term: sort_key(first_filled(term, "name", language)),
    )
    body_html = autolink(
        render_markdown(article.text("body", text_language)),
        text_language,
        url_language=language,
        id_prefix="article-tip",
    )
    return render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "section": article.section,
            "section_name": article.section and first_filled(article.section, "name", language),
            "title": article.text("title", text_language),
            "summary": article.text("summary", text_language),
            "body_html": body_html,
            "text_language": text_language,
            "text_language_name": language_name(text_language),
            "is_fallback": text_language != language,
            "related_terms": related_terms,
            "other_languages": [
                {"code": code, "language": native_name(code), "url": article.get_absolute_url(code)}
                for code in article.languages()
                if code != language
            ],
            "page_languages": page_languages(
                request, article.get_absolute_url, article.languages(), text_language=text_language
            ),
            "structured_data": article_structured_data(
                request, article, text_language, related_terms
            ),
        },
    )


def deleted_article_response(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    """410 Gone for the address of a published article since deleted (known from its history,
    in any language's slug), with a page in the visitor's language; else Http404."""
    article = deleted_published(Article, slug, reading_order(language))
    if article is None:
        raise Http404
    text_language = article.display_language(language)
    return render(
        request,
        "articles/article_gone.html",
        {
            "title": article.text("title", text_language),
            "text_language": text_language,
            "page_languages": page_languages(
                request, article.get_absolute_url, article.languages()
            ),
        },
        status=410,
    )


def article_structured_data(
    request: HttpRequest, article: Article, text_language: str, related_terms: list[Term]
) -> dict:
    """schema.org Article JSON-LD for an article page shown in `text_language`."""
    url = request.build_absolute_uri(article.get_absolute_url())
    site = {"@type": "Organization", "name": str(settings.SITE_NAME)}
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "@id": url,
        "url": url,
        "mainEntityOfPage": url,
        "headline": article.text("title", text_language),
        "inLanguage": text_language,
        # First publication, not creation: a draft can wait weeks (created_at for the few
        # articles published before first_published_at existed and not yet migrated).
        "datePublished": (article.first_published_at or article.created_at).isoformat(),
        "dateModified": article.updated_at.isoformat(),
        "author": site,
        "publisher": site,
    }
    description = article.text("summary", text_language)
    if description:
        data["description"] = description
    if related_terms:
        data["about"] = [
            {
                "@type": "DefinedTerm",
                "name": first_filled(term, "name", text_language),
                "url": request.build_absolute_uri(term.get_absolute_url()),
            }
            for term in related_terms
        ]
    return data
