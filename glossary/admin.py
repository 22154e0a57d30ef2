"""Admin for editors: tabbed translations, search across languages, relation autocomplete."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from glossary.languages import language_codes
from glossary.models import Category, Term, TermRelation


def translated(*fields: str) -> list[str]:
    """Search every language's column of each field."""
    return [f"{field}_{code}" for field in fields for code in language_codes()]


class TermRelationInline(admin.TabularInline):
    model = TermRelation
    fk_name = "source"
    extra = 1
    autocomplete_fields = ["target"]
    verbose_name = _("relation")
    verbose_name_plural = _("relations (each is shown on both terms' pages)")


@admin.register(Category)
class CategoryAdmin(TabbedTranslationAdmin):
    list_display = ["__str__", "key", "position"]
    search_fields = ["key", *translated("name", "description")]
    prepopulated_fields = {"key": ["name_fr"]}


@admin.register(Term)
class TermAdmin(TabbedTranslationAdmin):
    list_display = ["__str__", "acronym", "category", "status", "updated_at"]
    list_filter = ["status", "category", "is_trademark"]
    list_select_related = ["category"]
    search_fields = ["key", *translated("name", "acronym", "synonyms", "hidden_labels", "summary")]
    prepopulated_fields = {"key": ["name_fr"], "slug_fr": ["name_fr"]}
    inlines = [TermRelationInline]
    readonly_fields = ["created_at", "updated_at"]
    date_hierarchy = "updated_at"
    save_on_top = True


@admin.register(TermRelation)
class TermRelationAdmin(admin.ModelAdmin):
    list_display = ["source", "type", "target"]
    list_filter = ["type"]
    autocomplete_fields = ["source", "target"]
    search_fields = [*(f"source__{f}" for f in translated("name")), "source__key", "target__key"]
    list_select_related = ["source", "target"]
