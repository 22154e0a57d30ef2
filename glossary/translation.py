"""Per-language fields (modeltranslation): each field below gets _fr, _it and _en columns."""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from glossary.models import Category, Term


@register(Category)
class CategoryTranslationOptions(TranslationOptions):
    fields = ("name", "slug", "description")
    # The source language must be filled; the others may wait for a translator.
    required_languages = ("fr",)


@register(Term)
class TermTranslationOptions(TranslationOptions):
    fields = ("name", "slug", "acronym", "summary", "definition", "usage_note", "example")
    required_languages = {"fr": ("name", "slug")}


# History (django-simple-history) is registered here, after modeltranslation, so the historical
# tables copy the per-language columns (name_fr, name_it...): a model-level HistoricalRecords()
# would be built before those columns exist. TermRelation has no translated field: see models.py.
simple_history.register(Category)
simple_history.register(Term)
