"""Language alternates of a page: hreflang links, canonical URL and the language switcher.

Every page passes through `page_languages`, so hreflang, canonical and the switcher always
agree: hreflang lists only the languages that really have the page's text, and the switcher
leads to the same content in the other language (translated slugs included).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import translate_url
from django.utils import translation

from kb.core.languages import language_codes, native_name


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str
    is_current: bool
    has_text: bool


@dataclass(frozen=True)
class PageLanguages:
    canonical: str
    x_default: str
    alternates: list[LanguageLink]  # languages with text, for <link rel="alternate" hreflang>
    switcher: list[LanguageLink]  # every language, for the visible switcher


def page_languages(
    request: HttpRequest,
    url_for: Callable[[str], str],
    available: Iterable[str] | None = None,
    text_language: str | None = None,
) -> PageLanguages:
    """Build the language links of the current page.

    `url_for(code)` returns the path of this page in language `code`; `available` lists the
    languages with their own text (default: all); `text_language` is the language whose text
    the current page shows (it differs from the active language when the page falls back).
    """
    current = translation.get_language()
    codes = language_codes()
    available = [code for code in codes if available is None or code in set(available)]
    paths = {code: url_for(code) for code in codes}
    absolute = {code: request.build_absolute_uri(path) for code, path in paths.items()}
    links = [
        LanguageLink(code, native_name(code), paths[code], code == current, code in available)
        for code in codes
    ]
    shown = text_language or current
    default = default_language(available) or current
    return PageLanguages(
        canonical=absolute.get(shown, absolute[current]),
        x_default=absolute[default],
        alternates=[
            LanguageLink(link.code, link.name, absolute[link.code], link.is_current, True)
            for link in links
            if link.has_text
        ],
        switcher=links,
    )


def default_language(available: Iterable[str]) -> str | None:
    """The language whose URL is a page's x-default: the first language of the site (French)
    that has the page's text. A real page in a language, never the unprefixed path Django's
    sitemaps derive, which only answers readers of the default language."""
    available = set(available)
    return next((code for code in language_codes() if code in available), None)


def same_page_in(request: HttpRequest) -> Callable[[str], str]:
    """url_for for pages whose URL has no translated slug (home, A-Z, search...)."""

    def url_for(code: str) -> str:
        return translate_url(request.get_full_path(), code)

    return url_for
