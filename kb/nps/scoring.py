"""Net Promoter Score: exact scoring, uncertainty and the inputs people bring.

This module follows the project's reference, ``shared/specs/nps.md``. It imports nothing from
Django, so the calculator page, the embed, the JSON API, the ``nps`` management command and the
tests all share one scorer.

Conventions used throughout:

* Scores are whole numbers 0..10. Detractors 0-6, passives 7-8, promoters 9-10.
* Every public number describing an NPS (the score, interval bounds, margins, standard errors,
  differences) is on the NPS scale, -100..100 ("points"), never on the -1..1 scale.
* The NPS itself is exact (``fractions.Fraction``); it is rounded only for display, half away
  from zero (``round_half_away``). Intervals are floats: they are estimates anyway.
* No responses is an error (``NoResponses``), never a score of 0.
* Every input problem raises ``NpsError`` with a stable ``code`` that callers translate, an
  English ``message``, the ``line``/``column``/``position`` where it happened when known, and the
  offending ``value`` as a repr truncated to about 50 characters (never the raw text).
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from itertools import islice
from statistics import NormalDist
from typing import Any, Final

__all__ = [
    "CONFIDENCE_LEVELS",
    "MAX_BYTES",
    "MAX_COUNT",
    "MAX_ROWS",
    "Category",
    "CategoryPercentages",
    "Comparison",
    "Counts",
    "CsvColumn",
    "CsvScores",
    "Interval",
    "NoResponses",
    "NpsError",
    "ParseWarning",
    "ParsedScores",
    "PromotersNeeded",
    "Result",
    "WeightedResult",
    "adjusted_wald_interval",
    "analyse",
    "category_percentages",
    "classify",
    "compare",
    "format_score",
    "nps",
    "parse_confidence",
    "parse_count",
    "parse_csv",
    "parse_score_list",
    "promoters_needed",
    "read_scores",
    "round_half_away",
    "sample_size",
    "wald_interval",
    "weighted_nps",
]

MAX_COUNT: Final = 10**12
"""Largest count accepted for one category (or one score of a distribution)."""
MAX_BYTES: Final = 10 * 1024 * 1024
"""Default cap on the size of a CSV file, and on the length of a pasted list (characters)."""
MAX_ROWS: Final = 1_000_000
"""Default cap on the data rows of a CSV file, and on the scores of a pasted list."""
CONFIDENCE_LEVELS: Final = (0.90, 0.95, 0.99)
"""The confidence levels the calculator supports."""

_Z: Final = {level: NormalDist().inv_cdf(1 - (1 - level) / 2) for level in CONFIDENCE_LEVELS}
_PHI: Final = NormalDist().cdf
_VALUE_REPR_MAX: Final = 50
_SMALL_SAMPLE: Final = 30
_MAX_DECIMALS: Final = 4
_PREVIEW_CELL_MAX: Final = 100


# --------------------------------------------------------------------------------------------
# Errors


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
        self.value = None if value is ... else _short_repr(value)
        self.params = dict(params or {})
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


def _short_repr(value: object) -> str:
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


# --------------------------------------------------------------------------------------------
# Scores and counts


class Category(StrEnum):
    """The three groups of respondents."""

    PROMOTER = "promoter"
    PASSIVE = "passive"
    DETRACTOR = "detractor"


_CATEGORY_OF: Final = tuple(
    Category.DETRACTOR if s <= 6 else Category.PASSIVE if s <= 8 else Category.PROMOTER
    for s in range(11)
)

_SCORE_REASONS: Final = {
    "out_of_range": "is not a score: scores are whole numbers from 0 to 10",
    "not_whole": "is not a whole number: scores are whole numbers from 0 to 10",
    "not_a_number": "is not a number: scores are whole numbers from 0 to 10",
    "boolean": "is a yes/no value, not a score from 0 to 10",
    "wrong_type": "is not a number: scores are whole numbers from 0 to 10",
}


class _BadScore(Exception):
    def __init__(self, reason: str) -> None:
        self.reason = reason


def _invalid_score(value: object, reason: str, **where: Any) -> NpsError:
    return NpsError(
        "invalid_score",
        f"{_short_repr(value)} {_SCORE_REASONS[reason]}",
        value=value,
        params={"reason": reason},
        **where,
    )


def classify(score: int) -> Category:
    """Return the category of one score: 0-6 detractor, 7-8 passive, 9-10 promoter.

    Raises ``NpsError("invalid_score")`` for anything that is not an ``int`` 0..10 (booleans,
    floats and strings included: parse them first).
    """
    if type(score) is not int:
        raise _invalid_score(score, "boolean" if isinstance(score, bool) else "wrong_type")
    if not 0 <= score <= 10:
        raise _invalid_score(score, "out_of_range")
    return _CATEGORY_OF[score]


def _check_count(value: object, name: str | None) -> int:
    if type(value) is not int:
        raise NpsError(
            "invalid_count",
            "A count must be a whole number of responses.",
            field=name,
            value=value,
            params={"reason": "boolean" if isinstance(value, bool) else "wrong_type"},
        )
    if value < 0:
        raise NpsError(
            "invalid_count",
            "A count cannot be negative.",
            field=name,
            value=value,
            params={"reason": "negative"},
        )
    if value > MAX_COUNT:
        raise NpsError(
            "count_too_large",
            f"A count cannot exceed {MAX_COUNT:,}.",
            field=name,
            value=value,
            params={"limit": MAX_COUNT},
        )
    return value


@dataclass(frozen=True)
class Counts:
    """How many promoters, passives and detractors answered.

    Construction validates: each count is an ``int`` (not a bool), 0 <= count <= ``MAX_COUNT``;
    otherwise ``NpsError`` ("invalid_count" or "count_too_large") naming the field.
    """

    promoters: int
    passives: int
    detractors: int

    def __post_init__(self) -> None:
        for name in ("promoters", "passives", "detractors"):
            _check_count(getattr(self, name), name)

    @property
    def n(self) -> int:
        """All responses, passives included."""
        return self.promoters + self.passives + self.detractors

    @classmethod
    def from_distribution(cls, distribution: Sequence[object]) -> Counts:
        """Counts from eleven counts, one per score 0..10.

        Each entry goes through ``parse_count`` (so ints, and strings such as "1 234", are
        accepted); errors carry ``field="distribution"`` and ``position`` = the score (0..10)
        of the faulty entry. Raises
        ``NpsError("invalid_distribution")`` unless there are exactly eleven entries.
        """
        if isinstance(distribution, (str, bytes)) or not isinstance(distribution, Sequence):
            raise NpsError(
                "invalid_distribution",
                "A distribution is a list of eleven counts, one per score from 0 to 10.",
                value=distribution,
            )
        if len(distribution) != 11:
            raise NpsError(
                "invalid_distribution",
                f"A distribution has eleven counts (scores 0 to 10), not {len(distribution)}.",
                params={"length": len(distribution)},
            )
        counts = [
            parse_count(raw, field="distribution", position=score)
            for score, raw in enumerate(distribution)
        ]
        return cls._from_tally(counts)

    @classmethod
    def from_scores(cls, scores: Iterable[int]) -> Counts:
        """Counts from raw scores given as ints 0..10.

        Strict: anything else (bools, floats, strings, None) raises
        ``NpsError("invalid_score")`` with the 1-based ``position`` of the first offender. Use
        ``read_scores`` for lenient reading (strings, "9.0", blanks) with warnings.
        """
        values = scores if isinstance(scores, (list, tuple)) else list(scores)
        if not set(map(type, values)) <= {int}:
            for position, value in enumerate(values, start=1):
                if type(value) is not int:
                    reason = "boolean" if isinstance(value, bool) else "wrong_type"
                    raise _invalid_score(value, reason, position=position)
        tally = Counter(values)
        if not tally.keys() <= _SCORE_SET:
            for position, value in enumerate(values, start=1):
                if value not in _SCORE_SET:
                    raise _invalid_score(value, "out_of_range", position=position)
        return cls._from_tally([tally[s] for s in range(11)])

    @classmethod
    def _from_tally(cls, distribution: Sequence[int]) -> Counts:
        return cls(
            promoters=distribution[9] + distribution[10],
            passives=distribution[7] + distribution[8],
            detractors=sum(distribution[:7]),
        )


_SCORE_SET: Final = frozenset(range(11))


def nps(counts: Counts) -> Fraction:
    """The exact NPS, 100 x (promoters - detractors) / n, in -100..100.

    Raises ``NoResponses`` when n == 0.
    """
    if counts.n == 0:
        raise NoResponses()
    return Fraction(100 * (counts.promoters - counts.detractors), counts.n)


# --------------------------------------------------------------------------------------------
# Rounding and display


def _exact(value: Fraction | Decimal | int | float) -> Fraction:
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"cannot round {value!r}")
        # The shortest repr is what the value means to a person: 2.675 is 2.675, not
        # 2.67499999999999982236431605997495353221893310546875.
        return Fraction(repr(value))
    return Fraction(value)


def round_half_away(value: Fraction | Decimal | int | float, decimals: int = 0) -> Decimal:
    """Round to ``decimals`` places, halves away from zero (12.5 -> 13, -12.5 -> -13).

    Exact for ``Fraction``, ``Decimal`` and ``int``; a float is taken at its shortest repr.
    Returns a ``Decimal`` with exactly ``decimals`` places (``Decimal("45.0")`` for 45 and 1).
    Never returns a negative zero.
    """
    if not 0 <= decimals <= 12:
        raise ValueError("decimals must be between 0 and 12")
    scaled = _exact(value) * 10**decimals
    magnitude = math.floor(abs(scaled) + Fraction(1, 2))
    return Decimal(-magnitude if scaled < 0 else magnitude).scaleb(-decimals)


def format_score(
    value: Fraction | Decimal | int | float,
    decimals: int = 0,
    decimal_sep: str = ".",
    *,
    signed: bool = True,
) -> str:
    """Format an NPS (or a bound) for display: "+45", "-9", "0", "+45,0".

    Rounds half away from zero; ``decimal_sep`` is the caller's locale's decimal mark (the module
    stays locale-neutral). With ``signed`` (the default) positive values get a "+"; zero never
    gets a sign. The minus is an ASCII hyphen-minus.
    """
    rounded = round_half_away(value, decimals)
    text = format(rounded, "f").replace(".", decimal_sep)
    if signed and rounded > 0:
        return "+" + text
    return text


@dataclass(frozen=True)
class CategoryPercentages:
    """Whole-number shares of each category, adding up to exactly 100."""

    promoters: int
    passives: int
    detractors: int


def category_percentages(counts: Counts) -> CategoryPercentages:
    """Shares of promoters, passives and detractors in whole percent, summing to 100.

    Largest-remainder rounding on the exact shares; ties go to promoters, then passives, then
    detractors. These are for display only: the NPS is always computed from the counts.
    Raises ``NoResponses`` when n == 0.
    """
    n = counts.n
    if n == 0:
        raise NoResponses()
    values = (counts.promoters, counts.passives, counts.detractors)
    floors = [100 * v // n for v in values]
    remainders = [Fraction(100 * v, n) - f for v, f in zip(values, floors, strict=True)]
    missing = 100 - sum(floors)
    order = sorted(range(3), key=lambda i: (-remainders[i], i))
    for i in order[:missing]:
        floors[i] += 1
    return CategoryPercentages(*floors)


# --------------------------------------------------------------------------------------------
# Uncertainty


def parse_confidence(value: object) -> float:
    """The supported confidence level ``value`` stands for: 0.90, 0.95 or 0.99.

    Accepts a number or string written as a fraction (0.95, "0.95", "0,95") or a percent
    (95, "95", "95 %"). Anything else raises ``NpsError("unsupported_confidence")``.
    """
    number: Fraction | None = None
    if isinstance(value, (int, float, Decimal, Fraction)) and not isinstance(value, bool):
        if not isinstance(value, float) or math.isfinite(value):
            number = _exact(value)
    elif isinstance(value, str) and len(value) <= 20:
        text = value.strip().rstrip("%").strip().replace(",", ".")
        if re.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{1,10})?", text):
            number = Fraction(text)
    if number is not None:
        if number > 1:
            number /= 100
        for level in CONFIDENCE_LEVELS:
            if number == Fraction(repr(level)):
                return level
    raise NpsError(
        "unsupported_confidence",
        "The confidence level must be 90 %, 95 % or 99 %.",
        field="confidence",
        value=value,
        params={"supported": list(CONFIDENCE_LEVELS)},
    )


@dataclass(frozen=True)
class Interval:
    """A confidence interval on the NPS scale (-100..100).

    ``method`` is "wald" or "adjusted_wald"; ``centre`` is the estimate the interval is built
    around (the NPS for Wald, the adjusted estimate for adjusted Wald); ``margin`` is z x ``se``;
    ``clipped`` says that a bound was pulled back to -100 or 100.
    """

    method: str
    confidence: float
    centre: float
    lower: float
    upper: float
    margin: float
    se: float
    clipped: bool


def _shares(promoters: float, detractors: float, n: float) -> tuple[float, float]:
    """theta and its variance V = p + d - theta^2 for one sample (on the -1..1 scale)."""
    p = promoters / n
    d = detractors / n
    theta = p - d
    return theta, max(p + d - theta * theta, 0.0)


def _wald(promoters: float, detractors: float, n: float, level: float) -> Interval:
    theta, variance = _shares(promoters, detractors, n)
    se = math.sqrt(variance / n)
    margin = _Z[level] * se
    return Interval(
        method="wald",
        confidence=level,
        centre=100 * theta,
        lower=100 * (theta - margin),
        upper=100 * (theta + margin),
        margin=100 * margin,
        se=100 * se,
        clipped=False,
    )


def _adjusted(promoters: float, detractors: float, n: float) -> tuple[float, float, float]:
    """theta', V' and n' of the adjusted-Wald method (Rocks 2016)."""
    n_adj = n + 3
    theta, variance = _shares(promoters + 0.75, detractors + 0.75, n_adj)
    return theta, variance, n_adj


