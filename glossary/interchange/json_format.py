"""JSON: the site's complete content backup, one object per language inside each entry.

{"format": "crm-glossary-backup", "version": 3,
 "categories": [{"key", "position", "fr": {"name", "slug", "description"},
                 "it": {..., "translated_from"}, "en": {..., "translated_from"}}],
 "terms": [{"key", "category", "status", "is_trademark", "replaced_by",
            "created_at", "updated_at", "first_published_at" (or null),
            "fr": {"name", "slug", "acronym", "summary", "definition", "usage_note", "example",
                   "labels": [{"text", "status", "type"}]},
            "it": {..., "translated_from"}, "en": {..., "translated_from"},
            "sources": [{"author", "title", "year", "url", "note", "language"}],
            "relations": [{"type", "to"}]}],
 "articles": [...]}  # and any other registered part (parts.py), under its own key

Every language is written, empty ones as "". `translated_from` is the digest of the French text
that language was translated from (glossary/translation_status.py): restoring it restores the
status, outdated included. A version 3 entry must have every field: a backup is complete or
refused, but for a category's `translated_from` (a status it did not always have). Version 2
(the same with "synonyms" and "hidden_labels" lists instead of "labels", no usage note, example
or sources, and no category status) is read the same way. Version 1 ("format":
"crm-glossary": no statuses, no timestamps, no other parts) is still read; there a missing
field is left as it is and null means empty.
"""

import json
import re

from django.utils.translation import gettext as _

from glossary import translation_status
from glossary.interchange import (
    CATEGORY_TEXT,
    LABEL_FIELDS,
    OPTIONAL_STAMPS,
    STAMP_COLUMNS,
    TERM_TEXT,
    ImportFileError,
    Record,
)
from glossary.interchange import labels as term_labels
from kb.core.languages import language_codes

FORMAT_NAME = "crm-glossary-backup"
VERSION = 3
# Version 2's per-language texts: labels were two lists (shown, search-only).
V2_TERM_TEXT = ("name", "slug", "acronym", "summary", "definition", "synonyms", "hidden_labels")
# The glossary-only export of earlier releases, still read.
OLD_FORMAT_NAME = "crm-glossary"
MARKER = "translated_from"
TERM_SCALARS = ("category", "status", "is_trademark", "replaced_by")


def dump(categories: list[Record], terms: list[Record], parts: dict | None = None) -> str:
    """A version 3 document; `parts` maps a registered part's name to its entries."""
    data: dict = {"format": FORMAT_NAME, "version": VERSION, "categories": [], "terms": []}
    for record in categories:
        entry = {"key": record.key, "position": record.values["position"]}
        for code in language_codes():
            entry[code] = {f: _clean(f, record.values[f"{f}_{code}"]) for f in CATEGORY_TEXT}
            if code != translation_status.source_language():
                entry[code][MARKER] = record.values[translation_status.marker_field(code)]
        data["categories"].append(entry)
    for record in terms:
        values = record.values
        entry = {"key": record.key, **{name: values[name] for name in TERM_SCALARS}}
        entry.update({name: values[name] or None for name in STAMP_COLUMNS})
        for code in language_codes():
            entry[code] = {f: _clean(f, values[f"{f}_{code}"]) for f in TERM_TEXT}
            if code != translation_status.source_language():
                entry[code][MARKER] = values[translation_status.marker_field(code)]
        entry["sources"] = term_labels.parse_sources(values["sources"])[0]
        entry["relations"] = [{"type": kind, "to": target} for kind, target in record.relations]
        data["terms"].append(entry)
    data.update(parts or {})
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _clean(name: str, value: str | None) -> str | list[dict]:
    """A text as the import stores it, so that exporting what was imported changes nothing."""
    if name in LABEL_FIELDS:
        rows, _problems = term_labels.parse_labels(value or "")
        return [{"text": text, "status": status, "type": kind} for text, status, kind in rows]
    return (value or "").strip()


def load(text: str) -> tuple[list[Record], list[Record]]:
    categories, terms, _parts, _version = load_document(text)
    return categories, terms


def load_document(text: str) -> tuple[list[Record], list[Record], dict, int]:
    """(categories, terms, {part name: entries}, version). Raises ImportFileError."""
    try:
        data = json.loads(text.removeprefix("\ufeff"))
    except json.JSONDecodeError as error:
        raise ImportFileError(
            [
                _("line %(line)d: not valid JSON (%(error)s)")
                % {"line": error.lineno, "error": error.msg}
            ]
        ) from error
    if not isinstance(data, dict):
        raise ImportFileError([_("line 1: expected an object with “categories” and “terms” lists")])
    version = data.get("version", 1)
    name = data.get("format", OLD_FORMAT_NAME)
    known = {(OLD_FORMAT_NAME, 1), (FORMAT_NAME, 2), (FORMAT_NAME, VERSION)}
    if not (isinstance(name, str) and type(version) is int and (name, version) in known):
        raise ImportFileError(
            [
                _("format %(name)r version %(version)r is not one this site reads (%(known)s)")
                % {
                    "name": name,
                    "version": version,
                    "known": f"{FORMAT_NAME} {VERSION} and 2, {OLD_FORMAT_NAME} 1",
                }
            ]
        )
    errors: list[str] = []
    strict = version >= 2
    for section in ("categories", "terms") if strict else ():
        if section not in data:
            errors.append(_("“%(section)s” is missing") % {"section": section})
    reader = _Reader(text, strict, errors, version)
    categories = reader.records(data.get("categories", []), "categories")
    terms = reader.records(data.get("terms", []), "terms")
    parts = {}
    if strict:
        parts = {k: v for k, v in data.items() if k not in {"format", "version", *_SECTIONS}}
    if errors:
        raise ImportFileError(errors)
    return categories, terms, parts, version


