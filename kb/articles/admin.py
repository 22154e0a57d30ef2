"""Admin for knowledge-base articles: tabbed translations, term autocomplete, view on site,
the glossary's history page with per-field diffs and restore, and its lost-update guard."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from glossary.admin import (
    DraftsOnlyDeleteMixin,
    HistoryAdminMixin,
    VersionedAdminForm,
    VersionedAdminMixin,
)
from kb.articles.models import Article
from kb.core.languages import language_codes


@admin.register(Article)
class ArticleAdmin(
    DraftsOnlyDeleteMixin, HistoryAdminMixin, VersionedAdminMixin, TabbedTranslationAdmin
):
    """Articles, like terms: only never-published drafts are deleted, no lost updates, history
    with restore and recovery of deleted drafts."""

    recover_label = _("Recover deleted articles")
    instead_of_deleting = _(
        "Published articles are never deleted: unpublish them instead, by setting their status "
        "back to “Draft”."
    )

    form = VersionedAdminForm
    list_display = ["__str__", "key", "status", "updated_at"]
    list_filter = ["status"]
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