def _adjusted_wald(promoters: float, detractors: float, n: float, level: float) -> Interval:
    theta, variance, n_adj = _adjusted(promoters, detractors, n)
    se = math.sqrt(variance / n_adj)
    margin = _Z[level] * se
    lower, upper = theta - margin, theta + margin
    clipped = lower < -1 or upper > 1
    return Interval(
        method="adjusted_wald",
        confidence=level,
        centre=100 * theta,
        lower=100 * max(lower, -1.0),
        upper=100 * min(upper, 1.0),
        margin=100 * margin,
        se=100 * se,
        clipped=clipped,
    )


def wald_interval(counts: Counts, confidence: object = 0.95) -> Interval:
    """The plain (Wald) interval: NPS +/- z x sqrt(V / n), V = p + d - theta^2.

    Shown for reference only: it has zero width when everyone gives the same kind of answer and
    it is not clipped, so it can leave [-100, 100] (``clipped`` is always False). Raises
    ``NoResponses`` when n == 0 and ``NpsError("unsupported_confidence")``.
    """
    level = parse_confidence(confidence)
    if counts.n == 0:
        raise NoResponses()
    return _wald(counts.promoters, counts.detractors, counts.n, level)


def adjusted_wald_interval(counts: Counts, confidence: object = 0.95) -> Interval:
    """The headline interval: adjusted Wald (add 3 answers, 0.75 to promoters and detractors).

    n' = n + 3, p' = (P + 0.75) / n', d' = (D + 0.75) / n', interval theta' +/- z x SE'; bounds
    clipped to [-100, 100] with ``clipped`` set when that happened. ``centre`` is theta' (not the
    raw NPS, which stays the headline number). Raises ``NoResponses`` when n == 0.
    """
    level = parse_confidence(confidence)
    if counts.n == 0:
        raise NoResponses()
    return _adjusted_wald(counts.promoters, counts.detractors, counts.n, level)


