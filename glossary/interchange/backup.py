"""The content backup: the glossary's records plus every registered part (parts.py).

`export_document` reads the database, `write` and `read` turn a document into a format's text
and back, `import_document` checks and writes it (all or nothing). Only the JSON format carries
a complete backup; the others carry the glossary's interchange columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models

from glossary.interchange import (
    STAMP_COLUMNS,
    Plan,
    Record,
    category_columns,
    export_records,
    get_format,
    json_format,
    marker_columns,
    parts,
    term_columns,
)
from glossary.interchange.writing import import_records
from glossary.models import Category, Term, TermLabel, TermRelation, TermSource


@dataclass
class Document:
    categories: list[Record]
    terms: list[Record]
    parts: dict[str, object] = field(default_factory=dict)  # part name -> its entries
    complete: bool = False  # a version 2 backup: every field of every entry


def export_document(published_only: bool = False) -> Document:
    """Everything a backup holds (with `published_only`, what visitors may see)."""
    categories, terms = export_records(published_only=published_only)
    entries = {part.name: part.dump(published_only) for part in parts.registered()}
    return Document(categories, terms, entries, complete=True)


def write(format: str, document: Document) -> str:
    if format == "json":
        return json_format.dump(document.categories, document.terms, document.parts)
    return get_format(format).dump(document.categories, document.terms)


def read(format: str, text: str) -> Document:
    """The document in `text`. Raises ImportFileError listing every problem."""
    if format == "json":
        categories, terms, entries, version = json_format.load_document(text)
        return Document(categories, terms, entries, complete=version == json_format.VERSION)
    return Document(*get_format(format).load(text))


def import_document(document: Document, dry_run: bool = False, replace: bool = False) -> Plan:
    """Check `document` against the database and, unless `dry_run`, write it in one
    transaction. With `replace`, entries the file leaves out are deleted (complete backups
    only: the caller checks `document.complete`). Raises ImportFileError before writing."""
    return import_records(
        document.categories, document.terms, dry_run, parts=document.parts, replace=replace
    )


# Columns the backup does not carry, and why. A new model field must be added to the backup
# (export_records, json_format) or here: tests/test_backup.py fails otherwise.
EXCLUDED = {
    "id": "database row numbers: entries are matched on their key",
    "version": "the lost-update guard counts saves in one database; a restore is a new save",
    "source_digest": "recomputed from the French text on every save",
    "name": "modeltranslation's mirror of the current language's column (name_fr...)",
    "slug": "mirror (see name)",
    "description": "mirror (see name)",
    "acronym": "mirror (see name)",
    "summary": "mirror (see name)",
    "definition": "mirror (see name)",
    "usage_note": "mirror (see name)",
    "example": "mirror (see name)",
}


def glossary_fields() -> dict[type[models.Model], tuple[set[str], set[str]]]:
    """{model: (fields the backup carries, fields it leaves out on purpose)}."""
    excluded = set(EXCLUDED)
    term = {"key", *term_columns(), *marker_columns(), *STAMP_COLUMNS}
    return {
        Category: ({"key", *category_columns(), *marker_columns()}, excluded),
        Term: (term, excluded),
        TermRelation: ({"source", "target", "type"}, {"id"}),  # the terms' "relations" lists
        # The terms' labels_<lang> and sources (interchange/labels.py); their order is the
        # position.
        TermLabel: ({"term", "language", "text", "status", "type", "position"}, {"id"}),
        TermSource: (
            {"term", "language", "author", "title", "year", "url", "note", "position"},
            {"id"},
        ),
    }


def backup_fields() -> dict[type[models.Model], tuple[set[str], set[str]]]:
    """The glossary's fields and every registered part's."""
    result = glossary_fields()
    for part in parts.registered():
        result.update(part.fields())
    return result
