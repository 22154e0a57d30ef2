"""CSV: one row per category or term (column `record`), one column per field and language.

Labels are one per line inside their language's cell, written `text | status | type`
(labels.py; the old synonyms_<lang> and hidden_labels_<lang> columns are still read); sources
are a JSON list in their cell; relations are written
`type:key` separated by semicolons. A file may leave out columns: they are left unchanged.

Cells are safe to open in a spreadsheet (OWASP's CSV-injection rule): a value starting with
= + - @, a tab or a carriage return is written with a ' in front, which spreadsheets take as
"this is text" and never evaluate; the import removes it again (`defuse` and `restore`).
"""

import csv
import io

from django.utils.translation import gettext as _

from glossary.interchange import ImportFileError, Record, category_columns, term_columns

FIXED = ["record", "key"]

# What makes a spreadsheet evaluate a cell (OWASP, "CSV Injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def defuse(value: str) -> str:
    """`value` as a cell no spreadsheet evaluates: a ' before a formula trigger.

    A value that already starts with ' gets one more, so `restore` can always remove exactly
    one: restore(defuse(s)) == s for every string s.
    """
    if value.startswith((*FORMULA_TRIGGERS, QUOTE)):
        return QUOTE + value
    return value


def restore(cell: str) -> str:
    """The value `defuse` wrote into `cell` (its leading ', if any, removed)."""
    return cell.removeprefix(QUOTE)


def columns() -> list[str]:
    extra = [c for c in category_columns() if c not in term_columns()]
    return [*FIXED, *term_columns(), *extra, "relations"]


def dump(categories: list[Record], terms: list[Record]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns(), lineterminator="\r\n")
    writer.writeheader()
    names = set(columns())
    for record in categories:
        writer.writerow(_row({"record": "category", "key": record.key, **record.values}, names))
    for record in terms:
        values = {
            **record.values,
            "is_trademark": "true" if record.values["is_trademark"] else "false",
        }
        relations = "; ".join(f"{kind}:{target}" for kind, target in record.relations or [])
        row = {"record": "term", "key": record.key, **values, "relations": relations}
        writer.writerow(_row(row, names))
    return out.getvalue()


def _row(values: dict, names: set[str]) -> dict:
    """The CSV columns of a record, every cell defused."""
    return {name: defuse(str(value)) for name, value in values.items() if name in names}


def load(text: str) -> tuple[list[Record], list[Record]]:
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    header = reader.fieldnames or []
    known = set(columns())
    errors = []
    unknown = [name for name in header if name not in known]
    if unknown or not set(FIXED) <= set(header):
        errors.append(
            _("line 1: unknown columns %(unknown)s; the columns are: %(columns)s")
            % {"unknown": ", ".join(unknown) or "-", "columns": ", ".join(columns())}
        )
        raise ImportFileError(errors)
    categories, terms = [], []
    category_fields = set(category_columns())
    term_fields = set(term_columns())
    line = reader.line_num
    try:
        for row in reader:
            where = _("line %(number)d") % {"number": line + 1}
            line = reader.line_num
            if None in row or any(value is None for value in row.values()):
                errors.append(f"{where}: " + _("wrong number of cells"))
                continue
            row = {name: restore(value) for name, value in row.items()}
            kind, key = row["record"].strip(), row["key"].strip()
            if kind == "category":
                values = {c: v for c, v in row.items() if c in category_fields}
                categories.append(Record(key, values, where=where))
            elif kind == "term":
                values = {c: v for c, v in row.items() if c in term_fields}
                relations = None
                if "relations" in row:
                    relations = []
                    for item in filter(None, (p.strip() for p in row["relations"].split(";"))):
                        relation_type, _sep, target = item.partition(":")
                        relations.append((relation_type.strip(), target.strip()))
                terms.append(Record(key, values, relations, where=where))
            else:
                errors.append(
                    f"{where}: "
                    + _("record must be “category” or “term”, not %(value)r") % {"value": kind}
                )
    except csv.Error as error:
        errors.append(_("line %(number)d: %(error)s") % {"number": reader.line_num, "error": error})
    if errors:
        raise ImportFileError(errors)
    return categories, terms
