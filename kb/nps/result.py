"""The one result of the calculator: what the page, the API and the command all show.

``analyse`` computes it from what a reader returned; ``Result.to_dict`` is its JSON shape (the
API's answer and ``manage.py nps --json``). Nothing here imports Django."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Final

from kb.nps.errors import NoResponses, NpsError
from kb.nps.parsing import ParsedScores, ParseWarning
from kb.nps.scoring import (
    CategoryPercentages,
    Counts,
    category_percentages,
    format_score,
    nps,
    round_half_away,
)
from kb.nps.statistics import (
    Comparison,
    Interval,
    adjusted_wald_interval,
    compare,
    parse_confidence,
    wald_interval,
)

DECIMALS: Final = range(3)
"""The places a displayed NPS may have (0, 1 or 2): the page, the API and the command alike."""
_SMALL_SAMPLE: Final = 30


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


def parse_decimals(value: object) -> int:
    """The number of decimals ``value`` asks for: an int or a digit string in ``DECIMALS``.

    Raises ``NpsError("invalid_decimals")`` for anything else (booleans, "2.0", 3...).
    """
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip()) if len(value.strip()) <= 2 else value
    if type(value) is int and value in DECIMALS:
        return value
    raise NpsError(
        "invalid_decimals",
        f"Decimals must be a whole number from {DECIMALS[0]} to {DECIMALS[-1]}.",
        field="decimals",
        value=value,
        params={"choices": list(DECIMALS)},
    )


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
    blanks and warnings are carried into the result). ``decimals`` (one of ``DECIMALS``) and
    ``decimal_sep`` only shape ``display``. Raises ``NoResponses`` (``field="compare"`` for the
    second sample), ``NpsError("unsupported_confidence")`` and ``NpsError("invalid_decimals")``.
    """
    level = parse_confidence(confidence)
    decimals = parse_decimals(decimals)
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
        wald=wald_interval(sample, level),
        interval=adjusted_wald_interval(sample, level),
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
