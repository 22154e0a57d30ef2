"""The JSON API at /api/v1/ (django-ninja, which also serves /api/v1/openapi.json).

Every error has the same shape, {"error": {"code", "message"}} (kb.core.api.ErrorOut, which
each operation declares for its 4xx answers), so other tools can rely on it; messages follow
the `lang` parameter, else the Accept-Language header.
"""

from csp.decorators import csp_update
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from glossary.api import router as glossary_router
from glossary.export_api import router as export_router
from glossary.search.api import router as search_router
from kb.core.api import page_out_of_range, unknown_language
from kb.core.languages import language_codes
from kb.nps.api import router as nps_router

api = NinjaAPI(
    title="CRM Glossary API",
    version="1",
    description="Read the multilingual CRM glossary (fr, it, en).",
    urls_namespace="api",
    # Swagger UI (/api/v1/docs, served from our static files) draws its icons as data: images.
    docs_decorator=csp_update({"img-src": ["data:"]}),
)
api.add_router("/terms/", glossary_router)
api.add_router("/", export_router)
api.add_router("/", search_router)
api.add_router("/", nps_router)


def error_response(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    return api.create_response(
        request, {"error": {"code": code, "message": message}}, status=status
    )


# Pydantic's error types for a number outside a Field's ge/le bounds.
_OUT_OF_RANGE = {"greater_than_equal", "less_than_equal"}


def requested_language(request: HttpRequest) -> str:
    """The `lang` parameter if it names a site language, else the request's language."""
    lang = request.GET.get("lang", "")
    return lang if lang in language_codes() else translation.get_language()


@api.exception_handler(ValidationError)
def invalid_parameters(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """400 for parameters the routers' Schemas refuse, before any view runs.

    The parameters every router shares (kb.core.api's Language and Page) keep their own codes.
    """
    locations = [tuple(error.get("loc", ()))[:2] for error in exc.errors]
    fields = sorted({str(location[1]) for location in locations if len(location) > 1} - {""})
    with translation.override(requested_language(request)):
        if ("query", "lang") in locations:
            lang = request.GET.get("lang", "")
            return error_response(request, 400, "invalid_language", unknown_language(lang))
        if fields == ["page"] and all(error.get("type") in _OUT_OF_RANGE for error in exc.errors):
            return error_response(request, 400, "invalid_page", page_out_of_range())
        message = _("Invalid parameters: %(fields)s.") % {"fields": ", ".join(fields) or "?"}
        return error_response(request, 400, "invalid_parameters", message)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, "not_found", str(exc) or _("Not found."))


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = getattr(exc, "code", None) or "error"
    return error_response(request, exc.status_code, code, str(exc))
