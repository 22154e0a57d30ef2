"""Glossary import and export in CSV, JSON, SKOS (Turtle) and TBX-Basic.

Every format reads and writes the same neutral records (`Record`): one dict of model column
values per category or term (name_fr, slug_it...; a term's labels and sources as text, see
labels.py), with foreign keys written as keys, plus the term's relations. This module turns the
database into records (`export_records`) and records into a checked plan (`plan_import`) that
writing.apply writes in one transaction. The format modules only translate records to and from
their syntax.

An import never deletes: terms, categories and relations missing from the file are left alone,
unless `replace` is asked for (restoring a backup over a database: it then becomes the file).
A complete backup (JSON, see backup.py) also carries each translation's status and the
entries' timestamps, and other apps' content through the registry of parts.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import validate_slug
from django.utils.translation import gettext as _

from glossary import translation_status
from glossary.interchange import labels as term_labels
from glossary.interchange import parts as backup_parts
from glossary.models import Category, Term, TermRelation
from kb.core.languages import language_codes

FORMATS = ("csv", "json", "skos", "tbx")
CATEGORY_TEXT = ("name", "slug", "description")
TERM_TEXT = ("name", "slug", "acronym", "summary", "definition", "usage_note", "example", "labels")
LABEL_FIELDS = ("labels",)
# Backup-only term columns: which French text each translation follows (its status), and the
# timestamps, restored when an entry is created (or by a replace), never counted as a change.
# `first_published_at` (kb/core/publishing.py) may be empty, and an empty value never clears it.
OPTIONAL_STAMPS = ("first_published_at",)
STAMP_COLUMNS = tuple(
    name
    for name in ("created_at", "updated_at", *OPTIONAL_STAMPS)
    if name in {f.name for f in Term._meta.get_fields()}
)


def marker_columns() -> list[str]:
    return [translation_status.marker_field(c) for c in translation_status.target_languages()]


def category_columns() -> list[str]:
    return ["position", *(f"{f}_{c}" for c in language_codes() for f in CATEGORY_TEXT)]


def term_columns() -> list[str]:
    texts = [f"{f}_{c}" for c in language_codes() for f in TERM_TEXT]
    return ["category", "status", "is_trademark", "replaced_by", *texts, "sources"]


def _term_values(term: Term) -> dict:
    """A term's text columns, labels and sources included (read from prefetched rows)."""
    values = {}
    for column in term_columns()[4:]:
        if column == "sources":
            values[column] = term_labels.sources_of(term)
        elif term_labels.is_label_column(column):
            values[column] = term_labels.labels_of(term, column.rsplit("_", 1)[1])
        else:
            values[column] = getattr(term, column) or ""
    return values


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
    parts: list[tuple[backup_parts.BackupPart, backup_parts.PartPlan]] = field(default_factory=list)
    replace: bool = False

    def count(self, kind: str, action: str) -> int:
        return sum(1 for c in self.changes if c.kind == kind and c.action == action)

    def describe(self) -> list[str]:
        """One line per creation or change, with the changed columns (the dry run's diff)."""
        lines = []
        for change in self.changes:
            if change.action == "unchanged":
                continue
            sign = {"create": "+", "change": "~", "delete": "-"}[change.action]
            lines.append(f"{sign} {change.kind} {change.key}")
            if change.action == "change":
                for column, old, new in change.fields:
                    lines.append(f"    {column}: {_short(old)!r} -> {_short(new)!r}")
        return lines

    def summary(self) -> str:
        kinds = [("category", _("categories")), ("term", _("terms")), ("relation", _("links"))]
        kinds += [(part.kind, str(part.label)) for part, _plan in self.parts]
        lines = []
        for kind, label in kinds:
            counts = {
                "create": self.count(kind, "create"),
                "change": self.count(kind, "change"),
                "unchanged": self.count(kind, "unchanged"),
                "delete": self.count(kind, "delete"),
            }
            text = _("%(create)d to create, %(change)d to change, %(unchanged)d unchanged") % counts
            if self.replace:
                text += ", " + _("%(delete)d to delete") % counts
            lines.append(f"{label}: {text}")
        return "; ".join(lines)


def _short(value: str, limit: int = 70) -> str:
    value = str(value)
    return value if len(value) <= limit else value[: limit - 1] + "…"


