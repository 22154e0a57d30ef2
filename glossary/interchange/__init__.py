"""Glossary import and export in CSV, JSON, SKOS (Turtle) and TBX-Basic.

Every format reads and writes the same neutral records (`Record`): one dict of model column
values per category or term (name_fr, slug_it, synonyms_en as one label per line...), with
foreign keys written as keys, plus the term's relations. This module turns the database into
records (`export_records`) and records into a checked plan (`plan_import`) that `apply` writes
in one transaction. The format modules only translate records to and from their syntax.

An import never deletes: terms, categories and relations missing from the file are left alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.utils.translation import gettext as _

from glossary.models import Category, Term, TermRelation
from kb.core.languages import language_codes

FORMATS = ("csv", "json", "skos", "tbx")
CATEGORY_TEXT = ("name", "slug", "description")
TERM_TEXT = ("name", "slug", "acronym", "summary", "definition", "synonyms", "hidden_labels")
LABEL_FIELDS = ("synonyms", "hidden_labels")


def category_columns() -> list[str]:
    return ["position", *(f"{f}_{c}" for c in language_codes() for f in CATEGORY_TEXT)]


def term_columns() -> list[str]:
    texts = [f"{f}_{c}" for c in language_codes() for f in TERM_TEXT]
    return ["category", "status", "is_trademark", "replaced_by", *texts]


class ImportFileError(ValueError):
    """The file cannot be imported; `errors` lists every problem with its line or entry."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class Record:
    key: str
    values: dict  # column -> value; columns absent from the file are left as they are
    relations: list[tuple[str, str]] | None = None  # (type, target key); None: not in the file
    where: str = ""  # "line 12", for messages


@dataclass
class Change:
    kind: str  # "category", "term" or "relation"
    key: str
    action: str  # "create", "change" or "unchanged"
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (column, old, new)


@dataclass
class Plan:
    categories: list[Record]
    terms: list[Record]
    changes: list[Change]
    relations: dict[tuple[str, str], str]  # (source key, target key) -> type, both directions

    def count(self, kind: str, action: str) -> int:
        return sum(1 for c in self.changes if c.kind == kind and c.action == action)

    def describe(self) -> list[str]:
        """One line per creation or change, with the changed columns (the dry run's diff)."""
        lines = []
        for change in self.changes:
            if change.action == "unchanged":
                continue
            sign = "+" if change.action == "create" else "~"
            lines.append(f"{sign} {change.kind} {change.key}")
            if change.action == "change":
                for column, old, new in change.fields:
                    lines.append(f"    {column}: {_short(old)!r} -> {_short(new)!r}")
        return lines

    def summary(self) -> str:
        parts = []
        for kind, label in (("category", "categories"), ("term", "terms"), ("relation", "links")):
            parts.append(
                f"{label}: {self.count(kind, 'create')} to create, "
                f"{self.count(kind, 'change')} to change, "
                f"{self.count(kind, 'unchanged')} unchanged"
            )
        return "; ".join(parts)


def _short(value: str, limit: int = 70) -> str:
    value = str(value)
    return value if len(value) <= limit else value[: limit - 1] + "…"


# --- Export ------------------------------------------------------------------------------------


def export_records(published_only: bool = False) -> tuple[list[Record], list[Record]]:
    """The glossary as records (three queries); with `published_only`, what visitors see."""
    categories = [
        Record(category.key, {column: getattr(category, column) for column in category_columns()})
        for category in Category.objects.order_by("position", "key")
    ]
    terms_qs = Term.objects.select_related("category", "replaced_by").order_by("key")
    if published_only:
        terms_qs = terms_qs.published()
    terms = list(terms_qs)
    keys = {term.key for term in terms}
    relations: dict[str, list[tuple[str, str]]] = {key: [] for key in keys}
    rows = TermRelation.objects.order_by("source__key", "target__key").values_list(
        "source__key", "target__key", "type"
    )
    for source, target, kind in rows:
        if source in keys and target in keys:
            relations[source].append((kind, target))
    records = []
    for term in terms:
        values = {column: getattr(term, column) or "" for column in term_columns()[4:]}
        values.update(
            category=term.category.key,
            status=term.status,
            is_trademark=term.is_trademark,
            replaced_by=term.replaced_by.key if term.replaced_by and not published_only else "",
        )
        records.append(Record(term.key, values, relations[term.key]))
    return categories, records


# --- Import: validation and plan ---------------------------------------------------------------


