"""``POST /api/v1/nps``: the calculator as JSON, for other tools and for the page's own script.

The body is read and checked here rather than by a pydantic schema: every problem must come
back as ``{"error": {"code", "message", "position", "value", ...}}`` with the same codes as
``kb.nps`` (a 5,000-digit number is "count_too_large", not a validation dump), and hostile
bodies (huge, deeply nested, not JSON) must get a 400, never a 500. The OpenAPI description
is written out below for the same reason.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.formats import get_format
from ninja import Router

from kb import nps
from kb.core.languages import language_codes
from kb.nps.messages import error_message

router = Router(tags=["nps"])

# A million scores written as a JSON array take about 3 MB; 8 MB leaves room for spaces.
MAX_BODY_BYTES = 8 * 1024 * 1024
# Longer integers are absurd as counts or scores; kept as text, kb.nps reports them as such.
_MAX_INT_DIGITS = 20
COUNT_FIELDS = ("promoters", "passives", "detractors")
SAMPLE_FIELDS = (*COUNT_FIELDS, "distribution", "scores")
TOP_FIELDS = (*SAMPLE_FIELDS, "compare", "confidence", "decimals", "target", "margin", "render")


class _Refused(Exception):
    def __init__(self, error: nps.NpsError) -> None:
        self.error = error


def _problem(code: str, *, field: str | None = None, value: object = ..., **params: Any):
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


def read_sample(data: object, prefix: str = "") -> nps.Counts | nps.ParsedScores:
    """One sample: three counts, a distribution of eleven counts, or a list of scores.

    Scores may be a JSON array (ints, numeric strings, nulls for blank answers) or a text as
    pasted from a spreadsheet. Errors name the field (``compare.promoters`` for the second
    sample).
    """
    if not isinstance(data, dict):
        raise _problem("invalid_request", field=prefix.rstrip(".") or None)
    given = [
        kind
        for kind, present in (
            ("counts", any(name in data for name in COUNT_FIELDS)),
            ("distribution", "distribution" in data),
            ("scores", "scores" in data),
        )
        if present
    ]
    if len(given) > 1:
        raise _problem("ambiguous_sample", field=prefix.rstrip(".") or None)
    if not given:
        raise _problem("missing_sample", field=prefix.rstrip(".") or None)
    try:
        if given == ["counts"]:
            return nps.Counts(
                **{name: nps.parse_count(data.get(name, 0), field=name) for name in COUNT_FIELDS}
            )
        if given == ["distribution"]:
            distribution = data["distribution"]
            if not isinstance(distribution, list):
                raise _problem("invalid_distribution", field="distribution", value=distribution)
            return nps.Counts.from_distribution(distribution)
        scores = data["scores"]
        if isinstance(scores, list):
            return nps.read_scores(scores)
        if isinstance(scores, str):
            return nps.parse_score_list(scores)
        raise _problem("invalid_input", field="scores", value=scores)
    except nps.NpsError as error:
        if prefix:
            error.field = prefix + (error.field or given[0])
        elif error.field is None:
            error.field = given[0] if given[0] != "counts" else None
        raise


def _extras(result: nps.Result, data: dict) -> dict:
    extras: dict[str, Any] = {}
    if "target" in data:
        needed = nps.promoters_needed(result.counts, _number(data["target"], "invalid_target"))
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
        margin = _number(data["margin"], "invalid_margin")
        extras["sample_size"] = {
            "margin": float(margin),
            "confidence": result.confidence,
            "worst_case": nps.sample_size(margin, result.confidence),
            "with_these_shares": nps.sample_size(margin, result.confidence, expected=result.counts),
        }
    return extras


def _number(value: object, code: str) -> int | float:
    """Targets and margins are JSON numbers; strings, booleans and the like are refused."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _problem(code, field=code.removeprefix("invalid_"), value=value)
    return value


def compute(data: dict) -> nps.Result:
    """The result for a request body already read by ``read_body``."""
    sample = read_sample(data)
    other = read_sample(data["compare"], "compare.") if "compare" in data else None
    decimals = data.get("decimals", 0)
    if type(decimals) is not int:
        raise _problem("invalid_decimals", field="decimals", value=decimals)
    return nps.analyse(sample, other, data.get("confidence", 0.95), decimals=decimals)


def error_response(request: HttpRequest, error: nps.NpsError) -> HttpResponse:
    from kb.api import api

    body = {
        "error": {
            "code": error.code,
            "message": error_message(error, include_field=True),
            "position": error.position,
            "value": error.value,
            "field": error.field,
            "line": error.line,
            "column": error.column,
        }
    }
    return api.create_response(request, body, status=400)


