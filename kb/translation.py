"""Per-language fields (modeltranslation): each field below gets _fr, _it and _en columns."""

from modeltranslation.translator import TranslationOptions, register

from kb.models import Article


@register(Article)
class ArticleTranslationOptions(TranslationOptions):
    fields = ("title", "slug", "summary", "body")
    # The source language must be filled; the others may wait for a translator.
    required_languages = {"fr": ("title", "slug")}