@dataclass(frozen=True)
class Comparison:
    """Sample A minus sample B, with the adjusted-Wald method (points, -200..200).

    ``difference`` = theta'_A - theta'_B; ``nps_difference`` is the exact difference of the raw
    scores, for display; ``significant`` is True exactly when the interval excludes 0.
    """

    confidence: float
    difference: float
    nps_difference: Fraction
    se: float
    z: float
    p_value: float
    lower: float
    upper: float
    significant: bool


def compare(a: Counts, b: Counts, confidence: object = 0.95) -> Comparison:
    """Compare sample ``a`` with sample ``b`` (e.g. this quarter against the last).

    The sign is kept: a positive difference means ``a`` scores higher. Two-sided
    p = 2 (1 - Phi(|z|)). Raises ``NoResponses`` (field "compare" for ``b``) when a sample is
    empty.
    """
    level = parse_confidence(confidence)
    if a.n == 0:
        raise NoResponses()
    if b.n == 0:
        raise NoResponses(field="compare")
    theta_a, var_a, n_a = _adjusted(a.promoters, a.detractors, a.n)
    theta_b, var_b, n_b = _adjusted(b.promoters, b.detractors, b.n)
    difference = theta_a - theta_b
    se = math.sqrt(var_a / n_a + var_b / n_b)
    z = difference / se
    margin = _Z[level] * se
    return Comparison(
        confidence=level,
        difference=100 * difference,
        nps_difference=nps(a) - nps(b),
        se=100 * se,
        z=z,
        p_value=2 * (1 - _PHI(abs(z))),
        lower=100 * (difference - margin),
        upper=100 * (difference + margin),
        significant=abs(z) > _Z[level],
    )


def sample_size(
    margin: float | int | Decimal | Fraction,
    confidence: object = 0.95,
    expected: Counts | tuple[float, float] | None = None,
) -> int:
    """Responses needed for an interval of +/- ``margin`` points: ceil(z^2 V / m^2 - 3).

    ``margin`` is in NPS points (5 means +/- 5 on the -100..100 scale; 0 < margin <= 100).
    ``expected`` gives the expected shares, either as past ``Counts`` or as a
    ``(promoter_share, detractor_share)`` pair of fractions 0..1; without it V = 1, the worst
    case. Returns at least 1. Raises ``NpsError("invalid_margin")``, ``"invalid_expected"`` or
    ``"unsupported_confidence"``.
    """
    level = parse_confidence(confidence)
    try:
        m = float(_exact(margin)) / 100
    except (TypeError, ValueError):
        m = math.nan
    if not 0 < m <= 1:
        raise NpsError(
            "invalid_margin",
            "The margin must be more than 0 and at most 100 points.",
            field="margin",
            value=margin,
        )
    variance = 1.0
    if isinstance(expected, Counts):
        if expected.n == 0:
            raise NoResponses(field="expected")
        _, variance = _shares(expected.promoters, expected.detractors, expected.n)
    elif expected is not None:
        try:
            p, d = (float(_exact(share)) for share in expected)
        except (TypeError, ValueError):
            p = d = math.nan
        if not (0 <= p <= 1 and 0 <= d <= 1 and p + d <= 1):
            raise NpsError(
                "invalid_expected",
                "Expected shares are two fractions from 0 to 1 whose sum is at most 1.",
                field="expected",
                value=expected,
            )
        _, variance = _shares(p, d, 1)
    needed = _Z[level] ** 2 * variance / (m * m) - 3
    # A hair of tolerance so that float noise on an exact integer does not add one response.
    return max(1, math.ceil(needed - 1e-9))


