"""Readable history and one-click restore for any model tracked by django-simple-history.

Reusable by every app: a model registered with simple-history (model-level `HistoricalRecords()`,
or `simple_history.register(Model)` after modeltranslation for translated models) gets

- `history_entries(obj)`: its versions, newest first, each with who, when, why and a per-field,
  per-language diff against the version before;
- `changes_since(obj, version)`: what changed after a given version (the lost-update message);
- `restore(record, user)`: save an earlier version again, itself recorded as a new version;
- `deleted_records(model)` and `recover(record, user)`: the objects deleted and still gone, and
  bringing one back, every language included, from the version recorded at its deletion.

The admin side is kb.core.admin.HistoryAdminMixin (history page with the diffs, a restore
button per version, the "Recover deleted" list); every app's admin inherits it.
"""

import difflib
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from modeltranslation.translator import NotRegistered, translator

from kb.core.languages import language_codes, language_name
from kb.core.publishing import PublishedOnceModel, first_published_in_history

# Bookkeeping columns, never shown as changes: versions, timestamps, translation markers and
# modeltranslation's untranslated base columns (their per-language columns are shown instead).
HIDDEN_FIELDS = {
    "id",
    "version",
    "created_at",
    "updated_at",
    "first_published_at",
    "source_digest",
}
# Kept from the current row when an earlier version is restored: bookkeeping that only moves
# forward (a restore of a version from before publication must not make the row deletable).
KEPT_ON_RESTORE = ("version", "created_at", "first_published_at")
HIDDEN_PREFIXES = ("translated_from_",)
LONG_TEXT = 120  # longer values get a word-level diff instead of "old → new"


class RestoreError(Exception):
    """The earlier version cannot be saved again now; the message says why, for the editor."""


@dataclass(frozen=True)
class FieldChange:
    field: str  # column name, e.g. "name_it"
    label: str  # "name"
    language: str  # "Italian", or "" for a field without languages
    old: str
    new: str

    @property
    def diff_html(self) -> SafeString:
        """The change as HTML: whole values for short text, a word-level diff for long text."""
        if len(self.old) <= LONG_TEXT and len(self.new) <= LONG_TEXT:
            return format_html(
                '<del class="history-old">{}</del> → <ins class="history-new">{}</ins>',
                self.old or "∅",
                self.new or "∅",
            )
        return word_diff(self.old, self.new)


@dataclass
class Entry:
    record: models.Model
    changes: list[FieldChange] = field(default_factory=list)
    is_current: bool = False

    @property
    def reason(self) -> str:
        return reason_label(self.record.history_change_reason)


def word_diff(old: str, new: str) -> SafeString:
    """A word-level diff, unchanged words kept, removed words in <del>, added ones in <ins>."""
    old_words, new_words = re.split(r"(\s+)", old), re.split(r"(\s+)", new)
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            parts.append(format_html("<del>{}</del>", "".join(old_words[a1:a2])))
        if b2 > b1:
            parts.append(format_html("<ins>{}</ins>", "".join(new_words[b1:b2])))
    return mark_safe("".join(parts))  # noqa: S308 - every piece above is escaped


def translated_fields(model: type[models.Model]) -> set[str]:
    try:
        return set(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return set()


def shown_fields(model: type[models.Model]) -> list[models.Field]:
    """The fields whose changes the history shows, in the model's order."""
    base = translated_fields(model)
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in HIDDEN_FIELDS
        and f.name not in base
        and not f.name.startswith(HIDDEN_PREFIXES)
    ]


def describe(model_field: models.Field) -> tuple[str, str]:
    """(field label, language name or "") of a column such as name_it."""
    language = ""
    original = getattr(model_field, "translated_field", None)
    if original is not None:
        code = model_field.language
        return str(original.verbose_name), language_name(code) if code in language_codes() else code
    return str(model_field.verbose_name), language


def display_value(model_field: models.Field, value, cache: dict) -> str:
    if value is None or value == "":
        return ""
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.ForeignKey):
        key = (model_field.related_model, value)
        if key not in cache:
            related = model_field.related_model._base_manager.filter(pk=value).first()
            cache[key] = str(related) if related else _("#%(id)s (deleted)") % {"id": value}
        return cache[key]
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def diff(old_record, new_record, cache: dict | None = None) -> list[FieldChange]:
    """What changed from one historical record (or None: nothing before) to another."""
    cache = {} if cache is None else cache
    model = new_record.instance_type
    changes = []
    for model_field in shown_fields(model):
        old = getattr(old_record, model_field.attname) if old_record is not None else None
        new = getattr(new_record, model_field.attname)
        if (old or None) == (new or None):
            continue
        label, language = describe(model_field)
        changes.append(
            FieldChange(
                model_field.name,
                label,
                language,
                display_value(model_field, old, cache),
                display_value(model_field, new, cache),
            )
        )
    return changes


