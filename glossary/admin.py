"""Admin for editors: tabbed translations, translation status, history with undo, no lost updates.

History, recovery of deleted terms, the lost-update guard and drafts-only deletion come from
kb.core.admin, shared with the articles' admin. Roles (kb/core/roles.py): editors may delete
drafts that were never published; published terms are deprecated instead.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import (
    HttpRequest,
    HttpResponse,
)
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.text import format_lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from glossary import translation_status
from glossary.labels import squeeze
from glossary.models import Category, Term, TermLabel, TermRelation, TermSource
from glossary.translation_status import TranslationState
from kb.core import history
from kb.core.admin import (
    DraftsOnlyDeleteMixin,
    HistoryAdminMixin,
    VersionedAdminForm,
    VersionedAdminMixin,
)
from kb.core.languages import language_codes, language_name
from kb.core.versioning import ConflictError

LANGUAGE_NAMES = dict(settings.LANGUAGES)  # lazy names, translated when displayed


def translated(*fields: str) -> list[str]:
    """Search every language's column of each field."""
    return [f"{field}_{code}" for field in fields for code in language_codes()]


# --- Translation status -----------------------------------------------------------------------

BADGE_LABELS = {
    TranslationState.COMPLETE: _("complete"),
    TranslationState.MISSING: _("missing"),
    TranslationState.OUTDATED: _("outdated"),
}


def badges(obj) -> str:
    """One badge per translated language: "IT complete", "EN outdated"... (a term, a category,
    an article: anything with `translation_states()`)."""
    return format_html_join(
        " ",
        '<span class="translation-badge translation-{}" title="{}">{} {}</span>',
        (
            (state.value, language_name(code), code.upper(), BADGE_LABELS[state])
            for code, state in obj.translation_states().items()
        ),
    )


class TranslationStateFilter(admin.SimpleListFilter):
    """ "Italian: missing", "English: outdated"...: one filter per translated language."""

    language = ""

    def lookups(self, request, model_admin):
        return [(state.value, BADGE_LABELS[state]) for state in TranslationState]

    def queryset(self, request, queryset):
        if self.value() in TranslationState.values:
            # Any model with a translation spec: terms, categories, articles.
            spec = queryset.model.translation_spec
            return queryset.filter(spec.filter_q(self.language, self.value()))
        return queryset


def state_filter(code: str) -> type[TranslationStateFilter]:
    return type(
        f"TranslationStateFilter_{code}",
        (TranslationStateFilter,),
        {
            "language": code,
            "parameter_name": f"translation_{code}",
            # Lazy: the title is read per request, in the editor's language.
            "title": format_lazy(_("{language} translation"), language=LANGUAGE_NAMES[code]),
        },
    )


def confirm_action(code: str):
    def action(modeladmin, request, queryset):
        confirmed = 0
        for obj in queryset:
            try:
                confirmed += bool(obj.confirm_translations([code]))
            except ConflictError:
                continue
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d %(language)s translation marked up to date.",
                "%(count)d %(language)s translations marked up to date.",
                confirmed,
            )
            % {"count": confirmed, "language": language_name(code)},
            messages.SUCCESS,
        )

    action.__name__ = f"confirm_translation_{code}"
    action.allowed_permissions = ("change",)
    action.short_description = _("Confirm the %(language)s translation is up to date") % {
        "language": language_name(code)
    }
    return action


class TranslationStatusAdminMixin:
    """Translation status in a model's admin, as terms have it: a badge per language in the list
    and on the form, a filter per language, and one "confirm up to date" action per language."""

    class Media:
        css = {"all": ["glossary/admin.css"]}

    def get_list_display(self, request):
        return [*super().get_list_display(request), "translations"]

    def get_list_filter(self, request):
        return [
            *super().get_list_filter(request),
            *(state_filter(code) for code in translation_status.target_languages()),
        ]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "translations"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.has_change_permission(request):
            for code in translation_status.target_languages():
                action = confirm_action(code)
                actions[action.__name__] = (action, action.__name__, action.short_description)
        return actions

    @admin.display(description=_("translations"))
    def translations(self, obj) -> str:
        if obj is None or obj.pk is None:
            return "—"
        return badges(obj)