@dataclass(frozen=True)
class PromotersNeeded:
    """How many more promoters it takes to reach ``target``.

    ``additional`` is None when the target cannot be reached by adding promoters (a target of
    100 with any passive or detractor); ``nps_after`` is the exact NPS once they are added.
    """

    target: Fraction
    current: Fraction
    reachable: bool
    additional: int | None
    nps_after: Fraction | None


def promoters_needed(counts: Counts, target: float | int | Decimal | Fraction) -> PromotersNeeded:
    """The fewest extra promoter answers k with 100 (P + k - D) / (n + k) >= ``target``.

    ``target`` is in points, -100..100 (a float is taken at its shortest repr, so 50.1 means
    50.1). Returns ``additional=0`` when the target is already met. Raises ``NoResponses`` for
    an empty sample and ``NpsError("invalid_target")`` outside -100..100.
    """
    try:
        goal = _exact(target)
    except (TypeError, ValueError):
        goal = None
    if goal is None or not -100 <= goal <= 100:
        raise NpsError(
            "invalid_target",
            "The target NPS must be between -100 and 100.",
            field="target",
            value=target,
        )
    current = nps(counts)
    if current >= goal:
        return PromotersNeeded(goal, current, True, 0, current)
    if goal == 100:
        return PromotersNeeded(goal, current, False, None, None)
    lead = counts.promoters - counts.detractors
    k = math.ceil((goal * counts.n - 100 * lead) / (100 - goal))
    after = Fraction(100 * (lead + k), counts.n + k)
    return PromotersNeeded(goal, current, True, k, after)


# --------------------------------------------------------------------------------------------
# Weighted NPS


@dataclass(frozen=True)
class WeightedResult:
    """A weighted NPS and its approximate uncertainty.

    Weights are exact (``Fraction``). ``effective_n`` is Kish's (sum w)^2 / sum w^2; the
    intervals treat the weighted shares as if they came from ``effective_n`` unweighted answers,
    which is an approximation (``approximate`` is always True, so callers say so).
    """

    nps: Fraction
    total_weight: Fraction
    promoter_weight: Fraction
    passive_weight: Fraction
    detractor_weight: Fraction
    responses: int
    dropped: int
    effective_n: float
    wald: Interval
    interval: Interval
    approximate: bool = True


def _weight(value: object, position: int) -> Fraction:
    weight: Fraction | None = None
    if isinstance(value, bool):
        weight = None
    elif isinstance(value, (int, Fraction)):
        weight = Fraction(value)
    elif isinstance(value, Decimal):
        weight = Fraction(value) if value.is_finite() else None
    elif isinstance(value, float):
        weight = Fraction(repr(value)) if math.isfinite(value) else None
    elif isinstance(value, str) and len(value) <= 40:
        text = value.strip().replace(",", ".")
        if re.fullmatch(r"-?[0-9]+(?:\.[0-9]+)?", text):
            weight = Fraction(text)
    if weight is None:
        raise NpsError(
            "invalid_weight", "A weight must be a number.", position=position, value=value
        )
    if weight < 0:
        raise NpsError(
            "negative_weight", "A weight cannot be negative.", position=position, value=value
        )
    return weight


def weighted_nps(
    pairs: Iterable[tuple[object, object]], confidence: object = 0.95
) -> WeightedResult:
    """Weighted NPS: 100 x (promoter weight - detractor weight) / total weight.

    ``pairs`` are ``(score, weight)``; scores are read as by ``read_scores`` (blank scores are
    not allowed here), weights are non-negative numbers (ints, floats at their shortest repr,
    Decimals, Fractions or decimal strings). Zero weights are dropped and counted in
    ``dropped``. Raises ``NpsError`` ("invalid_score", "invalid_weight", "negative_weight") with
    the 1-based ``position`` of the pair, and ``NoResponses`` when no weight is left.
    """
    level = parse_confidence(confidence)
    by_category = {category: Fraction(0) for category in Category}
    squares = Fraction(0)
    responses = dropped = 0
    for position, pair in enumerate(pairs, start=1):
        try:
            raw_score, raw_weight = pair
        except (TypeError, ValueError):
            raise NpsError(
                "invalid_pair",
                "Each answer is a (score, weight) pair.",
                position=position,
                value=pair,
            ) from None
        try:
            score, _ = _score_from_object(raw_score)
        except _BadScore as bad:
            raise _invalid_score(raw_score, bad.reason, position=position) from None
        if score is None:
            raise _invalid_score(raw_score, "not_a_number", position=position)
        weight = _weight(raw_weight, position)
        if weight == 0:
            dropped += 1
            continue
        responses += 1
        by_category[_CATEGORY_OF[score]] += weight
        squares += weight * weight
    total = sum(by_category.values(), Fraction(0))
    if total == 0:
        raise NoResponses()
    promoters = by_category[Category.PROMOTER]
    detractors = by_category[Category.DETRACTOR]
    effective_n = float(total * total / squares)
    p_share = float(promoters / total)
    d_share = float(detractors / total)
    return WeightedResult(
        nps=100 * (promoters - detractors) / total,
        total_weight=total,
        promoter_weight=promoters,
        passive_weight=by_category[Category.PASSIVE],
        detractor_weight=detractors,
        responses=responses,
        dropped=dropped,
        effective_n=effective_n,
        wald=_wald(p_share * effective_n, d_share * effective_n, effective_n, level),
        interval=_adjusted_wald(p_share * effective_n, d_share * effective_n, effective_n, level),
    )


# --------------------------------------------------------------------------------------------
# Reading scores


_SPACE_CHARS: Final = " \t\u00a0\u2007\u202f\ufeff"
_DECIMAL_SCORE_RE: Final = re.compile(r"([0-9]+)[.,]([0-9]+)")
_NEGATIVE_RE: Final = re.compile(r"-[0-9]+(?:[.,][0-9]+)?")
_DIGITS_RE: Final = re.compile(r"[0-9]+")


