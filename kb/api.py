"""The JSON API at /api/v1/ (django-ninja, which also serves /api/v1/openapi.json).

Every error has the same shape, {"error": {"code", "message"}}, so other tools can rely on
it; messages follow the `lang` parameter, else the Accept-Language header.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from glossary.api import router as glossary_router
from glossary.export_api import router as export_router
from glossary.search_api import router as search_router
from kb.nps.api import router as nps_router

api = NinjaAPI(
    title="CRM Glossary API",
    version="1",
    description="Read the multilingual CRM glossary (fr, it, en).",
    urls_namespace="api",
)
api.add_router("/terms/", glossary_router)
api.add_router("/", export_router)
api.add_router("/", search_router)
api.add_router("/", nps_router)


def error_response(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    return api.create_response(
        request, {"error": {"code": code, "message": message}}, status=status
    )


@api.exception_handler(ValidationError)
def invalid_parameters(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields = sorted(
        {str(part) for error in exc.errors for part in error.get("loc", [])[1:2]} - {""}
    )
    message = _("Invalid parameters: %(fields)s.") % {"fields": ", ".join(fields) or "?"}
    return error_response(request, 400, "invalid_parameters", message)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, "not_found", str(exc) or _("Not found."))


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = getattr(exc, "code", None) or "error"
    return error_response(request, exc.status_code, code, str(exc))