_SAMPLE_SCHEMA = {
    "type": "object",
    "description": (
        "One sample, in one of three forms: the three counts; eleven counts, one per score "
        "0-10; or the raw scores (a JSON array of integers 0-10, null for a blank answer, or "
        "a pasted text)."
    ),
    "properties": {
        "promoters": {"type": "integer", "minimum": 0, "maximum": nps.MAX_COUNT},
        "passives": {"type": "integer", "minimum": 0, "maximum": nps.MAX_COUNT},
        "detractors": {"type": "integer", "minimum": 0, "maximum": nps.MAX_COUNT},
        "distribution": {
            "type": "array",
            "items": {"type": "integer", "minimum": 0},
            "minItems": 11,
            "maxItems": 11,
        },
        "scores": {
            "oneOf": [
                {
                    "type": "array",
                    "items": {"type": ["integer", "string", "null"]},
                    "maxItems": nps.MAX_ROWS,
                },
                {"type": "string"},
            ]
        },
    },
}
_INTERVAL_SCHEMA = {
    "type": "object",
    "properties": {
        "method": {"type": "string", "enum": ["adjusted_wald"]},
        "confidence": {"type": "number"},
        "centre": {"type": "number"},
        "lower": {"type": "number"},
        "upper": {"type": "number"},
        "margin": {"type": "number"},
        "clipped": {"type": "boolean"},
    },
}
_RESULT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "nps": {"type": "number", "description": "Exact NPS rounded to 4 decimals, -100..100."},
        "nps_display": {"type": "string", "examples": ["+45", "-9", "0"]},
        "n": {"type": "integer"},
        "promoters": {"type": "integer"},
        "passives": {"type": "integer"},
        "detractors": {"type": "integer"},
        "skipped": {"type": "integer", "description": "Blank answers, not counted in n."},
        "percentages": {"type": "object", "description": "Whole percents adding up to 100."},
        "small_sample": {"type": "boolean", "description": "n < 30."},
        "interval": _INTERVAL_SCHEMA,
        "wald": {
            "type": "object",
            "properties": {k: {"type": "number"} for k in ("lower", "upper", "margin", "se")},
        },
        "warnings": {"type": "array", "items": {"type": "object"}},
        "compare": {"type": "object", "description": "The second sample's own result."},
        "comparison": {
            "type": "object",
            "description": "This sample minus the second one, adjusted Wald.",
            "properties": {
                "difference": {"type": "number"},
                "nps_difference": {"type": "number"},
                "se": {"type": "number"},
                "z": {"type": "number"},
                "p_value": {"type": "number"},
                "lower": {"type": "number"},
                "upper": {"type": "number"},
                "significant": {"type": "boolean"},
            },
        },
        "promoters_needed": {"type": "object", "description": "When a target was given."},
        "sample_size": {"type": "object", "description": "When a margin was given."},
        "html": {"type": "string", "description": "When render is true: the page's result."},
    },
}
_ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string", "examples": ["invalid_score", "no_responses"]},
                "message": {"type": "string"},
                "position": {"type": ["integer", "null"]},
                "value": {"type": ["string", "null"]},
                "field": {"type": ["string", "null"]},
                "line": {"type": ["integer", "null"]},
                "column": {"type": ["string", "integer", "null"]},
            },
        }
    },
}
OPENAPI = {
    "parameters": [
        {
            "name": "lang",
            "in": "query",
            "required": False,
            "schema": {"type": "string", "enum": ["fr", "it", "en"]},
            "description": "Language of error messages (default: Accept-Language).",
        }
    ],
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    **_SAMPLE_SCHEMA,
                    "properties": {
                        **_SAMPLE_SCHEMA["properties"],
                        "compare": _SAMPLE_SCHEMA,
                        "confidence": {"type": "number", "enum": [0.9, 0.95, 0.99]},
                        "decimals": {"type": "integer", "minimum": 0, "maximum": 4},
                        "target": {"type": "number", "description": "Target NPS, -100..100."},
                        "margin": {"type": "number", "description": "Margin in points."},
                        "render": {
                            "description": (
                                "true, or {target, margin} as typed: add `html`, the result "
                                "as the calculator page shows it, in the language of `lang`."
                            ),
                            "oneOf": [{"type": "boolean"}, {"type": "object"}],
                        },
                    },
                },
                "example": {"promoters": 60, "passives": 25, "detractors": 15},
            }
        },
    },
    "responses": {
        "200": {
            "description": "The result",
            "content": {"application/json": {"schema": _RESULT_SCHEMA}},
        },
        "400": {
            "description": "Invalid input",
            "content": {"application/json": {"schema": _ERROR_SCHEMA}},
        },
    },
}


@router.post(
    "/nps",
    url_name="nps",
    summary="Compute a Net Promoter Score",
    description=(
        "Send counts, a distribution of eleven counts or the raw scores, optionally a second "
        "sample under `compare` and a `confidence` of 0.90, 0.95 or 0.99. Returns the exact NPS, "
        "its adjusted-Wald interval, the plain Wald interval and, when comparing, the "
        "difference with its p-value. `manage.py nps --json` prints the same object."
    ),
    openapi_extra=OPENAPI,
)
def score(request: HttpRequest) -> HttpResponse:
    lang = request.GET.get("lang", "")
    language = lang if lang in language_codes() else translation.get_language()
    with translation.override(language):
        try:
            data = read_body(request)
            result = compute(data)
            body = result.to_dict()
            body.update(_extras(result, data))
            render = data.get("render")
            if render is True or isinstance(render, dict):
                body["html"] = _render(request, data, render if isinstance(render, dict) else {})
        except nps.NpsError as error:
            return error_response(request, error)
    from kb.api import api

    return api.create_response(request, body, status=200)


def _render(request: HttpRequest, data: dict, options: dict) -> str:
    """The result as the calculator page shows it, for the page's script.

    ``options`` may carry the page's "target" and "margin" boxes as typed (text, any locale).
    """
    from kb.nps import views as nps_views
    from kb.nps.links import term_urls

    sample = read_sample(data)
    other = read_sample(data["compare"], "compare.") if "compare" in data else None
    result = nps.analyse(
        sample,
        other,
        data.get("confidence", 0.95),
        decimals=data.get("decimals", 0),
        decimal_sep=get_format("DECIMAL_SEPARATOR"),
    )
    target = options.get("target") or data.get("target")
    margin = options.get("margin") or data.get("margin")
    context = nps_views.present(
        result,
        term_urls(),
        target=None if target is None else str(target),
        margin=None if margin is None else str(margin),
    )
    return nps_views.render_result(request, context)
