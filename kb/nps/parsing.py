"""Scores as people bring them: JSON lists and lists pasted from a spreadsheet.

Readers return ``ParsedScores``: eleven counts (how many answered 0, 1, ..., 10), the blank
answers skipped, and warnings about what was read leniently ("9,0" as 9). Nothing here imports
Django."""

from __future__ import annotations

import dataclasses
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any, Final

from kb.nps.errors import NpsError, short_repr
from kb.nps.scoring import DIGITS_RE, SPACE_CHARS, BadScore, Counts, invalid_score

MAX_BYTES: Final = 10 * 1024 * 1024
"""Default cap on the size of a CSV file, and on the length of a pasted list (characters)."""
MAX_ROWS: Final = 1_000_000
"""Default cap on the data rows of a CSV file, and on the scores of a pasted list."""


_DECIMAL_SCORE_RE: Final = re.compile(r"([0-9]+)[.,]([0-9]+)")
_NEGATIVE_RE: Final = re.compile(r"-[0-9]+(?:[.,][0-9]+)?")


def score_from_text(raw: str) -> tuple[int | None, bool]:
    """(score, read_from_a_decimal) for one cell or token; (None, False) when blank.

    Raises BadScore with the reason when the text is not a whole number 0..10. Only ASCII
    digits count: other scripts' digits, signs, formulas (=CMD()) are "not_a_number".
    """
    token = raw.strip(SPACE_CHARS)
    if not token:
        return None, False
    if DIGITS_RE.fullmatch(token):
        digits = token.lstrip("0") or "0"
        if len(digits) <= 2 and int(digits) <= 10:
            return int(digits), False
        raise BadScore("out_of_range")
    match = _DECIMAL_SCORE_RE.fullmatch(token)
    if match:
        whole, fraction = match.groups()
        if fraction.strip("0"):
            raise BadScore("not_whole")
        score, _ = score_from_text(whole)
        return score, True
    if _NEGATIVE_RE.fullmatch(token):
        raise BadScore("out_of_range")
    raise BadScore("not_a_number")


def score_from_object(value: object) -> tuple[int | None, bool]:
    """Like score_from_text for any value: ints, integral floats (with warning), None."""
    if value is None:
        return None, False
    if isinstance(value, bool):
        raise BadScore("boolean")
    if isinstance(value, int):
        if 0 <= value <= 10:
            return value, False
        raise BadScore("out_of_range")
    if isinstance(value, str):
        return score_from_text(value)
    if isinstance(value, (float, Decimal, Fraction)):
        if isinstance(value, float) and not math.isfinite(value):
            raise BadScore("not_a_number")
        if isinstance(value, Decimal) and not value.is_finite():
            raise BadScore("not_a_number")
        if value != int(value):
            raise BadScore("not_whole" if 0 <= value <= 10 else "out_of_range")
        score, _ = score_from_object(int(value))
        return score, True
    raise BadScore("wrong_type")


