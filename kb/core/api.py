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

# The `lang` parameter, built from settings.LANGUAGES so that the OpenAPI enum cannot drift
# from the site's languages (a Literal of a tuple is the Literal of its items).
Language = Literal[tuple(language_codes())]  # type: ignore[valid-type]  # built at run time
Page = Annotated[int, Field(ge=1, le=MAX_PAGE, description="1 for the first page.")]


class ErrorDetail(Schema):
    code: str = Field(examples=["invalid_parameters", "invalid_language", "not_found"])
    message: str = Field(description="In the language of `lang`, else of Accept-Language.")


class ErrorOut(Schema):
    """Every error of the API: ``{"error": {"code", "message"}}``.

    An operation whose errors say more (the NPS calculator adds the field and position at
    fault) documents a subclass of ErrorDetail; other keys are allowed by this schema too.
    """

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
