"""Extra sections of a term page, contributed by other apps.

The glossary knows nothing of the apps built on it (data flows one way), yet a term page
lists their content, e.g. the knowledge-base articles about the term. An app registers a
provider in its AppConfig.ready(); term_detail calls every provider and renders the sections
they return. A provider should cost at most one query.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import HttpRequest

from glossary.models import Term


@dataclass(frozen=True)
class SectionLink:
    title: str
    url: str
    summary: str = ""
    language: str = ""  # set when the link's text is not in the page's language


@dataclass(frozen=True)
class Section:
    """A titled list of links shown in the term page's aside, or right after the definition
    when `prominent` (a tool the reader of this term most likely wants)."""

    key: str  # stable identifier, used for the element ids
    title: str
    links: list[SectionLink] = field(default_factory=list)
    prominent: bool = False


SectionProvider = Callable[[HttpRequest, Term, str], Section | None]

_providers: dict[str, SectionProvider] = {}


def register(key: str, provider: SectionProvider) -> None:
    """Register `provider(request, term, language)` under `key` (registering twice replaces)."""
    _providers[key] = provider


def sections_for(request: HttpRequest, term: Term, language: str) -> list[Section]:
    """The non-empty sections every registered provider gives for `term` in `language`."""
    sections = []
    for provider in _providers.values():
        section = provider(request, term, language)
        if section is not None and section.links:
            sections.append(section)
    return sections