@dataclass(frozen=True)
class ParseWarning:
    """Something the reader accepted but the visitor should know, aggregated by ``code``.

    ``count`` is how many values it concerned; ``line``/``column``/``position``/``value``
    describe the first of them. Codes: "decimal_score" ("9,0" read as 9), "column_guessed"
    (several columns, one chosen automatically), "encoding_fallback" (file read as
    Windows-1252).
    """

    code: str
    message: str
    count: int = 1
    line: int | None = None
    column: str | int | None = None
    position: int | None = None
    value: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The warning as JSON-ready data, one key per attribute."""
        return dataclasses.asdict(self) | {"params": dict(self.params)}


@dataclass(frozen=True)
class ParsedScores:
    """Scores read from a list, a pasted text or a file.

    ``distribution`` holds eleven counts (how many answered 0, 1, ..., 10): that is all the
    scorer needs, and it stays small for a million answers. ``skipped`` counts blank answers
    (not counted as zero).
    """

    distribution: tuple[int, ...]
    skipped: int = 0
    warnings: tuple[ParseWarning, ...] = ()

    @property
    def counts(self) -> Counts:
        """The three category counts."""
        return Counts.from_tally(self.distribution)

    @property
    def n(self) -> int:
        """Answers read, blanks excluded."""
        return sum(self.distribution)


@dataclass
class _Tally:
    distribution: list[int]
    skipped: int
    bad: dict[object, str]  # token -> reason
    decimal: set[object]
    decimal_count: int


def tally_tokens(counter: Mapping[Any, int], read: Any) -> _Tally:
    """Classify each distinct token once: the hot path is a Counter, not a per-value parse."""
    distribution = [0] * 11
    skipped = decimal_count = 0
    bad: dict[object, str] = {}
    decimal: set[object] = set()
    for token, count in counter.items():
        try:
            score, was_decimal = read(token)
        except BadScore as error:
            bad[token] = error.reason
            continue
        if score is None:
            skipped += count
            continue
        distribution[score] += count
        if was_decimal:
            decimal.add(token)
            decimal_count += count
    return _Tally(distribution, skipped, bad, decimal, decimal_count)


def decimal_warning(count: int, value: object, score: int, **where: Any) -> ParseWarning:
    return ParseWarning(
        code="decimal_score",
        message=(
            f"{count:,} answer(s) written with decimals, such as {short_repr(value)}, "
            f"were read as whole scores ({short_repr(value)} as {score})."
        ),
        count=count,
        value=short_repr(value),
        params={"example_score": score},
        **where,
    )


def read_scores(values: Iterable[object], *, max_scores: int = MAX_ROWS) -> ParsedScores:
    """Read raw scores from a list, e.g. a JSON array: lenient where it is safe.

    Accepts ints 0..10, strings of them ("9", " 10 "), and integral decimals ("9.0", "9,0",
    9.0) read as whole scores with a "decimal_score" warning. ``None`` and blank strings are
    skipped and counted in ``skipped``. Anything else (6.5, 11, -1, "abc", True, "=CMD()")
    raises ``NpsError("invalid_score")`` with the 1-based ``position`` of the first offender
    and ``params["reason"]``; more than ``max_scores`` values raise "too_many_scores".
    """
    seq = values if isinstance(values, (list, tuple)) else list(values)
    if len(seq) > max_scores:
        raise too_many_scores(max_scores)
    first_decimal: tuple[int, object] | None = None
    # Counter would merge 1, 1.0 and True; with only ints, strings and None nothing merges.
    if set(map(type, seq)) <= {int, str, type(None)}:
        tally = tally_tokens(Counter(seq), score_from_object)
        if tally.bad:
            position, value = next((i, v) for i, v in enumerate(seq, 1) if v in tally.bad)
            raise invalid_score(value, tally.bad[value], position=position)
        if tally.decimal:
            first_decimal = next((i, v) for i, v in enumerate(seq, 1) if v in tally.decimal)
    else:
        tally, first_decimal = _tally_slowly(seq)
    warnings: tuple[ParseWarning, ...] = ()
    if first_decimal is not None:
        position, value = first_decimal
        score, _ = score_from_object(value)
        assert score is not None
        warnings = (decimal_warning(tally.decimal_count, value, score, position=position),)
    return ParsedScores(tuple(tally.distribution), tally.skipped, warnings)


def too_many_scores(limit: int) -> NpsError:
    return NpsError(
        "too_many_scores", f"There are more than {limit:,} scores.", params={"limit": limit}
    )


def _tally_slowly(seq: Sequence[object]) -> tuple[_Tally, tuple[int, object] | None]:
    """Per-value reading for mixed types (floats, bools, unhashables): exact, slower."""
    distribution = [0] * 11
    skipped = decimal_count = 0
    first_decimal: tuple[int, object] | None = None
    for position, value in enumerate(seq, start=1):
        try:
            score, was_decimal = score_from_object(value)
        except BadScore as error:
            raise invalid_score(value, error.reason, position=position) from None
        if score is None:
            skipped += 1
            continue
        distribution[score] += 1
        if was_decimal:
            decimal_count += 1
            if first_decimal is None:
                first_decimal = (position, value)
    return _Tally(distribution, skipped, {}, set(), decimal_count), first_decimal


_ONE_VALUE_LINE_RE: Final = re.compile(r"[0-9]+(?:,[0-9]+)?")


def parse_score_list(
    text: str, *, max_scores: int = MAX_ROWS, max_chars: int = MAX_BYTES
) -> ParsedScores:
    """Read a pasted list of scores.

    Values are separated by spaces, new lines, tabs, ";", "|" or ",". A comma is a decimal mark
    instead ("9,0" is 9, with a warning) when the text uses ";" or tabs as separators, or when it
    has two or more lines, each holding one number with at most one comma (a spreadsheet column
    pasted from a French or Italian sheet); on one line, "9,0" is two scores. When the text holds
    one value per line, empty lines between values are blank answers, counted in ``skipped``.
    Errors: "invalid_score" (with ``line``, ``column`` = 1-based character in the line and
    ``position`` = 1-based ordinal of the value), "too_many_scores", "input_too_large".
    """
    if not isinstance(text, str):
        raise NpsError("invalid_input", "A list of scores must be text.", value=text)
    if len(text) > max_chars:
        raise NpsError(
            "input_too_large",
            f"The list is too long (more than {max_chars:,} characters).",
            params={"limit": max_chars},
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    comma_is_decimal = ";" in text or "\t" in text
    if not comma_is_decimal and "," in text:
        lines = [line.strip(SPACE_CHARS) for line in text.split("\n")]
        lines = [line for line in lines if line]
        # One value per line, some with one comma: a spreadsheet column with decimal commas.
        comma_is_decimal = len(lines) >= 2 and all(
            _ONE_VALUE_LINE_RE.fullmatch(line) for line in lines
        )
    # Every replacement keeps one character for one, so columns stay true for error messages.
    work = text.replace(",", "." if comma_is_decimal else " ")
    for separator in (";", "|", "\t"):
        work = work.replace(separator, " ")
    tokens = work.split()
    if len(tokens) > max_scores:
        raise too_many_scores(max_scores)
    skipped = 0
    body = work.strip()
    if body:
        blank_lines = len(re.findall(r"\n[^\S\n]*(?=\n)", body))
        if body.count("\n") + 1 - blank_lines == len(tokens):
            skipped = blank_lines
    tally = tally_tokens(Counter(tokens), score_from_text)
    if tally.bad:
        line, column, position, token, spelling = _locate(text, work, tally.bad.keys())
        raise invalid_score(spelling, tally.bad[token], line=line, column=column, position=position)
    warnings: tuple[ParseWarning, ...] = ()
    if tally.decimal:
        line, column, position, token, spelling = _locate(text, work, tally.decimal)
        score, _ = score_from_text(token)
        assert score is not None
        warnings = (
            decimal_warning(
                tally.decimal_count, spelling, score, line=line, column=column, position=position
            ),
        )
    return ParsedScores(tuple(tally.distribution), skipped + tally.skipped, warnings)


def _locate(original: str, work: str, wanted: Iterable[object]) -> tuple[int, int, int, str, str]:
    """Line, column, ordinal, token and original spelling of the first token in ``wanted``."""
    wanted = set(wanted)
    position = 0
    original_lines = original.split("\n")
    for line_number, line in enumerate(work.split("\n"), start=1):
        for match in re.finditer(r"\S+", line):
            position += 1
            if match.group() in wanted:
                start = match.start()
                spelling = original_lines[line_number - 1][start : match.end()]
                return line_number, start + 1, position, match.group(), spelling
    raise AssertionError("token not found")  # pragma: no cover
