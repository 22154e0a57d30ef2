"""Request guards that apply to every page."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
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
