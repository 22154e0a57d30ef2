"""Request guards: NUL bytes refused on admin URLs; for the admin's login throttling
(django-axes), the page a refused login gets (the address it counts: kb/core/addresses.py)."""

import math
from collections.abc import Callable

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _

ADMIN_PREFIX = "/admin/"


class RejectNulBytesMiddleware:
    """Answer 400 to an admin URL or query string holding a NUL character.

    PostgreSQL refuses NUL bytes in text with an error, and the admin hands its query string to
    the database (list filters, search), so a hand-typed `?status=%00` would end in a 500. Public
    pages and the API clean or validate their own parameters and answer in their own format.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(ADMIN_PREFIX):
            return self.get_response(request)
        query = request.GET
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in query.getlist(key)) for key in query
        ):
            return HttpResponseBadRequest(
                _("Bad request: the address contains a NUL character."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """The admin page a refused login gets (429), in the visitor's language, saying how long
    to wait (settings.AXES_LOCKOUT_CALLABLE)."""
    context = {
        **admin.site.each_context(request),
        "title": _("Too many failed logins"),
        "minutes": math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60),
    }
    return render(request, "admin/lockout.html", context, status=429)