def history_entries(obj: models.Model, limit: int = 200) -> list[Entry]:
    """The versions of `obj`, newest first, each diffed against the one before it."""
    records = list(
        obj.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    cache: dict = {}
    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        entries.append(Entry(record, diff(previous, record, cache), is_current=index == 0))
    return entries


def changes_since(obj: models.Model, version: int) -> list[FieldChange]:
    """What changed in `obj` after it was at `version` (its saved state now vs. then)."""
    then = obj.history.filter(version=version).order_by("-history_date", "-history_id").first()
    now = obj.history.order_by("-history_date", "-history_id").first()
    if now is None:
        return []
    return diff(then, now)


def editors_since(obj: models.Model, version: int) -> list[str]:
    """Who saved `obj` after `version`, oldest first, without repeats."""
    names: dict[str, None] = {}
    for record in (
        obj.history.filter(version__gt=version)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    ):
        user = record.history_user
        names[user.get_username() if user else _("an unknown user")] = None
    return list(names)


def reason_label(reason: str | None) -> str:
    """The stored change reason (a short code) in the active language."""
    if not reason:
        return ""
    kind, _sep, detail = reason.partition(":")
    if kind == "restore":
        return _("restored version #%(id)s") % {"id": detail}
    if kind == "confirm":
        names = ", ".join(language_name(code) for code in detail.split(",") if code)
        return _("translation confirmed up to date: %(languages)s") % {"languages": names}
    if kind == "baseline":
        return _("state when history started")
    if kind == "load":
        return _("loaded from the glossary content files")
    if kind == "recover":
        return _("recovered after its deletion")
    if kind == "cascade":
        return _("deleted along with the entry it belonged to")
    return reason


def restore(record, user=None) -> models.Model:
    """Save the version in `record` again as the current one; returns the saved object.

    The restore is a new version in the history (reason "restore:<id>"), so it can be undone in
    turn. Raises RestoreError when the old version no longer fits the database (a related row
    was deleted, or a slug is now used by another row): nothing is written then.
    """
    model = record.instance_type
    current = model._base_manager.filter(pk=record.instance.pk).first()
    if current is None:
        raise RestoreError(_("This object no longer exists."))
    instance = record.instance
    _drop_deleted_references(instance)
    instance._state.adding = False
    instance._state.db = current._state.db
    for name in KEPT_ON_RESTORE:
        if hasattr(current, name):
            setattr(instance, name, getattr(current, name))
    _validate(instance)
    _save_as_recorded(instance, f"restore:{record.history_id}", user)
    return instance


def deleted_records(model: type[models.Model], limit: int = 200) -> list[models.Model]:
    """The deletion records of `model`'s objects that are still gone, newest first: one per
    object (its last deletion), at most `limit`."""
    records = (
        model.history.filter(history_type="-")
        .filter(~Exists(model._base_manager.filter(pk=OuterRef("id"))))
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    latest: dict = {}
    for record in records.iterator():
        latest.setdefault(record.id, record)
        if len(latest) >= limit:
            break
    return list(latest.values())


def recover(record, user=None) -> models.Model:
    """Bring a deleted object back as it was when it was deleted; returns the saved object.

    `record` is its deletion record ("-"), which holds every field in every language. The
    object gets its primary key back, so its history continues (reason "recover:<id>").
    Raises RestoreError when it cannot come back now (it already has, or its slug or key was
    taken since): nothing is written then.
    """
    model = record.instance_type
    if record.history_type != "-":
        raise RestoreError(_("This version is not a deletion."))
    if model._base_manager.filter(pk=record.id).exists():
        raise RestoreError(_("This object exists: it was already recovered."))
    instance = record.instance
    _drop_deleted_references(instance)
    instance._state.adding = True
    if isinstance(instance, PublishedOnceModel) and instance.first_published_at is None:
        # Records older than the column: the history still knows whether it was published.
        instance.first_published_at = first_published_in_history(model, record.id)
    _validate(instance)
    _save_as_recorded(instance, f"recover:{record.history_id}", user, force_insert=True)
    return instance


def _drop_deleted_references(instance: models.Model) -> None:
    """Empty the optional references to rows deleted since; refuse if a required one is gone."""
    for model_field in type(instance)._meta.concrete_fields:
        if isinstance(model_field, models.ForeignKey):
            value = getattr(instance, model_field.attname)
            if (
                value is not None
                and not model_field.related_model._base_manager.filter(pk=value).exists()
            ):
                if not model_field.null:
                    raise RestoreError(
                        _("This version refers to a %(model)s that has since been deleted.")
                        % {"model": model_field.related_model._meta.verbose_name}
                    )
                setattr(instance, model_field.attname, None)


def _validate(instance: models.Model) -> None:
    try:
        # The untranslated base columns (name, slug...) read the active language: skip them,
        # their per-language columns are validated.
        instance.full_clean(exclude=translated_fields(type(instance)))
    except ValidationError as error:
        raise RestoreError(" ".join(error.messages)) from error


def _save_as_recorded(instance: models.Model, reason: str, user, **save_options) -> None:
    # The texts come with the translation markers they had: their status comes back too.
    instance._keep_translation_marks = True
    instance._change_reason = reason
    if user is not None:
        instance._history_user = user
    with transaction.atomic():
        instance.save(**save_options)
