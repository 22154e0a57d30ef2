"""What every router of the JSON API shares: the error body, its exception, `lang` and `page`.

The site package (kb.api) mounts the routers and turns errors into responses; the routers
declare their answers with these types so that /api/v1/openapi.json documents them all.
"""

from typing import Annotated, Literal

from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import HttpError

from kb.core.languages import language_codes

# The last page any list may be asked for: deeper pages of a glossary are a mistake or a scan.
MAX_PAGE = 100_000

# The `lang` parameter: an enum of settings.LANGUAGES in the OpenAPI document.
Language = Literal[tuple(language_codes())]  # type: ignore[valid-type]
Page = Annotated[int, Field(ge=1, le=MAX_PAGE, description="1 for the first page.")]


class ErrorDetail(Schema):
    code: str = Field(examples=["invalid_parameters", "invalid_language", "not_found"])
    message: str = Field(description="In the language of `lang`, else of Accept-Language.")


class ErrorOut(Schema):
    """Every error of the API: ``{"error": {"code", "message"}}``, with more keys for some."""

    error: ErrorDetail


class ApiError(HttpError):
    """An HTTP error with a stable machine-readable code, answered as an `ErrorOut`."""

    def __init__(self, status_code: int, code: str, message: str) -> None:
        super().__init__(status_code, message)
        self.code = code


def unknown_language(value: str) -> str:
    """The message for a `lang` that is not one of the site's languages."""
    return _("Unknown language %(lang)s: use one of %(codes)s.") % {
        "lang": repr(value[:20]),
        "codes": ", ".join(language_codes()),
    }


def page_out_of_range() -> str:
    """The message for a `page` below 1 or above MAX_PAGE."""
    return _("The page number must be between 1 and %(max)s.") % {"max": MAX_PAGE}