def _score_from_text(raw: str) -> tuple[int | None, bool]:
    """(score, read_from_a_decimal) for one cell or token; (None, False) when blank.

    Raises _BadScore with the reason when the text is not a whole number 0..10. Only ASCII
    digits count: other scripts' digits, signs, formulas (=CMD()) are "not_a_number".
    """
    token = raw.strip(_SPACE_CHARS)
    if not token:
        return None, False
    if _DIGITS_RE.fullmatch(token):
        digits = token.lstrip("0") or "0"
        if len(digits) <= 2 and int(digits) <= 10:
            return int(digits), False
        raise _BadScore("out_of_range")
    match = _DECIMAL_SCORE_RE.fullmatch(token)
    if match:
        whole, fraction = match.groups()
        if fraction.strip("0"):
            raise _BadScore("not_whole")
        score, _ = _score_from_text(whole)
        return score, True
    if _NEGATIVE_RE.fullmatch(token):
        raise _BadScore("out_of_range")
    raise _BadScore("not_a_number")


def _score_from_object(value: object) -> tuple[int | None, bool]:
    """Like _score_from_text for any value: ints, integral floats (with warning), None."""
    if value is None:
        return None, False
    if isinstance(value, bool):
        raise _BadScore("boolean")
    if isinstance(value, int):
        if 0 <= value <= 10:
            return value, False
        raise _BadScore("out_of_range")
    if isinstance(value, str):
        return _score_from_text(value)
    if isinstance(value, (float, Decimal, Fraction)):
        if isinstance(value, float) and not math.isfinite(value):
            raise _BadScore("not_a_number")
        if isinstance(value, Decimal) and not value.is_finite():
            raise _BadScore("not_a_number")
        if value != int(value):
            raise _BadScore("not_whole" if 0 <= value <= 10 else "out_of_range")
        score, _ = _score_from_object(int(value))
        return score, True
    raise _BadScore("wrong_type")


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
        """The warning as JSON-ready data."""
        return {
            "code": self.code,
            "message": self.message,
            "count": self.count,
            "line": self.line,
            "column": self.column,
            "position": self.position,
            "value": self.value,
            "params": dict(self.params),
        }


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
        return Counts._from_tally(self.distribution)

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


def _tally(counter: Mapping[Any, int], read: Any) -> _Tally:
    """Classify each distinct token once: the hot path is a Counter, not a per-value parse."""
    distribution = [0] * 11
    skipped = decimal_count = 0
    bad: dict[object, str] = {}
    decimal: set[object] = set()
    for token, count in counter.items():
        try:
            score, was_decimal = read(token)
        except _BadScore as error:
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


