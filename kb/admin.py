"""Admin for knowledge-base articles: tabbed translations, term autocomplete, view on site."""

from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

from glossary.languages import language_codes
from kb.models import Article


@admin.register(Article)
class ArticleAdmin(TabbedTranslationAdmin):
    list_display = ["__str__", "key", "status", "updated_at"]
    list_filter = ["status"]
    search_fields = [
        "key",
        *(f"{field}_{code}" for field in ("title", "summary") for code in language_codes()),
    ]
    prepopulated_fields = {"key": ["title_fr"], "slug_fr": ["title_fr"]}
    autocomplete_fields = ["related_terms"]
    readonly_fields = ["created_at", "updated_at"]
    date_hierarchy = "updated_at"
    save_on_top = True
    view_on_site = True
