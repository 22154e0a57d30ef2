"""The calculator's words (NPS, promoters...) linked to where the site explains them.

kb.nps does not know the glossary: the site registers a finder in ``KbConfig.ready()``
(kb/sections.py) that returns the URL of each word's entry. Without one, words stay plain.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

TermUrls = Callable[[], dict[str, str]]
"""Returns {"nps" | "promoters" | "passives" | "detractors": URL}; may leave any out."""

_finder: TermUrls = dict


def use_term_urls(finder: TermUrls) -> None:
    """Make ``finder`` the source of the words' URLs (called once, from an AppConfig)."""
    global _finder
    _finder = finder


def term_urls() -> dict[str, str]:
    """The URL of each word's explanation, from the registered finder."""
    return _finder()


def _link(url: str | None, text: str) -> str:
    return format_html('<a href="{}">{}</a>', url, text) if url else text


def term_links(urls: dict[str, str]) -> dict[str, str]:
    """Labels of the three groups and of the score, linked to their explanations.

    Capitalised for headings ("promoters"...), lower-case for use inside a sentence
    ("promoters_word"...).
    """
    labels = {
        "nps": _("Net Promoter Score"),
        "promoters": _("Promoters"),
        "passives": _("Passives"),
        "detractors": _("Detractors"),
        "promoters_word": pgettext("in a sentence", "promoters"),
        "passives_word": pgettext("in a sentence", "passives"),
        "detractors_word": pgettext("in a sentence", "detractors"),
    }
    return {
        name: _link(urls.get(name.removesuffix("_word")), label) for name, label in labels.items()
    }
