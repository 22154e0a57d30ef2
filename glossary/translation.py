"""Per-language fields (modeltranslation): each field below gets _fr, _it and _en columns."""

from modeltranslation.translator import TranslationOptions, register

from glossary.models import Category, Term


@register(Category)
class CategoryTranslationOptions(TranslationOptions):
    fields = ("name", "slug", "description")
    # The source language must be filled; the others may wait for a translator.
    required_languages = ("fr",)


@register(Term)
class TermTranslationOptions(TranslationOptions):
    fields = ("name", "slug", "acronym", "summary", "definition", "synonyms", "hidden_labels")
    required_languages = {"fr": ("name", "slug")}
