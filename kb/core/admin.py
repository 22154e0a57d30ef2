"""Admin pieces every app's editors share.

- `HistoryAdminMixin`: the "History" page shows every version with who, when and a per-field,
  per-language diff, and a restore button per version (kb/core/history.py does the work);
- `VersionedAdminForm` and `VersionedAdminMixin`: the form carries the version it was opened at;
  a save over a newer version is refused with what changed in between (versioning.VersionedModel);
- `DraftsOnlyDeleteMixin`: published content is never deleted from the admin.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kb.core import history
from kb.core.versioning import ConflictError

# --- No lost updates ---------------------------------------------------------------------------


def conflict_message(obj, opened_version: int) -> str:
    """HTML naming who changed `obj` since `opened_version`, and what, field by field."""
    changes = history.changes_since(obj, opened_version)
    who = ", ".join(history.editors_since(obj, opened_version)) or gettext("someone else")
    intro = format_html(
        "{} {}",
        gettext(
            "%(who)s saved this %(model)s after you opened it: your changes were not saved, "
            "and nothing was overwritten."
        )
        % {"who": who, "model": obj._meta.verbose_name},
        gettext("Reload the page to see the current text, then make your changes again."),
    )
    if not changes:
        return intro
    items = format_html_join(
        "",
        "<li><strong>{}{}</strong>: {}</li>",
        (
            (
                change.label,
                f" ({change.language})" if change.language else "",
                change.diff_html,
            )
            for change in changes
        ),
    )
    return format_html(
        '{}<br>{}<ul class="conflict-changes">{}</ul>',
        intro,
        gettext("Changed in the meantime:"),
        items,
    )


class VersionedAdminForm(forms.ModelForm):
    """Carries the version the editor opened; refuses to save over a newer one."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def clean(self):
        cleaned = super().clean()
        opened = cleaned.get("version")
        if self.instance.pk is None:
            cleaned["version"] = 1
        elif opened is None:
            raise ValidationError(
                _("This form does not say which version it edits: reload the page."),
                code="conflict",
            )
        else:
            saved = (
                type(self.instance)
                ._base_manager.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if saved is not None and saved != opened:
                raise ValidationError(conflict_message(self.instance, opened), code="conflict")
        return cleaned


class VersionedAdminMixin:
    """Turns a ConflictError raised at save time (a race the form check missed) into a message.

    The admin's change view runs in a transaction, so the rolled-back save wrote nothing.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ConflictError as error:
            self.message_user(
                request, conflict_message(error.instance, error.expected_version), messages.ERROR
            )
            return HttpResponseRedirect(request.get_full_path())


# --- History and undo -------------------------------------------------------------------------


class HistoryAdminMixin:
    """Replaces the admin "History" page with the recorded versions, their diffs and a restore
    button. The model must be tracked by django-simple-history (`obj.history`)."""

    object_history_template = "admin/core/object_history.html"

    def get_urls(self):
        opts = self.model._meta
        restore = self.admin_site.admin_view(self.restore_view)
        return [
            path(
                "<path:object_id>/history/<int:history_id>/restore/",
                restore,
                name=f"{opts.app_label}_{opts.model_name}_restore",
            ),
            *super().get_urls(),
        ]

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.model._meta, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("History: %(object)s") % {"object": obj},
            "subtitle": None,
            "entries": history.history_entries(obj),
            "module_name": str(opts.verbose_name_plural).capitalize(),
            "object": obj,
            "opts": opts,
            "can_restore": self.has_change_permission(request, obj),
            "restore_url_name": f"admin:{opts.app_label}_{opts.model_name}_restore",
            "preserved_filters": self.get_preserved_filters(request),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.object_history_template, context)

    def restore_view(self, request, object_id, history_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        record = get_object_or_404(obj.history.all(), history_id=history_id)
        history_url = reverse(
            f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_history",
            args=[obj.pk],
            current_app=self.admin_site.name,
        )
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                restored = history.restore(record, request.user)
        except (history.RestoreError, ConflictError) as error:
            message = (
                gettext("The term changed while restoring; try again.")
                if isinstance(error, ConflictError)
                else str(error)
            )
            self.message_user(
                request,
                gettext("This version could not be restored: %(reason)s") % {"reason": message},
                messages.ERROR,
            )
            return HttpResponseRedirect(history_url)
        self.log_change(request, restored, gettext("Restored version #%(id)s") % {"id": history_id})
        self.message_user(
            request,
            gettext("The version of %(date)s is the current one again (as version %(version)s).")
            % {
                "date": formats.date_format(record.history_date, "DATETIME_FORMAT"),
                "version": getattr(restored, "version", "") or "",
            },
            messages.SUCCESS,
        )
        return HttpResponseRedirect(history_url)


# --- Deletion of drafts only ---------------------------------------------------------------


class DraftsOnlyDeleteMixin:
    """Only drafts can be deleted, whoever asks and however (delete page, bulk action, POST).

    Published content has readers and links: terms are deprecated instead, articles go back
    to draft first. The model needs a `status` with a DRAFT member.
    """

    refused_deletion = _("published content (unpublish or deprecate it instead)")

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.status == obj.Status.DRAFT)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if any(obj.status != obj.Status.DRAFT for obj in objs):
            perms_needed = {*perms_needed, str(self.refused_deletion)}
        return deleted, counts, perms_needed, protected

    def delete_model(self, request, obj):
        if obj.status != obj.Status.DRAFT:
            raise PermissionDenied
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        if queryset.exclude(status=queryset.model.Status.DRAFT).exists():
            raise PermissionDenied
        super().delete_queryset(request, queryset)
