"""Errors of the NPS modules: a stable ``code`` each entry point translates (kb.nps.messages).

Every input problem raises ``NpsError`` with that ``code``, an English ``message`` (a fallback),
the ``line``/``column``/``position``/``field`` where it happened when known, and the offending
``value`` as a repr truncated to about 50 characters (never the raw text)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

_VALUE_REPR_MAX: Final = 50


class NpsError(Exception):
    """An input the scorer cannot use, or a result that does not exist.

    Attributes are stable so that every caller can explain the problem in the visitor's
    language: ``code`` (e.g. ``"invalid_score"``), ``message`` (plain English, a fallback),
    ``line`` (1-based line of a text or CSV file), ``column`` (CSV column name, or its 1-based
    number when the file has no header), ``position`` (1-based ordinal of the value in a list),
    ``field`` (the input field, e.g. ``"promoters"`` or ``"compare"``), ``value`` (repr of the
    offending value, truncated) and ``params`` (extra details for a translated message, e.g.
    ``{"reason": "out_of_range"}`` or ``{"limit": 1000000}``).
    """

    def __init__(
        self,
        code: str,
        message: str,
        *,
        line: int | None = None,
        column: str | int | None = None,
        position: int | None = None,
        field: str | None = None,
        value: object = ...,
        params: Mapping[str, Any] | None = None,
    ) -> None:
        self.code = code
        self.line = line
        self.column = column
        self.position = position
        self.field = field
        self.value = None if value is ... else short_repr(value)
        self.params = dict(params or {})
        # Every problem found in the same input, this one first (see reading.read_sample).
        self.errors: tuple[NpsError, ...] = (self,)
        where = _where(line=line, column=column, position=position, field=field)
        self.message = f"{message} ({where})" if where else message
        super().__init__(self.message)

    def to_dict(self) -> dict[str, Any]:
        """The error as JSON-ready data: code, message, line, column, position, field, value."""
        return {
            "code": self.code,
            "message": self.message,
            "line": self.line,
            "column": self.column,
            "position": self.position,
            "field": self.field,
            "value": self.value,
            "params": self.params,
        }


class NoResponses(NpsError):
    """There are no responses, so the NPS is undefined (it is not 0)."""

    def __init__(self, field: str | None = None) -> None:
        super().__init__(
            "no_responses",
            "There are no responses, so there is no NPS to compute.",
            field=field,
        )


def short_repr(value: object) -> str:
    text = repr(value)
    if len(text) > _VALUE_REPR_MAX:
        text = text[: _VALUE_REPR_MAX - 3] + "..."
    return text


def _where(
    *,
    line: int | None = None,
    column: str | int | None = None,
    position: int | None = None,
    field: str | None = None,
) -> str:
    parts = []
    if field is not None:
        parts.append(f"field {field}")
    if line is not None:
        parts.append(f"line {line}")
    if column is not None:
        parts.append(f"column {column!r}" if isinstance(column, str) else f"column {column}")
    if position is not None:
        parts.append(f"item {position}")
    return ", ".join(parts)
