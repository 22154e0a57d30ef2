"""Glossary exports downloaded by editors from the admin (/admin/glossary-export/<format>/)."""

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from glossary.interchange import FORMATS
from glossary.interchange.backup import export_document, write

CONTENT_TYPES = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "json": ("application/json; charset=utf-8", "json"),
    "skos": ("text/turtle; charset=utf-8", "ttl"),
    "tbx": ("application/x-tbx+xml; charset=utf-8", "tbx"),
}


@require_safe
@staff_member_required
def download(request: HttpRequest, format: str) -> HttpResponse:
    """The whole content (drafts and deprecated terms included) as an attachment; JSON is the
    complete backup that glossary_import restores."""
    if format not in FORMATS:
        raise Http404
    if not request.user.has_perm("glossary.view_term"):
        raise PermissionDenied
    content_type, extension = CONTENT_TYPES[format]
    text = write(format, export_document())
    response = HttpResponse(text, content_type=content_type)
    filename = f"glossary-{timezone.localdate():%Y-%m-%d}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
