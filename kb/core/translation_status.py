"""Translation status that notices change: complete, missing or outdated, per object and language.

French is the source language. A tracked model stores `source_digest`, a hash of its current
French source fields, and for each other language `translated_from_<code>`, the digest of the
French text that language was translated from. The rule, the same for every kind of content:

- *missing*: the language has no text of its own (see `TranslationSpec.has_text`);
- *outdated*: it has text, but the French changed since (`translated_from_<code> != source_digest`);
- *complete*: it has text translated from the current French.

A save that changes a language's text counts as updating that translation
(`TranslationTracked.save`); an editor can also confirm a translation as still right
(`confirm_translations`). Each model says which fields it follows with a `TranslationSpec`:
glossary terms (glossary/translation_status.py), categories, articles.
"""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kb.core.languages import language_codes


class TranslationState(models.TextChoices):
    COMPLETE = "complete", _("complete")
    MISSING = "missing", _("missing")
    OUTDATED = "outdated", _("outdated")


@dataclass(frozen=True)
class TranslationSpec:
    """What a kind of content translates: `fields` are followed (a change to one of them in
    French outdates the translations); a language has its own text when `title_field` and at
    least one of `text_fields` are filled in it (kb.core.translated.TranslatedText's rule)."""

    fields: tuple[str, ...]
    title_field: str
    text_fields: tuple[str, ...]

    def __post_init__(self) -> None:
        if not {self.title_field, *self.text_fields} <= set(self.fields):
            raise ValueError("title_field and text_fields must be among the followed fields")

    def texts(self, values: object, language: str) -> tuple[str, ...]:
        """The followed fields of one language, from an instance or a mapping of columns."""
        get = values.get if isinstance(values, Mapping) else lambda name: getattr(values, name, "")
        return tuple((get(f"{field}_{language}") or "").strip() for field in self.fields)

    def digest(self, values: object, language: str | None = None) -> str:
        """A stable hash of one language's followed fields (the source's by default).

        Whitespace around each field is ignored, so re-saving a form never makes a translation
        outdated by itself.
        """
        payload = "\x1f".join(self.texts(values, language or source_language()))
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def has_text(self, values: object, language: str) -> bool:
        """Whether `language` has its own text (`title_field` and one of `text_fields`)."""
        text = dict(zip(self.fields, self.texts(values, language), strict=True))
        return bool(text.get(self.title_field) and any(text.get(name) for name in self.text_fields))

    def state(self, obj: object, language: str) -> TranslationState:
        """The status of one language of `obj` (the source language is always complete)."""
        if not self.has_text(obj, language):
            return TranslationState.MISSING
        if language == source_language():
            return TranslationState.COMPLETE
        if getattr(obj, marker_field(language), "") != getattr(obj, "source_digest", ""):
            return TranslationState.OUTDATED
        return TranslationState.COMPLETE

    def states(self, obj: object) -> dict[str, TranslationState]:
        """{language: status} for every translated language of `obj`."""
        return {code: self.state(obj, code) for code in target_languages()}

    # --- Database filters ---

    def missing_q(self, language: str) -> Q:
        """Objects with no text of their own in `language`."""
        no_text = Q()
        for name in self.text_fields:
            no_text &= _empty(f"{name}_{language}")
        return _empty(f"{self.title_field}_{language}") | no_text

    def outdated_q(self, language: str) -> Q:
        """Objects whose `language` text follows an older French text."""
        return ~self.missing_q(language) & ~Q(**{marker_field(language): models.F("source_digest")})

    def complete_q(self, language: str) -> Q:
        return ~self.missing_q(language) & Q(**{marker_field(language): models.F("source_digest")})

    def filter_q(self, language: str, wanted: str) -> Q:
        return {
            TranslationState.COMPLETE: self.complete_q,
            TranslationState.MISSING: self.missing_q,
            TranslationState.OUTDATED: self.outdated_q,
        }[TranslationState(wanted)](language)

    def counts(self, queryset: models.QuerySet, language: str) -> dict[str, int]:
        """{state: number of objects} for one language, in one query."""
        result = queryset.aggregate(
            **{
                str(value): models.Count("pk", filter=self.filter_q(language, value))
                for value in TranslationState
            }
        )
        return {str(value): result[str(value)] for value in TranslationState}


