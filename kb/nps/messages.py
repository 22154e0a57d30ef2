"""Every error and warning of ``kb.nps`` explained in the visitor's language.

``kb.nps`` stays free of Django and raises ``NpsError`` with a stable ``code``, ``params`` and
the place of the problem (``line``, ``column``, ``position``, ``field``). This module turns
those into one translated sentence, for the calculator page, the embed, the JSON API and the
``nps`` command alike. Messages use the active language (``translation.override`` to choose).
"""

from __future__ import annotations

import re

from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from kb import nps

# Why a score was refused (NpsError.params["reason"] of "invalid_score").
_SCORE_REASONS = {
    "out_of_range": gettext_lazy(
        "%(value)s is not a score: scores are whole numbers from 0 to 10."
    ),
    "not_whole": gettext_lazy(
        "%(value)s is not a whole number: scores are whole numbers from 0 to 10."
    ),
    "not_a_number": gettext_lazy(
        "%(value)s is not a number: scores are whole numbers from 0 to 10."
    ),
    "boolean": gettext_lazy("%(value)s is a yes/no value, not a score from 0 to 10."),
    "wrong_type": gettext_lazy("%(value)s is not a number: scores are whole numbers from 0 to 10."),
}

# Why a count was refused (NpsError.params["reason"] of "invalid_count").
_COUNT_REASONS = {
    "blank": gettext_lazy("Enter a number of responses."),
    "negative": gettext_lazy("A number of responses cannot be negative."),
    "not_whole": gettext_lazy("%(value)s is not a whole number of responses."),
    "not_a_number": gettext_lazy("%(value)s is not a number of responses."),
    "boolean": gettext_lazy("%(value)s is a yes/no value, not a number of responses."),
    "wrong_type": gettext_lazy("%(value)s is not a number of responses."),
}

_PLAIN = {
    "no_responses": gettext_lazy(
        "There are no responses, so there is no NPS yet: enter at least one answer."
    ),
    "invalid_distribution": gettext_lazy(
        "Give eleven numbers of responses, one for each score from 0 to 10."
    ),
    "unsupported_confidence": gettext_lazy(
        "The confidence level must be %(level_90)s, %(level_95)s or %(level_99)s."
    ),
    # kb.nps.DECIMALS: the one rule of the form, the API and the command.
    "invalid_decimals": gettext_lazy("The number of decimals must be 0, 1 or 2."),
    "invalid_margin": gettext_lazy(
        "The margin must be a number of points greater than 0 and at most 100, with at most "
        "two decimals (for example 5 or 2.5)."
    ),
    "invalid_expected": gettext_lazy("The expected shares must be fractions from 0 to 1."),
    "invalid_target": gettext_lazy(
        "The target NPS must be a number between −100 and +100, with at most two decimals "
        "(for example 50 or -12.5)."
    ),
    "invalid_render": gettext_lazy(
        "render must be true, false or an object with the page's target and margin."
    ),
    "invalid_input": gettext_lazy("This input cannot be read."),
    "empty_file": gettext_lazy("The file is empty."),
    "not_csv": gettext_lazy(
        "This is not a CSV file. Save the sheet as CSV (comma or semicolon separated) "
        "and try again."
    ),
    "no_score_column": gettext_lazy(
        "No column of this file looks like scores from 0 to 10: choose the column to read."
    ),
    "unknown_column": gettext_lazy("This file has no column %(value)s. Its columns: %(columns)s."),
    # Raised by the entry points themselves, not by kb.nps.
    "invalid_json": gettext_lazy("The request body is not valid JSON."),
    "invalid_request": gettext_lazy(
        "The request must be a JSON object with promoters, passives and detractors, "
        "a distribution or a list of scores."
    ),
    "missing_sample": gettext_lazy(
        "Give promoters, passives and detractors, a distribution of eleven counts, "
        "or a list of scores."
    ),
    "ambiguous_sample": gettext_lazy(
        "Give only one of: the three counts, a distribution, or a list of scores."
    ),
    "unknown_field": gettext_lazy("Unknown field %(value)s."),
    "body_too_large": gettext_lazy("The request is too large (more than %(limit)s bytes)."),
    "file_required": gettext_lazy("Choose a CSV file to upload."),
    "file_missing": gettext_lazy("The file %(value)s does not exist."),
    "not_a_file": gettext_lazy("%(value)s is a directory, not a file."),
    "unreadable_file": gettext_lazy("The file %(value)s cannot be read."),
}

_LIMITS = {
    "count_too_large": gettext_lazy("A number of responses cannot exceed %(limit)s."),
    "too_many_scores": gettext_lazy("There are more than %(limit)s scores: that is too many."),
    "input_too_large": gettext_lazy("The list is too long (more than %(limit)s characters)."),
    "file_too_large": gettext_lazy(
        "The file is too large: the calculator reads CSV files of up to %(size)s."
    ),
    "too_many_rows": gettext_lazy("The file has more than %(limit)s rows: that is too many."),
    "record_too_long": gettext_lazy(
        "A row of the file is longer than %(limit)s characters: is it really a CSV export?"
    ),
}

