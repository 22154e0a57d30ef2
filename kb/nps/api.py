"""``POST /api/v1/nps``: the calculator as JSON, for other tools and for the page's own script.

The body is read by ``kb.nps.read_sample``, the reader of the page and the command, rather than
validated by ninja: every problem must come back as ``{"error": {"code", "message",
"position", "value", ...}}`` with the codes of ``kb.nps`` (a 5,000-digit number is
"count_too_large", not a validation dump), and a million scores (3 MB) must fit although
Django stops ``request.body`` at 2.5 MB. The Schemas below describe the body, the result and
the errors in /api/v1/openapi.json; ``TOP_FIELDS`` comes from them, so the reader cannot
accept a field the document does not list.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from fractions import Fraction
from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.formats import get_format
from ninja import Field, Router, Schema
from pydantic import ConfigDict

from kb import nps
from kb.core.languages import language_codes
from kb.nps import presentation
from kb.nps.links import term_urls
from kb.nps.messages import error_message

router = Router(tags=["nps"])

# A million scores written as a JSON array take about 3 MB; 8 MB leaves room for spaces.
MAX_BODY_BYTES = 8 * 1024 * 1024
# Longer integers are absurd as counts or scores; kept as text, kb.nps reports them as such.
_MAX_INT_DIGITS = 20

Lang = Literal[tuple(language_codes())]  # type: ignore[valid-type]
Count = Annotated[
    Annotated[int, Field(ge=0, le=nps.MAX_COUNT)] | Annotated[str, Field(max_length=40)],
    Field(description='A whole number of responses, or as typed in fr/it/en ("1 234").'),
]
Score = Annotated[int, Field(ge=0, le=10)]
_ONE_SAMPLE_FORM = {
    "anyOf": [{"required": [name]} for name in ("promoters", "passives", "detractors")]
    + [{"required": ["distribution"]}, {"required": ["scores"]}]
}


class SampleIn(Schema):
    """One sample: the three counts (a missing one is 0); or eleven counts, one per score
    0-10; or the raw scores. Exactly one of these forms."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_ONE_SAMPLE_FORM)

    promoters: Count = None  # type: ignore[assignment]
    passives: Count = None  # type: ignore[assignment]
    detractors: Count = None  # type: ignore[assignment]
    distribution: Annotated[list[Count], Field(min_length=11, max_length=11)] = None  # type: ignore[assignment]
    scores: (
        Annotated[
            list[Annotated[int, Field(ge=0, le=10)] | str | None], Field(max_length=nps.MAX_ROWS)
        ]
        | Annotated[str, Field(max_length=nps.MAX_BYTES)]
    ) = Field(
        None,
        description='A JSON array of scores 0-10 (null or "" for a blank answer, skipped), '
        "or a text pasted from a spreadsheet.",
    )


class RenderOptions(Schema):
    target: str | float | None = Field(None, description="The page's target box, as typed.")
    margin: str | float | None = Field(None, description="The page's margin box, as typed.")


class NpsIn(SampleIn):
    """The request body: one sample, optionally a second one and options."""

    compare: SampleIn = Field(None, description="A second sample to compare with.")
    confidence: Literal[0.9, 0.95, 0.99] = Field(
        0.95, description="Also read as a percentage: 90, 95, 99."
    )
    decimals: int = Field(
        0,
        ge=nps.DECIMALS[0],
        le=nps.DECIMALS[-1],
        description="Places of `nps_display` (and of the rendered result).",
    )
    target: float = Field(
        None,
        ge=-100,
        le=100,
        description="Target NPS, at most two decimals: adds `promoters_needed`.",
    )
    margin: float = Field(
        None,
        gt=0,
        le=100,
        description="Margin in points, at most two decimals (0.01 to 100): adds `sample_size`.",
    )
    render: bool | RenderOptions = Field(
        False,
        description="true, or the page's {target, margin} as typed: adds `html`, the result as "
        "the calculator page shows it, in the language of `lang`.",
    )


TOP_FIELDS = frozenset(NpsIn.model_fields)


class IntervalOut(Schema):
    model_config = ConfigDict(extra="forbid")
    method: Literal["adjusted_wald"]
    confidence: float
    centre: float
    lower: float
    upper: float
    margin: float
    clipped: bool = Field(description="A bound was cut at -100 or +100.")


class WaldOut(Schema):
    model_config = ConfigDict(extra="forbid")
    lower: float
    upper: float
    margin: float
    se: float


