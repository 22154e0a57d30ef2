"""The term page's "Related content" section: the published articles about the term."""

from django.http import HttpRequest
from django.utils.translation import gettext as _

from glossary.models import Term
from glossary.sections import Section, SectionLink
from kb.core.collation import sort_key


def related_articles_section(request: HttpRequest, term: Term, language: str) -> Section | None:
    """The term page's "Related content": published articles about the term (one query)."""
    links = []
    for article in term.articles.published():
        text_language = article.display_language(language)
        links.append(
            SectionLink(
                title=article.text("title", text_language),
                url=article.get_absolute_url(language),
                summary=article.text("summary", text_language),
                language=text_language if text_language != language else "",
            )
        )
    links.sort(key=lambda link: sort_key(link.title))
    return Section(key="related-content", title=_("Related content"), links=links)