def _decimal_warning(count: int, value: object, score: int, **where: Any) -> ParseWarning:
    return ParseWarning(
        code="decimal_score",
        message=(
            f"{count:,} answer(s) written with decimals, such as {_short_repr(value)}, "
            f"were read as whole scores ({_short_repr(value)} as {score})."
        ),
        count=count,
        value=_short_repr(value),
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
        raise _too_many_scores(max_scores)
    first_decimal: tuple[int, object] | None = None
    # Counter would merge 1, 1.0 and True; with only ints, strings and None nothing merges.
    if set(map(type, seq)) <= {int, str, type(None)}:
        tally = _tally(Counter(seq), _score_from_object)
        if tally.bad:
            position, value = next((i, v) for i, v in enumerate(seq, 1) if v in tally.bad)
            raise _invalid_score(value, tally.bad[value], position=position)
        if tally.decimal:
            first_decimal = next((i, v) for i, v in enumerate(seq, 1) if v in tally.decimal)
    else:
        tally, first_decimal = _tally_slowly(seq)
    warnings: tuple[ParseWarning, ...] = ()
    if first_decimal is not None:
        position, value = first_decimal
        score, _ = _score_from_object(value)
        assert score is not None
        warnings = (_decimal_warning(tally.decimal_count, value, score, position=position),)
    return ParsedScores(tuple(tally.distribution), tally.skipped, warnings)


def _too_many_scores(limit: int) -> NpsError:
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
            score, was_decimal = _score_from_object(value)
        except _BadScore as error:
            raise _invalid_score(value, error.reason, position=position) from None
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
        lines = [line.strip(_SPACE_CHARS) for line in text.split("\n")]
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
        raise _too_many_scores(max_scores)
    skipped = 0
    body = work.strip()
    if body:
        blank_lines = len(re.findall(r"\n[^\S\n]*(?=\n)", body))
        if body.count("\n") + 1 - blank_lines == len(tokens):
            skipped = blank_lines
    tally = _tally(Counter(tokens), _score_from_text)
    if tally.bad:
        line, column, position, token, spelling = _locate(text, work, tally.bad.keys())
        raise _invalid_score(
            spelling, tally.bad[token], line=line, column=column, position=position
        )
    warnings: tuple[ParseWarning, ...] = ()
    if tally.decimal:
        line, column, position, token, spelling = _locate(text, work, tally.decimal)
        score, _ = _score_from_text(token)
        assert score is not None
        warnings = (
            _decimal_warning(
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


# --------------------------------------------------------------------------------------------
# Counts typed by people


_GROUPED_RE: Final = re.compile(
    r"(?P<int>[0-9]{1,3}(?P<sep>[ \u00a0\u202f.,'])[0-9]{3}(?:(?P=sep)[0-9]{3})*|[0-9]+)"
    r"(?:(?P<dec>[.,])0{1,2})?"
)


def parse_count(
    value: object,
    *,
    allow_blank: bool = False,
    field: str | None = None,
    position: int | None = None,
) -> int:
    """Read one count of responses, as typed in any of the site's languages.

    Accepts ints and integral floats, and strings with thousands grouped by a space, no-break
    space or narrow no-break space (fr "1 234"), a dot (it "1.234"), a comma (en "1,234") or an
    apostrophe (ch "1'234"), optionally followed by zero decimals ("12,0", "1.234,00"). A group
    of three digits after a single mark is read as thousands: counts are whole, so "1.234" can
    only mean 1234. Blank is an error unless ``allow_blank`` (then 0).

    Raises ``NpsError``: "invalid_count" (``params["reason"]``: "blank", "negative",
    "not_whole", "not_a_number", "boolean", "wrong_type") or "count_too_large" (above
    ``MAX_COUNT``, including a 5,000-digit string); ``field`` and ``position`` are copied into
    the error so the caller's message can say which input was wrong.
    """
    where = {"field": field, "position": position}

    def invalid(reason: str, message: str) -> NpsError:
        return NpsError("invalid_count", message, value=value, params={"reason": reason}, **where)

    def too_large() -> NpsError:
        return NpsError(
            "count_too_large",
            f"A count cannot exceed {MAX_COUNT:,}.",
            value=value,
            params={"limit": MAX_COUNT},
            **where,
        )

    if isinstance(value, bool):
        raise invalid("boolean", "A count must be a whole number of responses.")
    if isinstance(value, int):
        if value < 0:
            raise invalid("negative", "A count cannot be negative.")
        if value > MAX_COUNT:
            raise too_large()
        return value
    if isinstance(value, (float, Decimal, Fraction)):
        finite = math.isfinite(value) if isinstance(value, float) else True
        if isinstance(value, Decimal):
            finite = value.is_finite()
        if not finite or value != int(value):
            raise invalid("not_whole", "A count must be a whole number of responses.")
        return parse_count(int(value), field=field, position=position)
    if not isinstance(value, str):
        raise invalid("wrong_type", "A count must be a whole number of responses.")
    text = value.strip(_SPACE_CHARS)
    if not text:
        if allow_blank:
            return 0
        raise invalid("blank", "A count is required.")
    if len(text) > 40:
        # Long enough to be absurd, short enough that nothing below can be slow.
        if _DIGITS_RE.fullmatch(text):
            raise too_large()
        raise invalid("not_a_number", "A count must be a whole number of responses.")
    match = _GROUPED_RE.fullmatch(text)
    # "1,234,00" reuses the grouping mark as decimal mark: not a number anyone writes.
    if match is None or (match.group("dec") and match.group("dec") == match.group("sep")):
        if re.fullmatch(r"-\s*[0-9][0-9 .,\u00a0\u202f']*", text):
            raise invalid("negative", "A count cannot be negative.")
        if re.fullmatch(r"[0-9]+[.,][0-9]+", text):
            raise invalid("not_whole", "A count must be a whole number of responses.")
        raise invalid("not_a_number", "A count must be a whole number of responses.")
    digits = re.sub(r"[^0-9]", "", match.group("int"))
    count = int(digits)
    if count > MAX_COUNT:
        raise too_large()
    return count


# --------------------------------------------------------------------------------------------
# CSV files


@dataclass(frozen=True)
class CsvColumn:
    """One column of a CSV file: 0-based ``index``, header ``name`` ("" without a header)."""

    index: int
    name: str
    looks_like_scores: bool

    @property
    def label(self) -> str | int:
        """The header name, or the 1-based column number when there is none."""
        return self.name or self.index + 1


@dataclass(frozen=True)
class CsvScores(ParsedScores):
    """Scores read from a CSV file, plus what a caller shows about the reading.

    ``columns`` lists every column (for a column picker), ``column`` is the one read,
    ``header`` says whether the first row was taken as names, ``delimiter`` is None for a
    single-column file, ``rows`` counts data rows (blank ones included), ``preview`` holds the
    first data rows as text (cells cut at 100 characters; raw text: escape before display).
    """

    columns: tuple[CsvColumn, ...] = ()
    column: CsvColumn | None = None
    header: bool = False
    delimiter: str | None = None
    encoding: str = "utf-8"
    rows: int = 0
    preview: tuple[tuple[str, ...], ...] = ()


_BINARY_SIGNATURES: Final = {
    b"PK\x03\x04": "xlsx",
    b"\xd0\xcf\x11\xe0": "xls",
    b"%PDF": "pdf",
    b"\x89PNG": "png",
    b"\xff\xd8\xff": "jpeg",
    b"GIF8": "gif",
    b"\x1f\x8b": "gzip",
}
_CONTROL_RE: Final = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_FORMULA_STARTS: Final = ("=", "+", "-", "@")
_NUMERIC_CELL_RE: Final = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")
_SCORE_COLUMN_WORDS: Final = (
    "nps",
    "score",
    "recommend",
    "likely",
    "likelihood",
    "rating",
    "note",
    "recommand",
    "voto",
    "punteggio",
    "raccomand",
    "consigli",
)
_DELIMITERS: Final = (";", "\t", "|", ",")
_NO_DELIMITER: Final = "\x1f"  # a control character, so never in a file that passed the checks
_SAMPLE_CHARS: Final = 64 * 1024
_SAMPLE_ROWS: Final = 200


def _not_csv(message: str, **params: Any) -> NpsError:
    return NpsError("not_csv", message, params=params)


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode text" export: UTF-16 with tabs.
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise _not_csv("The file is not readable text.") from None
    for signature, kind in _BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise _not_csv(
                f"This is not a CSV file (it looks like {kind}); export the sheet as CSV.",
                format=kind,
            )
    if b"\x00" in data:
        raise _not_csv("This is not a CSV file: it contains binary data.")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def _sample_rows(sample: str, delimiter: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
    try:
        return [row for row in islice(reader, _SAMPLE_ROWS) if row]
    except csv.Error:
        return []


def _detect_delimiter(sample: str) -> str | None:
    """The first of ; tab | , that splits the sample into a steady number (> 1) of columns."""
    for candidate in _DELIMITERS:
        if candidate not in sample:
            continue
        rows = _sample_rows(sample, candidate)
        if not rows:
            continue
        width, frequency = Counter(len(row) for row in rows).most_common(1)[0]
        if width < 2 or len(rows[0]) != width or frequency < 0.8 * len(rows):
            continue
        if (
            candidate == ","
            and width == 2
            and all(
                _DIGITS_RE.fullmatch(row[0].strip()) and re.fullmatch(r"0+", row[1].strip())
                for row in rows
            )
        ):
            # "9,0" on every line: one column of French decimals, not two columns.
            continue
        return candidate
    return None


def _is_number(cell: str) -> bool:
    return bool(_NUMERIC_CELL_RE.fullmatch(cell.strip(_SPACE_CHARS)))


def _looks_like_header(rows: list[list[str]]) -> bool:
    first, rest = rows[0], rows[1:]
    cells = [cell.strip(_SPACE_CHARS) for cell in first]
    filled = [cell for cell in cells if cell]
    if any(cell.startswith(_FORMULA_STARTS) and not _is_number(cell) for cell in filled):
        # A formula (=CMD()) is never a column name: read as data, it is rejected as a score.
        return False
    if filled and not any(_is_number(cell) for cell in filled):
        return True
    for index, cell in enumerate(cells):
        if not cell or _is_number(cell):
            continue
        below = [row[index] for row in rest if index < len(row) and row[index].strip()]
        if below and sum(map(_is_number, below)) >= 0.9 * len(below):
            return True
    return False


def _score_share(values: list[str]) -> float:
    filled = [value for value in values if value.strip(_SPACE_CHARS)]
    if not filled:
        return 0.0
    good = 0
    for value in filled:
        try:
            _score_from_text(value)
        except _BadScore:
            continue
        good += 1
    return good / len(filled)


def _choose_column(
    columns: tuple[CsvColumn, ...], wanted: str | int | None, *, has_data: bool
) -> tuple[CsvColumn, bool]:
    """The column to read and whether it was guessed among several."""
    if wanted is None:
        if len(columns) == 1:
            return columns[0], False
        if not has_data:
            # A header and nothing else: no responses, which analyse() reports as such.
            return columns[0], True
        candidates = [column for column in columns if column.looks_like_scores]
        named = [
            column
            for column in candidates
            if any(word in column.name.casefold() for word in _SCORE_COLUMN_WORDS)
        ]
        if named or candidates:
            return (named or candidates)[0], True
        raise NpsError(
            "no_score_column",
            "No column of this file looks like scores from 0 to 10; choose one.",
            params={"columns": [column.label for column in columns]},
        )
    if isinstance(wanted, int) and not isinstance(wanted, bool):
        if 0 <= wanted < len(columns):
            return columns[wanted], False
    elif isinstance(wanted, str):
        name = wanted.strip()
        for matches in (
            lambda c: c.name == wanted,
            lambda c: c.name.strip().casefold() == name.casefold(),
        ):
            found = [column for column in columns if column.name and matches(column)]
            if found:
                return found[0], False
        if re.fullmatch(r"[0-9]{1,4}", name) and 1 <= int(name) <= len(columns):
            return columns[int(name) - 1], False
    raise NpsError(
        "unknown_column",
        "This file has no such column.",
        field="column",
        value=wanted,
        params={"columns": [column.label for column in columns]},
    )


def parse_csv(
    data: bytes,
    column: str | int | None = None,
    *,
    header: bool | None = None,
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
    preview_rows: int = 5,
) -> CsvScores:
    """Read the scores of one column of a CSV export.

    - Encoding: UTF-8 (a BOM is stripped), UTF-16 with a BOM, else Windows-1252 (with an
      "encoding_fallback" warning).
    - Delimiter: detected among ``;``, tab, ``|`` and ``,``; none means a single column.
    - Header: taken when the first row is not numeric where the data is (``header`` forces it).
    - ``column``: a header name (exact, then ignoring case and spaces), a 0-based ``int`` index,
      or a string of digits giving the 1-based column number (as typed on a command line).
      By default the only column, or the first that looks like scores (a name such as "score"
      or "NPS" first), with a "column_guessed" warning.
    - Blank answers (empty cells, short rows, empty lines) are skipped and counted.
    - Callers should stop reading an upload after ``max_bytes + 1`` bytes.

    Raises ``NpsError``: "file_too_large", "not_csv" (binary data, spreadsheets, PDFs...),
    "empty_file", "too_many_rows" (more than ``max_rows`` data rows), "unknown_column",
    "no_score_column", and "invalid_score" with the ``line`` and ``column`` of the first bad
    value (formulas such as =CMD() included, reported as a truncated repr).
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise NpsError("invalid_input", "A CSV file must be given as bytes.", value=data)
    if len(data) > max_bytes:
        raise NpsError(
            "file_too_large",
            f"The file is too large (more than {max_bytes:,} bytes).",
            params={"limit": max_bytes},
        )
    data = bytes(data)
    text, encoding = _decode(data)
    sample = text[:_SAMPLE_CHARS]
    if len(text) > _SAMPLE_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n") + 1]
    controls = _CONTROL_RE.findall(sample.rstrip("\x1a"))
    if "\x00" in sample or len(controls) > max(2, len(sample) // 100):
        raise _not_csv("This is not a CSV file: it contains binary data.")
    if _NO_DELIMITER in text or not text.strip():
        if not text.strip():
            raise NpsError("empty_file", "The file is empty.")
        raise _not_csv("This is not a CSV file: it contains binary data.")
    if '"' not in text:
        # Without quotes every line is a row, so a huge file is refused before parsing it.
        lines = text.count("\n") + (not text.endswith("\n"))
        if lines > max_rows + 1:
            raise _too_many_rows(max_rows)

    delimiter = _detect_delimiter(sample)
    sample_rows = _sample_rows(sample, delimiter or _NO_DELIMITER)
    if not sample_rows:
        raise NpsError("empty_file", "The file is empty.")
    has_header = _looks_like_header(sample_rows) if header is None else header
    width = max(len(row) for row in sample_rows)
    names = [cell.strip(_SPACE_CHARS) for cell in sample_rows[0]] if has_header else []
    names += [""] * (width - len(names))
    body = sample_rows[1:] if has_header else sample_rows
    columns = tuple(
        CsvColumn(
            index=index,
            name=name,
            looks_like_scores=_score_share([r[index] if index < len(r) else "" for r in body])
            >= 0.9,
        )
        for index, name in enumerate(names)
    )
    chosen, guessed = _choose_column(columns, column, has_data=bool(body))
    index = chosen.index

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter or _NO_DELIMITER)
    try:
        rows = iter(reader)
        if has_header:
            for first in rows:
                if first:
                    break
        head = list(islice(rows, preview_rows))
        # None marks an empty line, "" an empty or missing cell: both are blank answers.
        values = [row[index] if index < len(row) else ("" if row else None) for row in head]
        values += [
            row[index] if index < len(row) else ("" if row else None)
            for row in islice(rows, max_rows + 1 - len(head))
        ]
    except csv.Error as error:
        raise NpsError(
            "not_csv", f"The file is not valid CSV: {error}.", line=reader.line_num
        ) from None
    if len(values) > max_rows:
        raise _too_many_rows(max_rows)
    while values and values[-1] is None:
        values.pop()

    tally = _tally(Counter(values), _score_from_object)
    if tally.bad:
        row_index = next(i for i, v in enumerate(values) if v in tally.bad)
        raise _invalid_score(
            values[row_index],
            tally.bad[values[row_index]],
            line=_line_of(text, delimiter, has_header, row_index),
            column=chosen.label,
            position=row_index + 1,
        )
    warnings: list[ParseWarning] = []
    if encoding == "cp1252":
        warnings.append(
            ParseWarning(
                code="encoding_fallback",
                message="The file is not UTF-8; it was read as Windows-1252 (Western Europe).",
            )
        )
    if guessed:
        warnings.append(
            ParseWarning(
                code="column_guessed",
                message=f"Scores were read from column {chosen.label!r}; choose another if needed.",
                column=chosen.label,
                params={"columns": [c.label for c in columns]},
            )
        )
    if tally.decimal:
        row_index = next(i for i, v in enumerate(values) if v in tally.decimal)
        score, _ = _score_from_text(values[row_index])  # type: ignore[arg-type]
        assert score is not None
        warnings.append(
            _decimal_warning(
                tally.decimal_count,
                values[row_index],
                score,
                line=_line_of(text, delimiter, has_header, row_index),
                column=chosen.label,
                position=row_index + 1,
            )
        )
    return CsvScores(
        distribution=tuple(tally.distribution),
        skipped=tally.skipped,
        warnings=tuple(warnings),
        columns=columns,
        column=chosen,
        header=has_header,
        delimiter=delimiter,
        encoding=encoding,
        rows=len(values),
        preview=tuple(tuple(cell[:_PREVIEW_CELL_MAX] for cell in row) for row in head),
    )


def _too_many_rows(limit: int) -> NpsError:
    return NpsError(
        "too_many_rows",
        f"The file has more than {limit:,} rows.",
        params={"limit": limit},
    )


def _line_of(text: str, delimiter: str | None, has_header: bool, row_index: int) -> int:
    """The physical line (1-based) where data row ``row_index`` ends: quoted cells may span."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter or _NO_DELIMITER)
    rows = iter(reader)
    if has_header:
        for first in rows:
            if first:
                break
    for _ in islice(rows, row_index + 1):
        pass
    return reader.line_num


# --------------------------------------------------------------------------------------------
# Everything a caller displays


@dataclass(frozen=True)
class Result:
    """Everything the page, the API and the command show for one sample (and a comparison).

    ``nps`` is exact; ``display`` is it rounded half away from zero with ``decimals`` places and
    the caller's decimal mark. ``interval`` is the headline adjusted-Wald interval, ``wald`` the
    plain one. ``compared`` is the second sample's own result and ``comparison`` the difference
    (this sample minus the other) when a second sample was given.
    """

    counts: Counts
    skipped: int
    nps: Fraction
    display: str
    decimals: int
    confidence: float
    percentages: CategoryPercentages
    wald: Interval
    interval: Interval
    small_sample: bool
    warnings: tuple[ParseWarning, ...] = ()
    comparison: Comparison | None = None
    compared: Result | None = None

    @property
    def n(self) -> int:
        """All responses, passives included (blanks excluded)."""
        return self.counts.n

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``POST /api/v1/nps`` and of ``manage.py nps --json``.

        Numbers are on the -100..100 scale, rounded half away from zero to 4 decimals.
        """
        counts = self.counts
        data: dict[str, Any] = {
            "nps": _json_number(self.nps),
            "nps_display": self.display,
            "n": counts.n,
            "promoters": counts.promoters,
            "passives": counts.passives,
            "detractors": counts.detractors,
            "skipped": self.skipped,
            "percentages": {
                "promoters": self.percentages.promoters,
                "passives": self.percentages.passives,
                "detractors": self.percentages.detractors,
            },
            "small_sample": self.small_sample,
            "interval": {
                "method": self.interval.method,
                "confidence": self.interval.confidence,
                "centre": _json_number(self.interval.centre),
                "lower": _json_number(self.interval.lower),
                "upper": _json_number(self.interval.upper),
                "margin": _json_number(self.interval.margin),
                "clipped": self.interval.clipped,
            },
            "wald": {
                "lower": _json_number(self.wald.lower),
                "upper": _json_number(self.wald.upper),
                "margin": _json_number(self.wald.margin),
                "se": _json_number(self.wald.se),
            },
            "warnings": [warning.to_dict() for warning in self.warnings],
        }
        if self.comparison is not None and self.compared is not None:
            comparison = self.comparison
            data["compare"] = self.compared.to_dict()
            data["comparison"] = {
                "confidence": comparison.confidence,
                "difference": _json_number(comparison.difference),
                "nps_difference": _json_number(comparison.nps_difference),
                "se": _json_number(comparison.se),
                "z": _json_number(comparison.z),
                "p_value": _json_number(comparison.p_value),
                "lower": _json_number(comparison.lower),
                "upper": _json_number(comparison.upper),
                "significant": comparison.significant,
            }
        return data


def _json_number(value: Fraction | float) -> float:
    return float(round_half_away(value, 4))


def analyse(
    counts: Counts | ParsedScores,
    compare_counts: Counts | ParsedScores | None = None,
    confidence: object = 0.95,
    *,
    decimals: int = 0,
    decimal_sep: str = ".",
) -> Result:
    """Compute everything shown for one sample, and its comparison with a second one.

    Takes ``Counts`` or what a reader returned (``ParsedScores``/``CsvScores``, whose skipped
    blanks and warnings are carried into the result). ``decimals`` (0..4) and ``decimal_sep``
    only shape ``display``. Raises ``NoResponses`` (``field="compare"`` for the second sample),
    ``NpsError("unsupported_confidence")`` and ``NpsError("invalid_decimals")``.
    """
    level = parse_confidence(confidence)
    if type(decimals) is not int or not 0 <= decimals <= _MAX_DECIMALS:
        raise NpsError(
            "invalid_decimals",
            f"Decimals must be a whole number from 0 to {_MAX_DECIMALS}.",
            field="decimals",
            value=decimals,
        )
    sample, skipped, warnings = _unpack(counts)
    score = nps(sample)
    compared = None
    comparison = None
    if compare_counts is not None:
        try:
            compared = analyse(
                compare_counts, None, level, decimals=decimals, decimal_sep=decimal_sep
            )
        except NoResponses:
            raise NoResponses(field="compare") from None
        comparison = compare(sample, compared.counts, level)
    return Result(
        counts=sample,
        skipped=skipped,
        nps=score,
        display=format_score(score, decimals, decimal_sep),
        decimals=decimals,
        confidence=level,
        percentages=category_percentages(sample),
        wald=_wald(sample.promoters, sample.detractors, sample.n, level),
        interval=_adjusted_wald(sample.promoters, sample.detractors, sample.n, level),
        small_sample=sample.n < _SMALL_SAMPLE,
        warnings=warnings,
        comparison=comparison,
        compared=compared,
    )


def _unpack(value: Counts | ParsedScores) -> tuple[Counts, int, tuple[ParseWarning, ...]]:
    if isinstance(value, Counts):
        return value, 0, ()
    if isinstance(value, ParsedScores):
        return value.counts, value.skipped, value.warnings
    raise TypeError(f"expected Counts or ParsedScores, not {type(value).__name__}")
