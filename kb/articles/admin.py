"""Admin for knowledge-base sections and articles: tabbed translations, term autocomplete,
view on site, the glossary's history page with per-field diffs and restore, and its
lost-update guard."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from glossary.admin import (
    DraftsOnlyDeleteMixin,
    HistoryAdminMixin,
    TranslationStatusAdminMixin,
    VersionedAdminForm,
    VersionedAdminMixin,
)
from kb.articles.models import Article, Section
from kb.core.languages import language_codes


@admin.register(Section)
class SectionAdmin(
    TranslationStatusAdminMixin, HistoryAdminMixin, VersionedAdminMixin, TabbedTranslationAdmin
):
    """Sections, like glossary categories: translation status included. One with articles
    cannot be deleted (PROTECT): its articles must first move to another section."""

    recover_label = _("Recover deleted sections")
    form = VersionedAdminForm
    list_display = ["__str__", "key", "position", "updated_at"]
    search_fields = [
        "key",
        *(f"{field}_{code}" for field in ("name", "description") for code in language_codes()),
    ]
    prepopulated_fields = {"key": ["name_fr"], "slug_fr": ["name_fr"]}
    readonly_fields = ["updated_at"]
    view_on_site = True


@admin.register(Article)
class ArticleAdmin(
    TranslationStatusAdminMixin,
    DraftsOnlyDeleteMixin,
    HistoryAdminMixin,
    VersionedAdminMixin,
    TabbedTranslationAdmin,
):
    """Articles, like terms: only never-published drafts are deleted, no lost updates, history
    with restore and recovery of deleted drafts, and the translation status (badges, filters,
    "confirm up to date" actions)."""

    recover_label = _("Recover deleted articles")
    instead_of_deleting = _(
        "Published articles are never deleted: unpublish them instead, by setting their status "
        "back to “Draft”."
    )

    form = VersionedAdminForm
    list_display = ["__str__", "key", "section", "status", "updated_at"]
    list_filter = ["status", "section"]
    list_select_related = ["section"]
    search_fields = [
        "key",
        *(f"{field}_{code}" for field in ("title", "summary") for code in language_codes()),
    ]
    prepopulated_fields = {"key": ["title_fr"], "slug_fr": ["title_fr"]}
    autocomplete_fields = ["related_terms"]
    readonly_fields = ["first_published_at", "created_at", "updated_at"]
    date_hierarchy = "updated_at"
    save_on_top = True
    view_on_site = True