def plan_import(categories: list[Record], terms: list[Record]) -> Plan:
    """Check every record against the file and the database; return what would change.

    Raises ImportFileError listing every problem (nothing is written either way).
    """
    errors: list[str] = []
    db_categories = {c.key: c for c in Category.objects.all()}
    db_terms = {t.key: t for t in Term.objects.select_related("category", "replaced_by")}
    changes: list[Change] = []

    category_keys = _check_keys(categories, _("category"), errors)
    term_keys = _check_keys(terms, _("term"), errors)
    known_categories = set(db_categories) | category_keys
    known_terms = set(db_terms) | term_keys

    for record in categories:
        current = db_categories.get(record.key)
        old = {c: getattr(current, c) for c in category_columns()} if current else {}
        _normalize(record, Category, errors)
        changes.append(_diff("category", record, old, current is None))
    _check_required_and_slugs(categories, db_categories, Category, errors)

    for record in terms:
        current = db_terms.get(record.key)
        old = {}
        if current is not None:
            old = {c: getattr(current, c) or "" for c in term_columns()[4:]}
            old.update(
                category=current.category.key,
                status=current.status,
                is_trademark=current.is_trademark,
                replaced_by=current.replaced_by.key if current.replaced_by else "",
            )
        _normalize(record, Term, errors)
        values = record.values
        if "category" in values and values["category"] not in known_categories:
            errors.append(
                f"{record.where}: " + _("unknown category %(key)r") % {"key": values["category"]}
            )
        if current is None and not values.get("category"):
            errors.append(f"{record.where}: " + _("a new term needs a category"))
        if "status" in values and values["status"] not in Term.Status.values:
            errors.append(
                f"{record.where}: " + _("unknown status %(value)r") % {"value": values["status"]}
            )
        replaced_by = values.get("replaced_by", "")
        if replaced_by and (replaced_by not in known_terms or replaced_by == record.key):
            errors.append(
                f"{record.where}: " + _("bad replacement term %(key)r") % {"key": replaced_by}
            )
        changes.append(_diff("term", record, old, current is None))
    _check_required_and_slugs(terms, db_terms, Term, errors)

    relations = _plan_relations(terms, known_terms, errors)
    if errors:
        raise ImportFileError(errors)
    changes.extend(_relation_changes(relations))
    return Plan(categories, terms, changes, relations)


def _check_keys(records: list[Record], kind: str, errors: list[str]) -> set[str]:
    keys: set[str] = set()
    for record in records:
        try:
            validate_slug(record.key)
        except ValidationError:
            errors.append(
                f"{record.where}: "
                + _("%(kind)s key %(key)r is not a valid identifier (letters, digits, - and _)")
                % {"kind": kind, "key": record.key}
            )
            continue
        if record.key in keys:
            errors.append(
                f"{record.where}: "
                + _("%(kind)s key %(key)r appears twice") % {"kind": kind, "key": record.key}
            )
        keys.add(record.key)
    return keys


def _normalize(record: Record, model, errors: list[str]) -> None:
    """Clean values in place: strip text, parse booleans and numbers, check lengths."""
    for column, value in list(record.values.items()):
        if column == "is_trademark":
            parsed = _parse_bool(value)
            if parsed is None:
                errors.append(
                    f"{record.where}: "
                    + _("is_trademark must be true or false, not %(value)r") % {"value": value}
                )
            record.values[column] = parsed
            continue
        if column == "position":
            try:
                record.values[column] = int(value)
                if record.values[column] < 0 or record.values[column] > 32767:
                    raise ValueError
            except (TypeError, ValueError):
                errors.append(
                    f"{record.where}: "
                    + _("position must be a whole number from 0 to 32767, not %(value)r")
                    % {"value": value}
                )
            continue
        text = "" if value is None else str(value)
        if column.rsplit("_", 1)[0] in LABEL_FIELDS:
            text = "\n".join(line.strip() for line in text.splitlines() if line.strip())
        else:
            text = text.strip()
        record.values[column] = text
        suffixes = tuple(f"_{code}" for code in language_codes())
        base = column.rsplit("_", 1)[0] if column.endswith(suffixes) else column
        try:
            max_length = model._meta.get_field(base).max_length
        except FieldDoesNotExist:
            max_length = None
        if max_length and len(text) > max_length:
            errors.append(
                f"{record.where}: "
                + _("%(column)s is longer than %(max)d characters")
                % {"column": column, "max": max_length}
            )
        if base == "slug" and text:
            try:
                validate_slug(text)
            except ValidationError:
                errors.append(
                    f"{record.where}: "
                    + _("%(column)s %(value)r is not a valid slug")
                    % {"column": column, "value": text}
                )


def _parse_bool(value) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "y", "oui", "sì", "si", "x"}:
        return True
    if text in {"0", "false", "no", "n", "non", "", "none"}:
        return False
    return None


def _diff(kind: str, record: Record, old: dict, creating: bool) -> Change:
    if creating:
        return Change(kind, record.key, "create")
    fields = [
        (column, old.get(column, ""), value)
        for column, value in record.values.items()
        if old.get(column, "") != value
    ]
    return Change(kind, record.key, "change" if fields else "unchanged", fields)


