"""JSON: the shape of glossary/content/*.json, one object per language inside each entry.

{"format": "crm-glossary", "version": 1,
 "categories": [{"key", "position", "fr": {"name", "slug", "description"}, ...}],
 "terms": [{"key", "category", "status", "is_trademark", "replaced_by",
            "fr": {"name", "slug", "acronym", "summary", "definition",
                   "synonyms": [...], "hidden_labels": [...]}, ...,
            "relations": [{"type", "to"}]}]}
"""

import json
import re

from django.utils.translation import gettext as _

from glossary.interchange import (
    CATEGORY_TEXT,
    LABEL_FIELDS,
    TERM_TEXT,
    ImportFileError,
    Record,
)
from kb.core.languages import language_codes

FORMAT_NAME = "crm-glossary"


def dump(categories: list[Record], terms: list[Record]) -> str:
    data = {"format": FORMAT_NAME, "version": 1, "categories": [], "terms": []}
    for record in categories:
        entry = {"key": record.key, "position": record.values["position"]}
        for code in language_codes():
            entry[code] = {f: record.values[f"{f}_{code}"] for f in CATEGORY_TEXT}
        data["categories"].append(entry)
    for record in terms:
        values = record.values
        entry = {
            "key": record.key,
            "category": values["category"],
            "status": values["status"],
            "is_trademark": values["is_trademark"],
            "replaced_by": values["replaced_by"],
        }
        for code in language_codes():
            entry[code] = {
                f: values[f"{f}_{code}"].splitlines()
                if f in LABEL_FIELDS
                else values[f"{f}_{code}"]
                for f in TERM_TEXT
            }
        entry["relations"] = [{"type": kind, "to": target} for kind, target in record.relations]
        data["terms"].append(entry)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def load(text: str) -> tuple[list[Record], list[Record]]:
    try:
        data = json.loads(text.removeprefix("\ufeff"))
    except json.JSONDecodeError as error:
        raise ImportFileError(
            [
                _("line %(line)d: not valid JSON (%(error)s)")
                % {"line": error.lineno, "error": error.msg}
            ]
        ) from error
    if not isinstance(data, dict) or not isinstance(data.get("terms", []), list):
        raise ImportFileError([_("line 1: expected an object with “categories” and “terms” lists")])
    errors: list[str] = []
    categories = _records(text, data.get("categories", []), "categories", CATEGORY_TEXT, errors)
    terms = _records(text, data.get("terms", []), "terms", TERM_TEXT, errors)
    if errors:
        raise ImportFileError(errors)
    return categories, terms


def _records(text, entries, section, text_fields, errors) -> list[Record]:
    records = []
    offset = max(text.find(f'"{section}"'), 0)
    if not isinstance(entries, list):
        errors.append(_("“%(section)s” must be a list") % {"section": section})
        return records
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            errors.append(
                _("%(section)s[%(index)d]: expected an object")
                % {"section": section, "index": index}
            )
            continue
        key = str(entry.get("key", ""))
        match = re.compile(r'"key"\s*:\s*' + re.escape(json.dumps(key, ensure_ascii=False))).search(
            text, offset
        )
        if match:
            offset = match.end()
            where = _("line %(number)d") % {"number": text.count("\n", 0, match.start()) + 1}
        else:
            where = f"{section}[{index}]"
        values = {}
        for name in (
            ("position",)
            if section == "categories"
            else ("category", "status", "is_trademark", "replaced_by")
        ):
            if name in entry:
                values[name] = "" if entry[name] is None else entry[name]
        for code in language_codes():
            texts = entry.get(code)
            if texts is None:
                continue
            if not isinstance(texts, dict):
                errors.append(f"{where}: " + _("“%(code)s” must be an object") % {"code": code})
                continue
            for name in text_fields:
                if name not in texts:
                    continue
                value = texts[name]
                if name in LABEL_FIELDS and isinstance(value, list):
                    value = "\n".join(str(label) for label in value)
                if not isinstance(value, str):
                    errors.append(
                        f"{where}: " + _("%(field)s must be text") % {"field": f"{name}_{code}"}
                    )
                    continue
                values[f"{name}_{code}"] = value
        relations = None
        if section == "terms" and "relations" in entry:
            relations = []
            for relation in entry["relations"] if isinstance(entry["relations"], list) else [None]:
                if not isinstance(relation, dict):
                    errors.append(
                        f"{where}: " + _("each relation must be an object with “type” and “to”")
                    )
                    continue
                relations.append((str(relation.get("type", "")), str(relation.get("to", ""))))
        records.append(Record(key, values, relations, where=where))
    return records