# Categories and knowledge-base sections: their name is their text, the description optional.
NAME_AND_DESCRIPTION = TranslationSpec(
    fields=("name", "description"), title_field="name", text_fields=("name",)
)


def source_language() -> str:
    return settings.MODELTRANSLATION_DEFAULT_LANGUAGE


def target_languages() -> list[str]:
    """The languages translated from the source language, in the site's order."""
    return [code for code in language_codes() if code != source_language()]


def marker_field(language: str) -> str:
    """The column remembering which French text `language` was translated from."""
    return f"translated_from_{language}"


def _empty(field: str) -> Q:
    return Q(**{field: ""}) | Q(**{f"{field}__isnull": True})


def tracked_models(models_iterable) -> list[type[models.Model]]:
    """The concrete models among `models_iterable` that follow their translations."""
    return [
        model
        for model in models_iterable
        if isinstance(getattr(model, "translation_spec", None), TranslationSpec)
        and not model._meta.abstract
        and not model.__name__.startswith("Historical")
    ]


class TranslationTracked(models.Model):
    """A model whose translations follow its French text; `translation_spec` says which fields.

    Set `_keep_translation_marks` on an instance to save its markers as they are (a restore of
    an earlier version, an import that carries them).
    """

    translation_spec: TranslationSpec

    source_digest = models.CharField(
        _("source text digest"), max_length=64, blank=True, editable=False
    )
    translated_from_it = models.CharField(
        _("Italian translated from"), max_length=64, blank=True, editable=False
    )
    translated_from_en = models.CharField(
        _("English translated from"), max_length=64, blank=True, editable=False
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        """Save, keeping the translation status up to date: a language whose followed text
        changed in this save is taken as translated from the current French; the others keep
        what they were translated from, so a change to the French makes them outdated."""
        spec = self.translation_spec
        self.source_digest = spec.digest(self)
        if not getattr(self, "_keep_translation_marks", False):
            previous = None
            if self.pk is not None:
                columns = [f"{name}_{code}" for name in spec.fields for code in target_languages()]
                previous = type(self)._base_manager.filter(pk=self.pk).values(*columns).first()
            for code in target_languages():
                old_text = spec.texts(previous, code) if previous else ("",) * len(spec.fields)
                if spec.texts(self, code) != old_text and spec.has_text(self, code):
                    setattr(self, marker_field(code), self.source_digest)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {
                *update_fields,
                "source_digest",
                *map(marker_field, target_languages()),
            }
        super().save(*args, **kwargs)

    def translation_states(self) -> dict[str, TranslationState]:
        """{language: complete | missing | outdated} for every language translated from French."""
        return self.translation_spec.states(self)

    def mark_translations_current(self) -> None:
        """Take every language that has text as translated from the current French (no save)."""
        self.source_digest = self.translation_spec.digest(self)
        for code in target_languages():
            if self.translation_spec.has_text(self, code):
                setattr(self, marker_field(code), self.source_digest)

    def confirm_translations(self, languages: list[str] | None = None) -> list[str]:
        """Record that the given languages' texts (all by default) follow the current French.

        Languages without text stay missing. Returns the languages that changed state; saves
        (a recorded, versioned change) only if there is one.
        """
        self.source_digest = self.translation_spec.digest(self)
        confirmed = []
        for code in languages or target_languages():
            if self.translation_spec.state(self, code) == TranslationState.OUTDATED:
                setattr(self, marker_field(code), self.source_digest)
                confirmed.append(code)
        if confirmed:
            self._change_reason = "confirm:" + ",".join(confirmed)
            self.save()
        return confirmed
