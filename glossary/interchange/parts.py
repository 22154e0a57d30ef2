"""Other apps' content in the glossary's backup (`glossary_export --format json`).

The glossary knows nothing of the apps built on it (data flows one way), yet a backup must
carry their content too, e.g. the knowledge-base articles. An app registers a `BackupPart` in
its AppConfig.ready(), as it registers a term page section (glossary/sections.py): the part
writes its entries under its own key of the backup document and reads them back. Its entries
are written after the glossary's, in the import's one transaction, so they may link terms.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from django.db import models

    from glossary.interchange import Change


@dataclass
class PartContext:
    """What a part may rely on when it checks its entries."""

    term_keys: set[str]  # the terms that exist once the import is written
    replace: bool  # --replace: entries missing from the file are deleted


@dataclass
class PartPlan:
    """A part's checked entries: the changes the dry run lists, and what `apply` writes."""

    changes: list[Change] = field(default_factory=list)
    state: Any = None


class BackupPart(Protocol):
    name: str  # the document's key, e.g. "articles"
    kind: str  # one entry, in the import's diff, e.g. "article"
    label: str  # its entries, in the import's summary (translated), e.g. "articles"

    def fields(self) -> dict[type[models.Model], tuple[set[str], set[str]]]:
        """{model: (fields written to the backup, fields deliberately left out)}."""

    def dump(self, published_only: bool) -> list[dict]:
        """The entries, JSON-ready, in a stable order (the same content, the same bytes)."""

    def plan(self, entries: object, context: PartContext, errors: list[str]) -> PartPlan:
        """Check the entries read from a file; append one message per problem to `errors`."""

    def apply(self, plan: PartPlan) -> None:
        """Write a checked plan (inside the import's transaction, after the glossary)."""


_parts: dict[str, BackupPart] = {}


def register(part: BackupPart) -> None:
    """Add `part` to every backup (registering the same name twice replaces)."""
    _parts[part.name] = part


def registered() -> list[BackupPart]:
    return list(_parts.values())


def get(name: str) -> BackupPart | None:
    return _parts.get(name)