_WARNINGS = {
    "encoding_fallback": gettext_lazy(
        "The file is not in UTF-8: it was read as Windows-1252 (Western European)."
    ),
    "column_guessed": gettext_lazy(
        "The scores were read from the column %(column)s; choose another column if needed."
    ),
}

_QUOTED_REPR = re.compile(r"""^(['"])(.*)\1$""", re.DOTALL)


def quoted(value: object) -> str:
    """A value as the visitor typed it, between the language's quotation marks."""
    text = str(value)
    match = _QUOTED_REPR.match(text)
    if match:
        # kb.nps reports values as Python reprs; the visitor typed the text inside the quotes.
        text = match.group(2)
    return _("“%(value)s”") % {"value": text}


def number(value: int) -> str:
    """A whole number with the language's thousands separator."""
    return number_format(value, force_grouping=True)


def percent(value: object) -> str:
    """A percentage as the language writes it: "15%" in English, "15 %" in French."""
    return _("%(number)s%%") % {"number": value}


def location(error: nps.NpsError, *, include_field: bool = False) -> str:
    """Where the problem is, e.g. "line 3, column “Score”", or "" when unknown."""
    parts = []
    if include_field and error.field:
        parts.append(_("field %(field)s") % {"field": error.field})
    if error.line is not None:
        parts.append(_("line %(line)s") % {"line": error.line})
    if error.column is not None:
        if isinstance(error.column, int):
            parts.append(_("column %(column)s") % {"column": error.column})
        else:
            parts.append(_("column %(column)s") % {"column": quoted(error.column)})
    if error.position is not None and error.line is None:
        if error.field == "distribution":
            parts.append(_("score %(score)s") % {"score": error.position})
        else:
            parts.append(_("value no. %(position)s") % {"position": error.position})
    return pgettext("list separator", ", ").join(parts)


def error_message(error: nps.NpsError, *, include_field: bool = False) -> str:
    """One translated sentence for ``error``, with where it happened when that is known.

    ``include_field`` names the input field too: useful where the message is not shown next to
    the field (the API, the command line).
    """
    params = error.params
    value = quoted(error.value) if error.value is not None else ""
    reason = params.get("reason", "")
    if error.code == "invalid_score":
        template = _SCORE_REASONS.get(reason, _SCORE_REASONS["not_a_number"])
    elif error.code == "invalid_count":
        template = _COUNT_REASONS.get(reason, _COUNT_REASONS["not_a_number"])
    elif error.code in _LIMITS:
        template = _LIMITS[error.code]
    elif error.code == "not_csv" and params.get("format"):
        template = gettext_lazy(
            "This is not a CSV file (it looks like %(format)s). "
            "Save the sheet as CSV (comma or semicolon separated) and try again."
        )
    elif error.code == "no_responses" and error.field == "compare":
        template = gettext_lazy(
            "The second sample has no responses: enter at least one answer to compare."
        )
    elif error.code == "unknown_column" and params.get("column_count", 0) > len(
        params.get("columns") or []
    ):
        template = gettext_lazy(
            "This file has no column %(value)s. It has %(count)s columns, the first of which "
            "are: %(columns)s. Type a column's name or its number (1 = the first)."
        )
    elif error.code == "invalid_distribution" and "length" in params:
        template = gettext_lazy(
            "Give eleven numbers of responses (scores 0 to 10), not %(length)s."
        )
    else:
        template = _PLAIN.get(error.code)
    if template is None:
        # An error this module does not know yet: kb.nps's English message beats nothing.
        return error.message
    columns = params.get("columns") or []
    message = str(template) % {
        "value": value,
        "limit": number(params["limit"]) if "limit" in params else "",
        "size": filesizeformat(params["limit"]) if "limit" in params else "",
        "count": number(params.get("column_count", 0)),
        "length": params.get("length", ""),
        "format": str(params.get("format", "")).upper(),
        "level_90": percent(90),
        "level_95": percent(95),
        "level_99": percent(99),
        "columns": ", ".join(quoted(c) if isinstance(c, str) else str(c) for c in columns),
    }
    where = location(error, include_field=include_field)
    if where:
        message = _("%(message)s (%(where)s)") % {"message": message, "where": where}
    return message


def warning_message(warning: nps.ParseWarning) -> str:
    """One translated sentence for a reading warning ("9,0" read as 9, guessed column...)."""
    if warning.code == "decimal_score":
        return (
            _(
                "%(count)s answers written with decimals, such as %(value)s, were read as "
                "whole scores."
            )
            % {"count": number(warning.count), "value": quoted(warning.value)}
            if warning.count > 1
            else _("%(value)s was read as the whole score %(score)s.")
            % {"value": quoted(warning.value), "score": warning.params.get("example_score", "")}
        )
    template = _WARNINGS.get(warning.code)
    if template is None:
        return warning.message
    column = warning.column
    return str(template) % {"column": quoted(column) if isinstance(column, str) else column}


def message_for_code(code: str, **params: object) -> str:
    """The sentence for an error raised by an entry point itself (e.g. "invalid_json")."""
    return error_message(nps.NpsError(code, code, value=params.pop("value", ...), params=params))