_SECTIONS = ("categories", "terms")


class _Reader:
    """Turns a document's entries into records, each problem reported with its line."""

    def __init__(self, text: str, strict: bool, errors: list[str], version: int = VERSION) -> None:
        self.text, self.strict, self.errors, self.version = text, strict, errors, version
        self.term_text = TERM_TEXT if version == VERSION else V2_TERM_TEXT

    def error(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}")

    def records(self, entries: object, section: str) -> list[Record]:
        records: list[Record] = []
        offset = max(self.text.find(f'"{section}"'), 0)
        if not isinstance(entries, list):
            self.errors.append(_("“%(section)s” must be a list") % {"section": section})
            return records
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict):
                self.errors.append(
                    _("%(section)s[%(index)d]: expected an object")
                    % {"section": section, "index": index}
                )
                continue
            key = entry.get("key", "")
            key = key if isinstance(key, str) else json.dumps(key)
            pattern = r'"key"\s*:\s*' + re.escape(json.dumps(key, ensure_ascii=False))
            match = re.compile(pattern).search(self.text, offset)
            if match:
                offset = match.end()
                where = _("line %(number)d") % {
                    "number": self.text.count("\n", 0, match.start()) + 1
                }
            else:
                where = f"{section}[{index}]"
            records.append(self.record(entry, key, section, where))
        return records

    def record(self, entry: dict, key: str, section: str, where: str) -> Record:
        is_term = section == "terms"
        scalars = (*TERM_SCALARS, *STAMP_COLUMNS) if is_term else ("position",)
        languages = language_codes()
        if self.strict:
            lists = ["relations", *(["sources"] if self.version == VERSION else [])]
            allowed = {"key", *scalars, *languages, *(lists if is_term else [])}
            self.check_fields(entry, allowed, where)
        values: dict = {}
        for name in scalars:
            if name not in entry or (name in STAMP_COLUMNS and not self.strict):
                continue
            value = entry[name]
            if name in OPTIONAL_STAMPS and value is None:
                value = ""
            expected = _SCALAR_TYPES.get(name, str)
            if self.strict and (
                not isinstance(value, expected) or (expected is int and isinstance(value, bool))
            ):
                self.error(where, _("“%(field)s” has the wrong type") % {"field": name})
                continue
            values[name] = "" if value is None else value
        for code in languages:
            if code in entry:  # a missing language: reported above, or left as it is (version 1)
                self.language(entry[code], code, is_term, values, where)
        if is_term and "sources" in entry:
            if isinstance(entry["sources"], list):
                values["sources"] = json.dumps(entry["sources"], ensure_ascii=False)
            else:
                self.error(where, _("“sources” must be a list"))
        relations = None
        if is_term and "relations" in entry:
            relations = []
            items = entry["relations"]
            for relation in items if isinstance(items, list) else [None]:
                if not (
                    isinstance(relation, dict)
                    and all(isinstance(relation.get(f), str) for f in ("type", "to"))
                ):
                    self.error(where, _("each relation must be an object with “type” and “to”"))
                    continue
                relations.append((relation["type"], relation["to"]))
        return Record(key, values, relations, where=where)

    def language(self, texts: object, code: str, is_term: bool, values: dict, where: str) -> None:
        if texts is None and not self.strict:
            return
        if not isinstance(texts, dict):
            self.error(where, _("“%(code)s” must be an object") % {"code": code})
            return
        names = self.term_text if is_term else CATEGORY_TEXT
        marker = self.strict and code != translation_status.source_language()
        if self.strict:
            # A term's languages carry their marker; a category's may (since version 3).
            required = {*names, *([MARKER] if marker and is_term else [])}
            optional = {MARKER} if marker and self.version == VERSION else set()
            self.check_fields(texts, required, f"{where}: {code}", optional)
        for name in names:
            if name not in texts:
                continue
            value = texts[name]
            if name in LABEL_FIELDS and isinstance(value, list):
                value = self.labels(value, f"{where}: {code}")
            elif (
                name in term_labels.OLD_COLUMNS
                and isinstance(value, list)
                and (all(isinstance(label, str) for label in value) or not self.strict)
            ):
                value = "\n".join(str(label) for label in value)
            if value is None and not self.strict:
                value = ""
            if not isinstance(value, str):
                self.error(where, _("%(field)s must be text") % {"field": f"{name}_{code}"})
                continue
            values[f"{name}_{code}"] = value
        if marker and isinstance(texts.get(MARKER), str):
            values[translation_status.marker_field(code)] = texts[MARKER]
        elif marker and MARKER in texts:
            self.error(where, _("%(field)s must be text") % {"field": f"{MARKER}_{code}"})

    def labels(self, items: list, where: str) -> str:
        """A "labels" list as the record's lines (checked with the rest of the record)."""
        rows = []
        for item in items:
            if not (
                isinstance(item, dict)
                and set(item) <= {"text", "status", "type"}
                and all(isinstance(value, str) for value in item.values())
                and "|" not in item.get("text", "")
            ):
                self.error(where, _("each label must be an object with “text”, “status”, “type”"))
                continue
            rows.append((item.get("text", ""), item.get("status", ""), item.get("type", "")))
        return "\n".join(" | ".join(row) for row in rows)

    def check_fields(
        self, entry: dict, allowed: set[str], where: str, optional: set[str] = frozenset()
    ) -> None:
        for name in sorted(allowed - set(entry)):
            self.error(where, _("“%(field)s” is missing") % {"field": name})
        for name in sorted(set(entry) - allowed - optional):
            self.error(where, _("unknown field “%(field)s”") % {"field": name})


# Version 2 types of the fields that are not text (bool is an int in Python: checked apart).
_SCALAR_TYPES = {"position": int, "is_trademark": bool}
