"""Writing a checked import plan (plan_import, in __init__.py): all or nothing, in one
transaction."""

from collections.abc import Iterator

from django.db import transaction

from glossary.interchange import (
    STAMP_COLUMNS,
    Plan,
    Record,
    marker_columns,
    parse_stamp,
    plan_import,
)
from glossary.interchange import labels as term_labels
from glossary.models import Category, Term, TermRelation
from kb.core.languages import language_codes

# Record columns written as rows of their own (labels.py), not as the term's attributes.
EXTRA_COLUMNS = {"sources", *term_labels.label_columns()}


def _changed(records: list[Record], kind: str, plan: Plan, rows: dict) -> Iterator:
    """(record, row) for each record the plan creates or changes; a new row when none exists."""
    actions = {(c.kind, c.key): c.action for c in plan.changes}
    model = {"category": Category, "term": Term}[kind]
    for record in records:
        if actions[(kind, record.key)] != "unchanged":
            yield record, rows.get(record.key) or model(key=record.key)


def _save_imported(row: Category | Term, rows: dict) -> None:
    row._change_reason = "import"  # shown in the history
    row.save()
    rows[row.key] = row


def _delete_left_out(plan: Plan) -> None:
    """A replace: delete the terms and links the file leaves out, and free the slugs of the
    categories it leaves out (deleted once their terms have moved: see apply)."""
    deleted = {(c.kind, c.key) for c in plan.changes if c.action == "delete"}
    for kind, key in sorted(deleted):
        if kind == "relation":
            source, _kind, target = key.split(" ")
            TermRelation.objects.filter(source__key=source, target__key=target).delete()
    gone = [key for kind, key in deleted if kind == "term"]
    for term in Term.objects.filter(key__in=gone):
        term._change_reason = "import --replace"
        term.delete()
    leaving = Category.objects.filter(key__in=[key for kind, key in deleted if kind == "category"])
    leaving.update(**{f"slug_{code}": "" for code in language_codes()})


@transaction.atomic
def apply(plan: Plan) -> None:
    """Write a checked plan, all or nothing. Deletes only with `replace` (see plan_import)."""
    if plan.replace:
        _delete_left_out(plan)
    categories = {c.key: c for c in Category.objects.all()}
    for record, category in _changed(plan.categories, "category", plan, categories):
        for column, value in record.values.items():
            setattr(category, column, value)
        # As a term's (below): a file that says what each translation follows is restored so.
        category._keep_translation_marks = any(c in record.values for c in marker_columns())
        _save_imported(category, categories)

    terms = {t.key: t for t in Term.objects.all()}
    replacements = {}
    stamps = {}
    for record, term in _changed(plan.terms, "term", plan, terms):
        if term.pk is None or plan.replace:
            stamps[record.key] = {c: record.values[c] for c in STAMP_COLUMNS if c in record.values}
        for column, value in record.values.items():
            if column == "category":
                term.category = categories[value]
            elif column == "replaced_by":
                replacements[record.key] = value
            elif column not in STAMP_COLUMNS and column not in EXTRA_COLUMNS:
                setattr(term, column, value)
        # A file that says which French text each translation follows is restored as it is.
        term._keep_translation_marks = any(c in record.values for c in marker_columns())
        _save_imported(term, terms)
        term_labels.write(term, record.values)
    for key, replacement in replacements.items():
        term = terms[key]
        new = terms[replacement] if replacement else None
        if term.replaced_by_id != (new.pk if new else None):
            term.replaced_by = new
            term._change_reason = "import"
            term.save()

    for change in plan.changes:
        if change.kind != "relation" or change.action in ("unchanged", "delete"):
            continue
        source, kind, target = change.key.split(" ")
        relation = TermRelation.objects.filter(
            source=terms[source], target=terms[target]
        ).first() or TermRelation(source=terms[source], target=terms[target])
        relation.type = kind
        relation.save()

    if plan.replace:
        deleted = [c.key for c in plan.changes if c.kind == "category" and c.action == "delete"]
        Category.objects.filter(key__in=deleted).delete()
    for part, part_plan in plan.parts:
        part.apply(part_plan)
    # Last, after every save of the row (auto_now would stamp it with the current time).
    for key, values in stamps.items():
        values = {column: parse_stamp(value) for column, value in values.items() if value}
        if values:
            Term.objects.filter(key=key).update(**values)


def import_records(
    categories: list[Record],
    terms: list[Record],
    dry_run: bool = False,
    parts: dict[str, object] | None = None,
    replace: bool = False,
) -> Plan:
    """Plan, and unless `dry_run`, apply. Raises ImportFileError before writing anything."""
    plan = plan_import(categories, terms, parts, replace)
    if not dry_run:
        apply(plan)
    return plan
