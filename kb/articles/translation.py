"""Per-language fields (modeltranslation): each field below gets _fr, _it and _en columns."""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from kb.articles.models import Article, Section


@register(Section)
class SectionTranslationOptions(TranslationOptions):
    fields = ("name", "slug", "description")
    required_languages = {"fr": ("name", "slug")}


@register(Article)
class ArticleTranslationOptions(TranslationOptions):
    fields = ("title", "slug", "summary", "body")
    # The source language must be filled; the others may wait for a translator.
    required_languages = {"fr": ("title", "slug")}


# History after modeltranslation, so the historical table has every language's columns
# (kb/core/history.py shows the diffs and restores earlier versions).
simple_history.register(Section)
simple_history.register(Article, table_name="kb_historicalarticle")