class PercentagesOut(Schema):
    model_config = ConfigDict(extra="forbid")
    promoters: int
    passives: int
    detractors: int


class WarningOut(Schema):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(examples=["decimal_score", "column_guessed", "encoding_fallback"])
    message: str
    count: int
    line: int | None
    column: str | int | None
    position: int | None
    value: str | None
    params: dict[str, Any]


class ComparisonOut(Schema):
    """This sample (A) minus the second one (B), adjusted Wald; the sign is kept."""

    model_config = ConfigDict(extra="forbid")
    confidence: float
    difference: float = Field(description="theta'_A - theta'_B, in points.")
    nps_difference: float = Field(description="The raw scores' difference, for display.")
    se: float = Field(description="Standard error of the difference, in points.")
    z: float
    p_value: float = Field(description="Two-sided.")
    lower: float = Field(description="Lower bound of the difference's interval.")
    upper: float = Field(description="Upper bound of the difference's interval.")
    significant: bool = Field(description="The interval excludes 0.")


class SampleOut(Schema):
    model_config = ConfigDict(extra="forbid")
    nps: float = Field(description="The exact NPS rounded to 4 decimals, -100..100.")
    nps_display: str = Field(examples=["+45", "-9", "0"])
    n: int
    promoters: int
    passives: int
    detractors: int
    skipped: int = Field(description="Blank answers, not counted in n.")
    percentages: PercentagesOut = Field(description="Whole percents adding up to 100.")
    small_sample: bool = Field(description="n < 30.")
    interval: IntervalOut
    wald: WaldOut
    warnings: list[WarningOut]


class PromotersNeededOut(Schema):
    model_config = ConfigDict(extra="forbid")
    target: float
    reachable: bool
    additional: int | None
    nps_after: float | None


class SampleSizeOut(Schema):
    model_config = ConfigDict(extra="forbid")
    margin: float
    confidence: float
    worst_case: int
    with_these_shares: int


class NpsOut(SampleOut):
    """The result: `manage.py nps --json` prints the same object (without the extras)."""

    compare: SampleOut | None = Field(None, description="The second sample's own result.")
    comparison: ComparisonOut | None = None
    promoters_needed: PromotersNeededOut | None = None
    sample_size: SampleSizeOut | None = None
    html: str | None = Field(None, description="When `render` was given.")


class NpsErrorDetail(Schema):
    code: str = Field(examples=["invalid_score", "no_responses", "invalid_language"])
    message: str = Field(description="In the language of `lang`, else of Accept-Language.")
    position: int | None = None
    value: str | None = Field(None, description="The offending value, as a short repr.")
    field: str | None = Field(None, examples=["promoters", "compare.scores"])
    line: int | None = None
    column: str | int | None = None


class NpsErrorOut(Schema):
    error: NpsErrorDetail


def _inline(schema: dict) -> dict:
    """The JSON schema with its $defs written in place, for the operation's requestBody."""
    defs = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return resolve(defs[ref.removeprefix("#/$defs/")])
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    return resolve(schema)


REQUEST_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": _inline(NpsIn.model_json_schema()),
            "example": {"promoters": 60, "passives": 25, "detractors": 15},
        }
    },
}


def _problem(
    code: str, *, field: str | None = None, value: object = ..., **params: Any
) -> nps.NpsError:
    return nps.NpsError(code, code.replace("_", " "), field=field, value=value, params=params)