# --- Export ------------------------------------------------------------------------------------


def export_records(published_only: bool = False) -> tuple[list[Record], list[Record]]:
    """The glossary as records (three queries); with `published_only`, what visitors see.

    Empty languages are "" (never None). Term records also carry the backup-only columns
    (marker_columns(), STAMP_COLUMNS), category records the markers; formats other than the
    JSON backup ignore them.
    """
    categories = [
        Record(
            category.key,
            {
                **{column: _value(category, column) for column in category_columns()},
                **{column: _text(category, column) for column in marker_columns()},
            },
        )
        for category in Category.objects.order_by("position", "key")
    ]
    terms_qs = (
        Term.objects.select_related("category", "replaced_by")
        .prefetch_related("labels", "sources")
        .order_by("key")
    )
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
        values = _term_values(term)
        values.update(
            category=term.category.key,
            status=term.status,
            is_trademark=term.is_trademark,
            replaced_by=term.replaced_by.key if term.replaced_by and not published_only else "",
        )
        values.update({column: _text(term, column) for column in marker_columns()})
        values.update({column: stamp(getattr(term, column)) for column in STAMP_COLUMNS})
        records.append(Record(term.key, values, relations[term.key]))
    return categories, records


def _text(row, column: str) -> str:
    return getattr(row, column) or ""


def _value(category: Category, column: str) -> str | int:
    return category.position if column == "position" else _text(category, column)


def stamp(value: datetime | None) -> str:
    """A timestamp as the backup writes it: ISO 8601 in UTC, to the microsecond ("": none)."""
    return value.astimezone(UTC).isoformat() if value is not None else ""


def parse_stamp(value: object) -> datetime | None:
    """The timestamp `stamp` wrote (any ISO 8601 with a time zone); None if it is not one."""
    try:
        parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
    if parsed is None or parsed.tzinfo is None:
        return None
    return parsed.astimezone(UTC)


# --- Import: validation and plan ---------------------------------------------------------------


def plan_import(
    categories: list[Record],
    terms: list[Record],
    parts: dict[str, object] | None = None,
    replace: bool = False,
) -> Plan:
    """Check every record against the file and the database; return what would change.

    `parts` maps a registered part's name (parts.py) to its entries in the file. With
    `replace`, what the file leaves out is to be deleted, so only the file's entries count
    (keys, slugs). Raises ImportFileError listing every problem (nothing is written either way).
    """
    errors: list[str] = []
    db_categories = {c.key: c for c in Category.objects.all()}
    db_terms = {
        t.key: t
        for t in Term.objects.select_related("category", "replaced_by").prefetch_related(
            "labels", "sources"
        )
    }
    changes: list[Change] = []

    category_keys = _check_keys(categories, _("category"), errors)
    term_keys = _check_keys(terms, _("term"), errors)
    if replace:
        for key in sorted(set(db_terms) - term_keys):
            changes.append(Change("term", key, "delete"))
            if getattr(db_terms[key], "was_published", False):
                errors.append(published_error(_("term"), key))
        changes += [
            Change("category", k, "delete") for k in sorted(set(db_categories) - category_keys)
        ]
        db_categories = {k: v for k, v in db_categories.items() if k in category_keys}
        db_terms = {k: v for k, v in db_terms.items() if k in term_keys}
    known_categories = set(db_categories) | category_keys
    known_terms = set(db_terms) | term_keys

    for record in categories:
        current = db_categories.get(record.key)
        old = {}
        if current is not None:
            old = {column: _value(current, column) for column in category_columns()}
            old.update({column: _text(current, column) for column in marker_columns()})
        _normalize(record, Category, errors)
        changes.append(_diff("category", record, old, current is None, replace))
    _check_required_and_slugs(categories, db_categories, Category, errors)

    for record in terms:
        current = db_terms.get(record.key)
        old = {}
        if current is not None:
            old = _term_values(current)
            old.update(
                category=current.category.key,
                status=current.status,
                is_trademark=current.is_trademark,
                replaced_by=current.replaced_by.key if current.replaced_by else "",
            )
            old.update({column: _text(current, column) for column in marker_columns()})
            old.update({column: stamp(getattr(current, column)) for column in STAMP_COLUMNS})
        term_labels.upgrade_old_columns(record.values)
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
        changes.append(_diff("term", record, old, current is None, replace))
    _check_required_and_slugs(terms, db_terms, Term, errors)

    relations = _plan_relations(terms, known_terms, errors)
    context = backup_parts.PartContext(term_keys=known_terms, replace=replace)
    planned = []
    for name, entries in (parts or {}).items():
        part = backup_parts.get(name)
        if part is None:
            errors.append(_("this site cannot import “%(section)s”") % {"section": name})
            continue
        planned.append((part, part.plan(entries, context, errors)))
    if errors:
        raise ImportFileError(errors)
    changes.extend(_relation_changes(relations, replace, term_keys))
    for _part, part_plan in planned:
        changes.extend(part_plan.changes)
    return Plan(categories, terms, changes, relations, planned, replace)


