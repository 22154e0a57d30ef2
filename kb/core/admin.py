"""Admin pieces every app's editors share.

- `HistoryAdminMixin`: the "History" page shows every version with who, when and a per-field,
  per-language diff, and a restore button per version; the "Recover deleted" page lists the
  objects deleted and still gone, and brings one back (kb/core/history.py does the work);
- `VersionedAdminForm` and `VersionedAdminMixin`: the form carries the version it was opened at;
  a save over a newer version is refused with what changed in between (versioning.VersionedModel);
- `DraftsOnlyDeleteMixin`: content that was ever published is never deleted; the editor is told
  why and what to do instead (kb/core/publishing.py refuses it at the model layer too).
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.utils import unquote
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
    change_list_template = "admin/core/change_list.html"
    recover_list_template = "admin/core/recover_list.html"
    # False where recovering on its own makes no sense (a term's links come back with the term).
    recoverable = True
    recover_label = _("Recover deleted entries")  # each admin names its own objects

    def get_urls(self):
        opts = self.model._meta
        prefix = f"{opts.app_label}_{opts.model_name}"
        restore = self.admin_site.admin_view(self.restore_view)
        urls = [
            path(
                "<path:object_id>/history/<int:history_id>/restore/",
                restore,
                name=f"{prefix}_restore",
            ),
        ]
        if self.recoverable:
            urls += [
                path(
                    "recover/",
                    self.admin_site.admin_view(self.recover_list_view),
                    name=f"{prefix}_recover_list",
                ),
                path(
                    "recover/<int:history_id>/",
                    self.admin_site.admin_view(self.recover_view),
                    name=f"{prefix}_recover",
                ),
            ]
        return [*urls, *super().get_urls()]

    def _url(self, name: str, *args) -> str:
        opts = self.model._meta
        return reverse(
            f"admin:{opts.app_label}_{opts.model_name}_{name}",
            args=args,
            current_app=self.admin_site.name,
        )

    def changelist_view(self, request, extra_context=None):
        context = {}
        if self.recoverable:
            context = {
                "recover_list_url": self._url("recover_list"),
                "recover_list_label": self.recover_label,
            }
        return super().changelist_view(request, {**context, **(extra_context or {})})

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

    # --- Recovering deleted objects ---

    def recover_list_view(self, request):
        """The objects deleted and still gone, newest deletion first, each with a recover button."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        opts = self.model._meta
        entries = [
            {
                "record": record,
                "name": str(record.instance),
                "status": record.get_status_display() if hasattr(record, "status") else "",
                "recover_url": self._url("recover", record.history_id),
            }
            for record in history.deleted_records(self.model)
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": self.recover_label,
            "subtitle": None,
            "entries": entries,
            "module_name": str(opts.verbose_name_plural).capitalize(),
            "opts": opts,
            "can_recover": self.has_add_permission(request),
            "has_status": any(field.name == "status" for field in opts.concrete_fields),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.recover_list_template, context)

    def recover_view(self, request, history_id):
        """POST: bring the deleted object of deletion record `history_id` back, then open it."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_add_permission(request):
            raise PermissionDenied
        record = get_object_or_404(
            self.model.history.filter(history_type="-"), history_id=history_id
        )
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                obj = history.recover(record, request.user)
                also = self.recovered(request, obj, record)
        except history.RestoreError as error:
            self.message_user(
                request,
                gettext("“%(object)s” could not be recovered: %(reason)s")
                % {"object": record.instance, "reason": error},
                messages.ERROR,
            )
            return HttpResponseRedirect(self._url("recover_list"))
        self.log_addition(request, obj, gettext("Recovered after its deletion"))
        self.message_user(
            request,
            " ".join(
                [
                    gettext("“%(object)s” is back, as it was when it was deleted.")
                    % {"object": obj},
                    *also,
                ]
            ),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(self._url("change", obj.pk))

    def recovered(self, request, obj, record) -> list[str]:
        """Hook: bring back what went with `obj` (a term's links...); returns sentences to show."""
        return []


# --- Deletion of never-published drafts only ----------------------------------------------------


def delete_never_published(modeladmin, request, queryset):
    """The "Delete selected" action, refused with the reason if the selection holds anything
    that was ever published; nothing is deleted then."""
    published = [obj for obj in queryset if obj.was_published]
    if published:
        return modeladmin.deletion_refused(request, published)
    return delete_selected(modeladmin, request, queryset)


delete_never_published.allowed_permissions = ("delete",)


class DraftsOnlyDeleteMixin:
    """Only drafts that were never published can be deleted: delete page, bulk action, POST.

    Published content has readers and links: terms are deprecated instead, articles are
    unpublished. A draft that was once published is refused too (`was_published`, from
    kb.core.publishing.PublishedOnceModel, which the model layer enforces as well); the editor
    gets a page saying why and what to do instead (`instead_of_deleting`).
    """

    deletion_refused_template = "admin/core/deletion_refused.html"
    instead_of_deleting = _(
        "Published content is never deleted: unpublish it instead, by setting its status back "
        "to Draft."
    )

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or not obj.was_published)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            _function, name, description = actions["delete_selected"]
            actions["delete_selected"] = (delete_never_published, name, description)
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and obj.was_published and super().has_delete_permission(request, obj):
            return self.deletion_refused(request, [obj])
        return super().delete_view(request, object_id, extra_context)

    def deletion_refused(self, request, objects: list) -> TemplateResponse:
        """403: a page naming what was published and cannot be deleted, and what to do instead."""
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": (
                gettext("“%(object)s” cannot be deleted") % {"object": objects[0]}
                if len(objects) == 1
                # Translators: always two or more.
                else gettext("%(count)d %(objects)s cannot be deleted")
                % {"count": len(objects), "objects": opts.verbose_name_plural}
            ),
            "subtitle": None,
            "opts": opts,
            "objects": [
                {"object": obj, "url": self._change_url(obj), "published": obj.first_published_at}
                for obj in objects
            ],
            "instead": self.instead_of_deleting,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.deletion_refused_template, context, status=403)

    def _change_url(self, obj) -> str:
        opts = self.model._meta
        return reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change",
            args=[obj.pk],
            current_app=self.admin_site.name,
        )

    def delete_model(self, request, obj):
        if obj.was_published:
            raise PermissionDenied
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        if any(obj.was_published for obj in queryset):
            raise PermissionDenied
        super().delete_queryset(request, queryset)
