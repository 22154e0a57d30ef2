"""What a piece of feedback points at: a page kind and an object id, resolved by its app.

The feedback app knows nothing of terms or articles (it depends on kb.core only); the site
package registers, for each kind, a function that finds the published objects among some ids
(kb/feedback_pages.py, wired in KbConfig.ready()).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    """A published page readers can give feedback on, in one language."""

    title: str
    url: str


# ids, language -> {id: Page} for the ids that are published pages (one query).
PageLookup = Callable[[Iterable[int], str], dict[int, Page]]

_lookups: dict[str, PageLookup] = {}


def register(kind: str, lookup: PageLookup) -> None:
    """Register how to find published pages of `kind` (registering twice replaces)."""
    _lookups[kind] = lookup


def find(kind: str, ids: Iterable[int], language: str) -> dict[int, Page]:
    """The published pages of `kind` among `ids`, titled in `language` (or its fallback);
    ids of drafts, deleted objects and unknown kinds are missing from the result."""
    lookup = _lookups.get(kind)
    ids = list(ids)
    if lookup is None or not ids:
        return {}
    return lookup(ids, language)


def page(kind: str, object_id: int, language: str) -> Page | None:
    """One published page, or None."""
    return find(kind, [object_id], language).get(object_id)