def published_error(kind: str, key: str) -> str:
    """--replace would delete an entry that was published (kb/core/publishing.py)."""
    return _(
        "%(kind)s %(key)r is not in the backup but was published, and published content is "
        "never deleted: deprecate or unpublish it, or restore into an empty database"
    ) % {"kind": kind, "key": key}


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
    """Clean values in place: strip text, parse booleans, numbers and times, check lengths."""
    for column, value in list(record.values.items()):
        if column in STAMP_COLUMNS:
            parsed = parse_stamp(value)
            if column in OPTIONAL_STAMPS and value in ("", None):
                record.values[column] = ""
            elif parsed is None:
                errors.append(
                    f"{record.where}: "
                    + _("%(column)s must be a date and time with its time zone, not %(value)r")
                    % {"column": column, "value": value}
                )
            else:
                record.values[column] = stamp(parsed)
            continue
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
        if not storable(text):
            errors.append(
                f"{record.where}: "
                + _("%(column)s contains a character that cannot be stored (NUL or lone surrogate)")
                % {"column": column}
            )
            continue
        if column == "sources" or term_labels.is_label_column(column):
            parse = term_labels.parse_sources if column == "sources" else term_labels.parse_labels
            rows, problems = parse(text)
            errors.extend(f"{record.where}: {column}: {problem}" for problem in problems)
            # Written back in the canonical form, so an unchanged file compares unchanged.
            record.values[column] = (
                term_labels.format_sources(rows)
                if column == "sources"
                else term_labels.format_labels(rows)
            )
            continue
        text = text.strip()
        record.values[column] = text
        suffixes = tuple(f"_{code}" for code in language_codes())
        base = column.rsplit("_", 1)[0] if column.endswith(suffixes) else column
        if column in marker_columns():
            base = column
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


def storable(text: str) -> bool:
    """False for text no database takes: NUL (PostgreSQL) or a lone surrogate (not UTF-8)."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _parse_bool(value) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "y", "oui", "sì", "si", "x"}:
        return True
    if text in {"0", "false", "no", "n", "non", "", "none"}:
        return False
    return None


def _diff(kind: str, record: Record, old: dict, creating: bool, replace: bool = False) -> Change:
    """A merge never counts timestamps as a change; a replace restores them too."""
    if creating:
        return Change(kind, record.key, "create")
    fields = [
        (column, old.get(column, ""), value)
        for column, value in record.values.items()
        if old.get(column, "") != value and (replace or column not in STAMP_COLUMNS)
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


def _relation_changes(
    wanted: dict[tuple[str, str], str], replace: bool = False, file_terms: set[str] = frozenset()
) -> list[Change]:
    existing = {
        (source, target): kind
        for source, target, kind in TermRelation.objects.values_list(
            "source__key", "target__key", "type"
        )
    }
    changes = []
    if replace:  # links between two kept terms that the file leaves out (others go with a term)
        for (source, target), kind in sorted(existing.items()):
            if (
                source < target
                and {source, target} <= file_terms
                and (source, target) not in wanted
            ):
                changes.append(Change("relation", f"{source} {kind} {target}", "delete"))
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


def get_format(name: str):
    """The module of format `name` (dump(categories, terms) -> str, load(text) -> records)."""
    from glossary.interchange import csv_format, json_format, skos, tbx

    return {"csv": csv_format, "json": json_format, "skos": skos, "tbx": tbx}[name]
