"""Translation status of glossary terms: complete, missing or outdated, per term and language.

The rule and its database filters are kb.core's (kb/core/translation_status.py), shared with
categories and articles; this module applies them to a term's name, summary and definition (a
language has its own text with a name, and a summary or a definition). Term.save keeps the
markers; this module imports no model, so models, admin, commands and tests can all use it.
"""

from django.db import models
from django.db.models import Q

from kb.core.translation_status import (
    TranslationSpec,
    TranslationState,
    marker_field,
    source_language,
    target_languages,
    tracked_models,
)

__all__ = [
    "SOURCE_FIELDS",
    "TERM",
    "TranslationState",
    "complete_q",
    "counts",
    "digest",
    "filter_state",
    "has_text",
    "marker_field",
    "missing_q",
    "outdated_q",
    "source_language",
    "state",
    "states",
    "target_languages",
    "texts",
    "tracked_models",
]

# The source fields a translation follows; acronyms and labels may legitimately differ.
SOURCE_FIELDS = ("name", "summary", "definition")
TERM = TranslationSpec(
    fields=SOURCE_FIELDS, title_field="name", text_fields=("summary", "definition")
)


def texts(values: object, language: str) -> tuple[str, ...]:
    """The source fields of one language, from a model instance or a mapping of columns."""
    return TERM.texts(values, language)


def digest(values: object, language: str | None = None) -> str:
    """A stable hash of one language's name, summary and definition (the source's by default).

    Whitespace around each field is ignored, so re-saving a form never makes a translation
    outdated by itself.
    """
    return TERM.digest(values, language)


def has_text(values: object, language: str) -> bool:
    """Same rule as Term.languages(): a name, and a summary or a definition."""
    return TERM.has_text(values, language)


def state(term: object, language: str) -> TranslationState:
    """The status of one language of a term (the source language is always complete)."""
    return TERM.state(term, language)


def states(term: object) -> dict[str, TranslationState]:
    """{language: status} for every translated language of a term."""
    return TERM.states(term)


def missing_q(language: str) -> Q:
    """Terms with no text of their own in `language` (database filter)."""
    return TERM.missing_q(language)


def outdated_q(language: str) -> Q:
    """Terms whose `language` text follows an older French text (database filter)."""
    return TERM.outdated_q(language)


def complete_q(language: str) -> Q:
    return TERM.complete_q(language)


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
    return TERM.counts(queryset, language)