class TermAdminForm(VersionedAdminForm):
    """The term form, with one "still up to date" checkbox per translated language."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code in translation_status.target_languages():
            self.fields[f"confirm_{code}"] = forms.BooleanField(
                required=False,
                label=_("The %(language)s text still matches the French")
                % {"language": language_name(code)},
                help_text=_(
                    "Tick after checking an outdated translation that needs no change: "
                    "it is then marked complete."
                ),
            )


# --- Model admins -----------------------------------------------------------------------------


class TermRelationInline(admin.TabularInline):
    model = TermRelation
    fk_name = "source"
    extra = 1
    autocomplete_fields = ["target"]
    verbose_name = _("relation")
    verbose_name_plural = _("relations (each is shown on both terms' pages)")


class TermLabelFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        """The same label twice in one language, even in two new rows, is one error message
        (the database would refuse the second row after the first was written)."""
        super().clean()
        seen = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data.get("text") or data.get("DELETE"):
                continue
            key = (data.get("language"), squeeze(data["text"]).casefold())
            if key in seen:
                form.add_error("text", gettext("This label is given twice in the same language."))
            seen.add(key)


class TermLabelInline(admin.TabularInline):
    model = TermLabel
    formset = TermLabelFormSet
    extra = 1
    fields = ["language", "text", "status", "type", "position"]
    verbose_name = _("other name")
    verbose_name_plural = _(
        "other names, per language: admitted ones are shown as “also called”, not recommended "
        "ones next to the preferred name, search-only ones never"
    )


class TermSourceInline(admin.StackedInline):
    model = TermSource
    extra = 0
    fields = [("author", "title", "year"), ("url", "language"), "note", "position"]
    verbose_name_plural = _("sources of the definition")


@admin.register(Category)
class CategoryAdmin(
    TranslationStatusAdminMixin, HistoryAdminMixin, VersionedAdminMixin, TabbedTranslationAdmin
):
    recover_label = _("Recover deleted categories")
    form = VersionedAdminForm
    list_display = ["__str__", "key", "position"]
    search_fields = ["key", *translated("name", "description")]
    prepopulated_fields = {"key": ["name_fr"]}


@admin.register(Term)
class TermAdmin(
    DraftsOnlyDeleteMixin, HistoryAdminMixin, VersionedAdminMixin, TabbedTranslationAdmin
):
    recover_label = _("Recover deleted terms")
    instead_of_deleting = _(
        "Published terms are never deleted: deprecate them instead. Set the status to "
        "“Deprecated”, or use the action “Deprecate selected published terms”, and choose the "
        "term that replaces it if there is one: its address then leads to the replacement, or "
        "explains that the term was withdrawn."
    )
    form = TermAdminForm
    list_display = ["__str__", "acronym", "category", "status", "translations", "updated_at"]
    list_filter = [
        "status",
        *(state_filter(code) for code in translation_status.target_languages()),
        "category",
        "is_trademark",
    ]
    list_select_related = ["category"]
    search_fields = ["key", "labels__text", *translated("name", "acronym", "summary")]
    prepopulated_fields = {"key": ["name_fr"], "slug_fr": ["name_fr"]}
    autocomplete_fields = ["replaced_by"]
    inlines = [TermLabelInline, TermSourceInline, TermRelationInline]
    readonly_fields = ["translations", "first_published_at", "created_at", "updated_at"]
    date_hierarchy = "updated_at"
    save_on_top = True
    change_form_template = "admin/glossary/term/change_form.html"
    change_list_template = "admin/glossary/term/change_list.html"

    class Media:
        css = {"all": ["glossary/admin.css"]}
        js = ["glossary/translation_badges.js"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        for code in translation_status.target_languages():
            action = confirm_action(code)
            actions[action.__name__] = (action, action.__name__, action.short_description)
        action = self.deprecate_selected
        actions["deprecate_selected"] = (
            action,
            "deprecate_selected",
            _("Deprecate selected published terms"),
        )
        return {
            name: value
            for name, value in actions.items()
            if self.has_change_permission(request) or name == "delete_selected"
        }

    @admin.display(description=_("translations"))
    def translations(self, term: Term) -> str:
        if term.pk is None:
            return "—"
        return badges(term)

    def deprecate_selected(self, modeladmin, request, queryset):
        if not self.has_change_permission(request):
            raise PermissionDenied
        count = 0
        for term in queryset.filter(status=Term.Status.PUBLISHED):
            term.status = Term.Status.DEPRECATED
            term.save()
            self.log_change(request, term, gettext("Deprecated"))
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d term deprecated: its address now explains it was withdrawn.",
                "%(count)d terms deprecated: their addresses now explain they were withdrawn.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    def recovered(self, request, obj, record) -> list[str]:
        """A recovered term gets back the links that were deleted with it."""
        count = TermRelation.objects.recover_deleted_with(obj, request.user)
        if not count:
            return []
        return [
            ngettext(
                "%(count)d relation that was deleted with it is back too.",
                "%(count)d relations that were deleted with it are back too.",
                count,
            )
            % {"count": count}
        ]

    def save_model(self, request, obj, form, change):
        for code in translation_status.target_languages():
            if form.cleaned_data.get(f"confirm_{code}") and translation_status.has_text(obj, code):
                setattr(obj, translation_status.marker_field(code), translation_status.digest(obj))
        super().save_model(request, obj, form, change)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None:
            context["translation_states"] = {
                code: {"state": state.value, "label": str(BADGE_LABELS[state])}
                for code, state in obj.translation_states().items()
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- Translation dashboard ---

    def get_urls(self):
        dashboard = self.admin_site.admin_view(self.translation_dashboard)
        return [
            path("translations/", dashboard, name="glossary_term_translations"),
            *super().get_urls(),
        ]

    def translation_dashboard(self, request: HttpRequest) -> HttpResponse:
        """Per language: counts, and the terms to translate or check, French text alongside."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        targets = translation_status.target_languages()
        language = request.GET.get("lang")
        if language not in targets:
            language = targets[0]
        terms = Term.objects.all()
        summary = [
            {
                "code": code,
                "name": language_name(code),
                "counts": translation_status.counts(terms, code),
                "url": f"?lang={code}",
                "is_current": code == language,
            }
            for code in targets
        ]
        todo = []
        for term in terms.filter(
            translation_status.missing_q(language) | translation_status.outdated_q(language)
        ).order_by("key"):
            state = translation_status.state(term, language)
            todo.append(
                {
                    "term": term,
                    "state": state.value,
                    "label": BADGE_LABELS[state],
                    "url": reverse("admin:glossary_term_change", args=[term.pk]),
                    "fields": [
                        {
                            "label": Term._meta.get_field(name).verbose_name,
                            "source": term.text(name, translation_status.source_language()),
                            "translation": term.text(name, language),
                        }
                        for name in translation_status.SOURCE_FIELDS
                    ],
                    "source_changes": (
                        french_changes_since_translation(term, language)
                        if state == TranslationState.OUTDATED
                        else []
                    ),
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "kinds": kinds_summary(request, self.admin_site, targets),
            "title": gettext("Translation dashboard"),
            "opts": self.model._meta,
            "summary": summary,
            "language": language,
            "language_name": language_name(language),
            "source_language_name": language_name(translation_status.source_language()),
            "todo": todo,
            "changelist_url": reverse("admin:glossary_term_changelist"),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/glossary/term/translations.html", context)


def kinds_summary(request: HttpRequest, site: admin.AdminSite, targets: list[str]) -> list[dict]:
    """Per kind of content that follows its translations (terms, categories, articles: any
    registered model with a `translation_spec`), the counts per language, one query per kind,
    with links to its list filtered by state. Kinds the user may not view are left out."""
    kinds = []
    for model in translation_status.tracked_models(site._registry):
        model_admin = site._registry[model]
        if not model_admin.has_view_or_change_permission(request):
            continue
        changelist = reverse(
            f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist",
            current_app=site.name,
        )
        queryset = model._default_manager.all()
        kinds.append(
            {
                "name": model._meta.verbose_name_plural,
                "key": model._meta.label_lower.replace(".", "-"),
                "rows": [
                    {
                        "code": code,
                        "name": language_name(code),
                        "counts": model.translation_spec.counts(queryset, code),
                        "url": changelist,
                    }
                    for code in targets
                ],
            }
        )
    return kinds


def french_changes_since_translation(term: Term, language: str) -> list[history.FieldChange]:
    """How the French text changed since `language` was translated from it (from the history)."""
    marker = getattr(term, translation_status.marker_field(language))
    then = term.history.filter(source_digest=marker).order_by("-history_date").first()
    now = term.history.order_by("-history_date", "-history_id").first()
    if then is None or now is None:
        return []
    source = translation_status.source_language()
    return [
        change
        for change in history.diff(then, now)
        if change.field in {f"{name}_{source}" for name in translation_status.SOURCE_FIELDS}
    ]


@admin.register(TermRelation)
class TermRelationAdmin(HistoryAdminMixin, admin.ModelAdmin):
    recoverable = False  # a term's links come back with the term (TermAdmin.recovered)
    list_display = ["source", "type", "target"]
    list_filter = ["type"]
    autocomplete_fields = ["source", "target"]
    search_fields = [*(f"source__{f}" for f in translated("name")), "source__key", "target__key"]
    list_select_related = ["source", "target"]