def _parse_int(text: str) -> int | str:
    return int(text) if len(text.lstrip("-")) <= _MAX_INT_DIGITS else text


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def read_body(request: HttpRequest) -> dict:
    """The request's JSON object; raises ``NpsError`` for anything else."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_BODY_BYTES:
        raise _problem("body_too_large", limit=MAX_BODY_BYTES)
    # Read the stream ourselves: request.body stops at DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB),
    # less than a million scores.
    body = request.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        raise _problem("body_too_large", limit=MAX_BODY_BYTES)
    try:
        data = json.loads(body, parse_int=_parse_int, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError included
        raise _problem("invalid_json") from None
    if not isinstance(data, dict):
        raise _problem("invalid_request")
    for key in data:
        if key not in TOP_FIELDS:
            raise _problem("unknown_field", field=key, value=key)
    return data


def _extras(result: nps.Result, data: dict) -> dict:
    extras: dict[str, Any] = {}
    if "target" in data:
        needed = nps.promoters_needed(result.counts, _number(data["target"], nps.parse_target))
        extras["promoters_needed"] = {
            "target": float(needed.target),
            "reachable": needed.reachable,
            "additional": needed.additional,
            "nps_after": (
                float(nps.round_half_away(needed.nps_after, 4))
                if needed.nps_after is not None
                else None
            ),
        }
    if "margin" in data:
        margin = _number(data["margin"], nps.parse_margin)
        extras["sample_size"] = {
            "margin": float(margin),
            "confidence": result.confidence,
            "worst_case": nps.sample_size(margin, result.confidence),
            "with_these_shares": nps.sample_size(margin, result.confidence, expected=result.counts),
        }
    return extras


def _number(value: object, parse: Callable[[object], Fraction]) -> Fraction:
    """Targets and margins are JSON numbers read by kb.nps's rule (``parse_target``,
    ``parse_margin``); strings, booleans and the like are refused with the same error."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        value = None  # which ``parse`` refuses with its own code
    return parse(value)


def compute(data: dict) -> nps.Result:
    """The result for a request body already read by ``read_body``."""
    sample = nps.read_sample(data)
    other = nps.read_sample(data["compare"], prefix="compare.") if "compare" in data else None
    decimals = data.get("decimals", 0)
    if type(decimals) is not int:  # JSON numbers only: "2" is refused, as documented
        raise _problem("invalid_decimals", field="decimals", value=decimals)
    return nps.analyse(sample, other, data.get("confidence", 0.95), decimals=decimals)


def error_response(request: HttpRequest, error: nps.NpsError) -> HttpResponse:
    detail = error.to_dict() | {"message": error_message(error, include_field=True)}
    del detail["params"]  # details for the translated message, already in it
    return JsonResponse({"error": detail}, status=400)


@router.post(
    "/nps",
    url_name="nps",
    summary="Compute a Net Promoter Score",
    description=(
        "Send counts, a distribution of eleven counts or the raw scores, optionally a second "
        "sample under `compare` and a `confidence` of 0.90, 0.95 or 0.99. Returns the exact NPS, "
        "its adjusted-Wald interval, the plain Wald interval and, when comparing, the "
        "difference with its p-value. `manage.py nps --json` prints the same object. Every "
        "problem with the body is a 400 with its `code`, the `field` and, where it applies, the "
        "`position`/`line`/`column` and the `value`; an unknown `lang` is a 400 too."
    ),
    response={200: NpsOut, 400: NpsErrorOut},
    openapi_extra={"requestBody": REQUEST_BODY},
)
def score(request: HttpRequest, lang: Lang = None) -> HttpResponse:  # type: ignore[assignment]
    """Messages (and the rendered result) in ``lang``, else in the request's language."""
    with translation.override(lang or translation.get_language()):
        try:
            data = read_body(request)
            result = compute(data)
            body = result.to_dict()
            body.update(_extras(result, data))
            render = data.get("render", False)
            if not isinstance(render, (bool, dict)):
                raise _problem("invalid_render", field="render", value=render)
            if render is not False:
                body["html"] = _render(request, data, render if isinstance(render, dict) else {})
        except nps.NpsError as error:
            return error_response(request, error)
    return JsonResponse(body)


def _render(request: HttpRequest, data: dict, options: dict) -> str:
    """The result as the calculator page shows it, for the page's script.

    ``options`` may carry the page's "target" and "margin" boxes as typed (text, any locale).
    """
    sample = nps.read_sample(data)
    other = nps.read_sample(data["compare"], prefix="compare.") if "compare" in data else None
    result = nps.analyse(
        sample,
        other,
        data.get("confidence", 0.95),
        decimals=data.get("decimals", 0),
        decimal_sep=get_format("DECIMAL_SEPARATOR"),
    )
    context = presentation.present(
        result,
        term_urls(),
        target=_typed(options, data, "target", nps.parse_target),
        margin=_typed(options, data, "margin", nps.parse_margin),
    )
    return presentation.render_result(request, context)


def _typed(
    options: dict, data: dict, name: str, parse: Callable[[object], Fraction]
) -> Fraction | None:
    """The page's box as typed (read like the page reads it), else the JSON number, else None."""
    typed = options.get(name)
    if typed is not None and typed != "":
        return parse(typed)
    return _number(data[name], parse) if name in data else None