def _check_required_and_slugs(
    records: list[Record], existing: dict, model, errors: list[str]
) -> None:
    """French name and slug required; a slug names one row per language (file and database)."""
    owner: dict[tuple[str, str], str] = {}
    in_file = {record.key for record in records}
    for key, row in existing.items():
        if key in in_file:
            continue
        for code in language_codes():
            slug = getattr(row, f"slug_{code}", "")
            if slug:
                owner[(code, slug)] = key
    for record in records:
        row = existing.get(record.key)
        for column in ("name_fr", "slug_fr"):
            value = record.values.get(column, getattr(row, column, "") if row else "")
            if not value:
                errors.append(
                    f"{record.where}: " + _("%(column)s is required") % {"column": column}
                )
        for code in language_codes():
            column = f"slug_{code}"
            slug = record.values.get(column, getattr(row, column, "") if row else "")
            if not slug:
                continue
            other = owner.setdefault((code, slug), record.key)
            if other != record.key:
                errors.append(
                    f"{record.where}: "
                    + _("%(column)s %(slug)r is already used by %(other)r")
                    % {"column": column, "slug": slug, "other": other}
                )


def _plan_relations(terms: list[Record], known: set[str], errors: list[str]) -> dict:
    wanted: dict[tuple[str, str], str] = {}
    types = set(TermRelation.Type.values)
    for record in terms:
        for kind, target in record.relations or []:
            where = f"{record.where}: "
            if kind not in types:
                errors.append(where + _("unknown relation type %(type)r") % {"type": kind})
                continue
            if target not in known or target == record.key:
                errors.append(where + _("bad relation target %(key)r") % {"key": target})
                continue
            inverse = TermRelation.INVERSE[TermRelation.Type(kind)]
            for pair, value in (((record.key, target), kind), ((target, record.key), inverse)):
                if wanted.setdefault(pair, value) != value:
                    errors.append(
                        where
                        + _("relation to %(key)r contradicts another row (%(a)s / %(b)s)")
                        % {"key": target, "a": wanted[pair], "b": value}
                    )
    return wanted


def _relation_changes(wanted: dict[tuple[str, str], str]) -> list[Change]:
    existing = {
        (source, target): kind
        for source, target, kind in TermRelation.objects.values_list(
            "source__key", "target__key", "type"
        )
    }
    changes = []
    for (source, target), kind in sorted(wanted.items()):
        if source > target and (target, source) in wanted:
            continue  # each link once, from its first key
        label = f"{source} {kind} {target}"
        current = existing.get((source, target))
        if current is None:
            changes.append(Change("relation", label, "create"))
        elif current != kind:
            changes.append(Change("relation", label, "change", [("type", current, kind)]))
        else:
            changes.append(Change("relation", label, "unchanged"))
    return changes


# --- Import: writing ---------------------------------------------------------------------------


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


@transaction.atomic
def apply(plan: Plan) -> None:
    """Write a checked plan, all or nothing. Nothing is ever deleted."""
    categories = {c.key: c for c in Category.objects.all()}
    for record, category in _changed(plan.categories, "category", plan, categories):
        for column, value in record.values.items():
            setattr(category, column, value)
        _save_imported(category, categories)

    terms = {t.key: t for t in Term.objects.all()}
    replacements = {}
    for record, term in _changed(plan.terms, "term", plan, terms):
        for column, value in record.values.items():
            if column == "category":
                term.category = categories[value]
            elif column == "replaced_by":
                replacements[record.key] = value
            else:
                setattr(term, column, value)
        _save_imported(term, terms)
    for key, replacement in replacements.items():
        term = terms[key]
        new = terms[replacement] if replacement else None
        if term.replaced_by_id != (new.pk if new else None):
            term.replaced_by = new
            term._change_reason = "import"
            term.save()

    for change in plan.changes:
        if change.kind != "relation" or change.action == "unchanged":
            continue
        source, kind, target = change.key.split(" ")
        relation = TermRelation.objects.filter(
            source=terms[source], target=terms[target]
        ).first() or TermRelation(source=terms[source], target=terms[target])
        relation.type = kind
        relation.save()


def import_records(categories: list[Record], terms: list[Record], dry_run: bool = False) -> Plan:
    """Plan, and unless `dry_run`, apply. Raises ImportFileError before writing anything."""
    plan = plan_import(categories, terms)
    if not dry_run:
        apply(plan)
    return plan


def get_format(name: str):
    """The module of format `name` (dump(categories, terms) -> str, load(text) -> records)."""
    from glossary.interchange import csv_format, json_format, skos, tbx

    return {"csv": csv_format, "json": json_format, "skos": skos, "tbx": tbx}[name]
