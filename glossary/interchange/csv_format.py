"""CSV: one row per category or term (column `record`), one column per field and language.

Labels (synonyms, hidden labels) are one per line inside their cell; relations are written
`type:key` separated by semicolons. A file may leave out columns: they are left unchanged.
"""

import csv
import io

from django.utils.translation import gettext as _

from glossary.interchange import ImportFileError, Record, category_columns, term_columns

FIXED = ["record", "key"]


def columns() -> list[str]:
    extra = [c for c in category_columns() if c not in term_columns()]
    return [*FIXED, *term_columns(), *extra, "relations"]


def dump(categories: list[Record], terms: list[Record]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns(), lineterminator="\r\n")
    writer.writeheader()
    for record in categories:
        writer.writerow({"record": "category", "key": record.key, **record.values})
    for record in terms:
        values = {
            **record.values,
            "is_trademark": "true" if record.values["is_trademark"] else "false",
        }
        relations = "; ".join(f"{kind}:{target}" for kind, target in record.relations or [])
        writer.writerow({"record": "term", "key": record.key, **values, "relations": relations})
    return out.getvalue()


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
