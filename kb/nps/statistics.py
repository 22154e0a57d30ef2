"""The uncertainty of an NPS: Wald and adjusted-Wald intervals, comparisons, sample sizes.

Every number is on the NPS scale (-100..100 "points"), never on the -1..1 scale; intervals are
floats, estimates anyway. Nothing here imports Django."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from statistics import NormalDist
from typing import Final

from kb.nps.errors import NoResponses, NpsError
from kb.nps.scoring import POINTS_DECIMALS, Counts, exact, has_places, nps, read_points

CONFIDENCE_LEVELS: Final = (0.90, 0.95, 0.99)
"""The confidence levels the calculator supports."""

_Z: Final = {level: NormalDist().inv_cdf(1 - (1 - level) / 2) for level in CONFIDENCE_LEVELS}
_PHI: Final = NormalDist().cdf


def parse_confidence(value: object) -> float:
    """The supported confidence level ``value`` stands for: 0.90, 0.95 or 0.99.

    Accepts a number or string written as a fraction (0.95, "0.95", "0,95") or a percent
    (95, "95", "95 %"). Anything else raises ``NpsError("unsupported_confidence")``.
    """
    number: Fraction | None = None
    if isinstance(value, (int, float, Decimal, Fraction)) and not isinstance(value, bool):
        if not isinstance(value, float) or math.isfinite(value):
            number = exact(value)
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


def parse_margin(value: object) -> Fraction:
    """The margin of error ``value`` asks for, in points: more than 0, at most 100.

    Read by ``scoring.read_points`` (numbers, or text as typed: "2,5", "0100" is 100), with at
    most two decimals, so the smallest margin is 0.01 point (384,145,880 answers at 95 %).
    Raises ``NpsError("invalid_margin")`` for anything else: 0, -5, 101, 5.00001, 1e-300, "1e1",
    "nan", booleans, lists...
    """
    try:
        margin = read_points(value)
    except ValueError:
        margin = None
    if margin is None or not 0 < margin <= 100 or not has_places(margin, POINTS_DECIMALS):
        raise NpsError(
            "invalid_margin",
            "The margin must be a number of points greater than 0 and at most 100, "
            "with at most two decimals.",
            field="margin",
            value=value,
        )
    return margin


def parse_target(value: object) -> Fraction:
    """The target NPS ``value`` asks for: -100 to 100 points, at most two decimals.

    Read like a margin (``scoring.read_points``: "+50", "−20", "50,5", "050"); raises
    ``NpsError("invalid_target")`` for anything else.
    """
    try:
        target = read_points(value)
    except ValueError:
        target = None
    if target is None or not -100 <= target <= 100 or not has_places(target, POINTS_DECIMALS):
        raise NpsError(
            "invalid_target",
            "The target NPS must be a number between -100 and 100, with at most two decimals.",
            field="target",
            value=value,
        )
    return target


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

    ``margin`` is in NPS points (5 means +/- 5 on the -100..100 scale), as ``parse_margin``
    reads it: 0 < margin <= 100 with at most two decimals, so the answer stays finite.
    ``expected`` gives the expected shares, either as past ``Counts`` or as a
    ``(promoter_share, detractor_share)`` pair of fractions 0..1; without it V = 1, the worst
    case. Returns at least 1. Raises ``NpsError("invalid_margin")``, ``"invalid_expected"`` or
    ``"unsupported_confidence"``.
    """
    level = parse_confidence(confidence)
    m = float(parse_margin(margin)) / 100
    variance = 1.0
    if isinstance(expected, Counts):
        if expected.n == 0:
            raise NoResponses(field="expected")
        _, variance = _shares(expected.promoters, expected.detractors, expected.n)
    elif expected is not None:
        try:
            p, d = (float(exact(share)) for share in expected)
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

    ``target`` is in points, as ``parse_target`` reads it: -100..100 with at most two decimals (a
    float is taken at its shortest repr, so 50.1 means 50.1). Returns ``additional=0`` when the
    target is already met. Raises ``NoResponses`` for an empty sample and
    ``NpsError("invalid_target")``.
    """
    goal = parse_target(target)
    current = nps(counts)
    if current >= goal:
        return PromotersNeeded(goal, current, True, 0, current)
    if goal == 100:
        return PromotersNeeded(goal, current, False, None, None)
    lead = counts.promoters - counts.detractors
    k = math.ceil((goal * counts.n - 100 * lead) / (100 - goal))
    after = Fraction(100 * (lead + k), counts.n + k)
    return PromotersNeeded(goal, current, True, k, after)
