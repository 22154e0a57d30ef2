"""Translation status that notices change: complete, missing or outdated, per term and language.

French is the source language. Each term stores `source_digest`, a hash of its current French
name, summary and definition, and for each other language `translated_from_<code>`, the digest of
the French text that language was translated from. The rule:

- *missing*: the language has no text of its own (no name, or neither summary nor definition);
- *outdated*: it has text, but the French changed since (`translated_from_<code> != source_digest`);
- *complete*: it has text translated from the current French.

A save that changes a language's text counts as updating that translation (Term.save); an
editor can also confirm a translation as still right (Term.confirm_translations).
This module imports no model, so models, admin, commands and tests can all use it.
"""

import hashlib
from collections.abc import Mapping

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kb.core.languages import language_codes

# The source fields a translation follows; acronyms and labels may legitimately differ.
SOURCE_FIELDS = ("name", "summary", "definition")


class TranslationState(models.TextChoices):
    COMPLETE = "complete", _("complete")
    MISSING = "missing", _("missing")
    OUTDATED = "outdated", _("outdated")


def source_language() -> str:
    return settings.MODELTRANSLATION_DEFAULT_LANGUAGE


def target_languages() -> list[str]:
    """The languages translated from the source language, in the site's order."""
    return [code for code in language_codes() if code != source_language()]


def marker_field(language: str) -> str:
    """The Term column remembering which French text `language` was translated from."""
    return f"translated_from_{language}"


def texts(values: object, language: str) -> tuple[str, ...]:
    """The source fields of one language, from a model instance or a mapping of columns."""
    get = values.get if isinstance(values, Mapping) else lambda name: getattr(values, name, "")
    return tuple((get(f"{field}_{language}") or "").strip() for field in SOURCE_FIELDS)


def digest(values: object, language: str | None = None) -> str:
    """A stable hash of one language's name, summary and definition (the source's by default).

    Whitespace around each field is ignored, so re-saving a form never makes a translation
    outdated by itself.
    """
    payload = "\x1f".join(texts(values, language or source_language()))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def has_text(values: object, language: str) -> bool:
    """Same rule as Term.languages(): a name, and a summary or a definition."""
    name, summary, definition = texts(values, language)
    return bool(name and (summary or definition))


def state(term: object, language: str) -> TranslationState:
    """The status of one language of a term (the source language is always complete)."""
    if not has_text(term, language):
        return TranslationState.MISSING
    if language == source_language():
        return TranslationState.COMPLETE
    if getattr(term, marker_field(language), "") != getattr(term, "source_digest", ""):
        return TranslationState.OUTDATED
    return TranslationState.COMPLETE


def states(term: object) -> dict[str, TranslationState]:
    """{language: status} for every translated language of a term."""
    return {code: state(term, code) for code in target_languages()}


def _empty(field: str) -> Q:
    return Q(**{field: ""}) | Q(**{f"{field}__isnull": True})


def missing_q(language: str) -> Q:
    """Terms with no text of their own in `language` (database filter)."""
    return _empty(f"name_{language}") | (
        _empty(f"summary_{language}") & _empty(f"definition_{language}")
    )


def outdated_q(language: str) -> Q:
    """Terms whose `language` text follows an older French text (database filter)."""
    return ~missing_q(language) & ~Q(**{marker_field(language): models.F("source_digest")})


def complete_q(language: str) -> Q:
    return ~missing_q(language) & Q(**{marker_field(language): models.F("source_digest")})


STATE_FILTERS = {
    TranslationState.COMPLETE: complete_q,
    TranslationState.MISSING: missing_q,
    TranslationState.OUTDATED: outdated_q,
}


def filter_state(queryset: models.QuerySet, language: str, wanted: str) -> models.QuerySet:
    """`queryset` narrowed to the terms whose `language` text is in state `wanted`."""
    return queryset.filter(STATE_FILTERS[TranslationState(wanted)](language))


def counts(queryset: models.QuerySet, language: str) -> dict[str, int]:
    """{state: number of terms} for one language, in one query."""
    result = queryset.aggregate(
        **{
            str(value): models.Count("pk", filter=make(language))
            for value, make in STATE_FILTERS.items()
        }
    )
    return {str(value): result[str(value)] for value in TranslationState}
