"""The pages readers give feedback on, for the feedback app, which knows neither terms nor
articles (it depends on kb.core only): the site registers how to find each kind
(KbConfig.ready()). Each lookup is one query, whatever the number of ids."""

from collections.abc import Iterable

from glossary.models import Term
from kb.articles.models import Article
from kb.feedback.pages import Page


def term_pages(ids: Iterable[int], language: str) -> dict[int, Page]:
    """Published terms among `ids`, named in `language` or the language a reader sees."""
    return {
        term.pk: Page(
            title=term.text("name", term.display_language(language)),
            url=term.get_absolute_url(language),
        )
        for term in Term.objects.published().filter(pk__in=list(ids))
    }


def article_pages(ids: Iterable[int], language: str) -> dict[int, Page]:
    """Published articles among `ids`, titled in `language` or the language a reader sees."""
    return {
        article.pk: Page(
            title=article.text("title", article.display_language(language)),
            url=article.get_absolute_url(language),
        )
        for article in Article.objects.published().filter(pk__in=list(ids))
    }
