"""Scores, categories and counts, the exact NPS, and its rounding for display.

Scores are whole numbers 0..10: detractors 0-6, passives 7-8, promoters 9-10 (the project's
reference, ``shared/specs/nps.md``). The NPS is exact (``Fraction``) on the -100..100 scale and is
rounded only for display, half away from zero. No responses is an error (``NoResponses``), never
a score of 0. Nothing here imports Django."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any, Final

from kb.nps.errors import NoResponses, NpsError, short_repr

_SCORE_SET: Final = frozenset(range(11))
MAX_COUNT: Final = 10**12
"""Largest count accepted for one category (or one score of a distribution)."""
SPACE_CHARS: Final = " \t\u00a0\u2007\u202f\ufeff"
"""What surrounds or groups numbers in fr/it/en text: spaces, no-break spaces, a BOM."""
DIGITS_RE: Final = re.compile(r"[0-9]+")


class Category(StrEnum):
    """The three groups of respondents."""

    PROMOTER = "promoter"
    PASSIVE = "passive"
    DETRACTOR = "detractor"


CATEGORY_OF: Final = tuple(
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


class BadScore(Exception):
    def __init__(self, reason: str) -> None:
        self.reason = reason


def invalid_score(value: object, reason: str, **where: Any) -> NpsError:
    return NpsError(
        "invalid_score",
        f"{short_repr(value)} {_SCORE_REASONS[reason]}",
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
        raise invalid_score(score, "boolean" if isinstance(score, bool) else "wrong_type")
    if not 0 <= score <= 10:
        raise invalid_score(score, "out_of_range")
    return CATEGORY_OF[score]


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
        return cls.from_tally(counts)

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
                    raise invalid_score(value, reason, position=position)
        tally = Counter(values)
        if not tally.keys() <= _SCORE_SET:
            for position, value in enumerate(values, start=1):
                if value not in _SCORE_SET:
                    raise invalid_score(value, "out_of_range", position=position)
        return cls.from_tally([tally[s] for s in range(11)])

    @classmethod
    def from_tally(cls, distribution: Sequence[int]) -> Counts:
        return cls(
            promoters=distribution[9] + distribution[10],
            passives=distribution[7] + distribution[8],
            detractors=sum(distribution[:7]),
        )


def nps(counts: Counts) -> Fraction:
    """The exact NPS, 100 x (promoters - detractors) / n, in -100..100.

    Raises ``NoResponses`` when n == 0.
    """
    if counts.n == 0:
        raise NoResponses()
    return Fraction(100 * (counts.promoters - counts.detractors), counts.n)


def exact(value: Fraction | Decimal | int | float) -> Fraction:
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"cannot round {value!r}")
        # The shortest repr is what the value means to a person: 2.675 is 2.675, not
        # 2.67499999999999982236431605997495353221893310546875.
        return Fraction(repr(value))
    return Fraction(value)


POINTS_DECIMALS: Final = 2
"""Places a number of points may have (a target or a margin): the display's own limit."""
_POINTS_MAX_CHARS: Final = 20
_POINTS_TEXT_RE: Final = re.compile(r"([+-]?)([0-9]+)(?:[.,]([0-9]+))?")
# U+2212 is the minus the site prints in "−100"; people copy it back.
_MINUS_SIGNS: Final = str.maketrans({"\u2212": "-", "\u2013": "-"})


def read_points(value: object) -> Fraction:
    """A number of NPS points exactly as ``value`` means it, range unchecked.

    Numbers: ints, finite floats (taken at their shortest repr, so 0.1 is 1/10), ``Decimal`` and
    ``Fraction``. Text as typed in fr/it/en: optional sign (also U+2212 "−"), ASCII digits
    (leading zeros allowed: "0100" is 100), an optional decimal point or comma ("2,5"), spaces
    around. No exponents ("1e1"), fractions ("1/2"), other scripts' digits or words ("nan").
    Raises ``ValueError`` for anything else (booleans, lists, text of more than 20 characters).
    """
    if isinstance(value, bool):
        raise ValueError("a boolean is not a number of points")
    if isinstance(value, (int, float, Decimal, Fraction)):
        if isinstance(value, Decimal) and not value.is_finite():
            raise ValueError("not a finite number")
        return exact(value)
    if not isinstance(value, str) or len(value) > _POINTS_MAX_CHARS:
        raise ValueError("not a number of points")
    match = _POINTS_TEXT_RE.fullmatch(value.strip(SPACE_CHARS).translate(_MINUS_SIGNS))
    if match is None:
        raise ValueError("not a number of points")
    sign, whole, fraction = match.groups()
    number = Fraction(int(whole))
    if fraction:
        number += Fraction(int(fraction), 10 ** len(fraction))
    return -number if sign == "-" else number


def has_places(value: Fraction, places: int) -> bool:
    """Whether ``value`` is written with at most ``places`` decimals (2.5 has 1, 1/3 infinitely)."""
    return (value * 10**places).denominator == 1


def round_half_away(value: Fraction | Decimal | int | float, decimals: int = 0) -> Decimal:
    """Round to ``decimals`` places, halves away from zero (12.5 -> 13, -12.5 -> -13).

    Exact for ``Fraction``, ``Decimal`` and ``int``; a float is taken at its shortest repr.
    Returns a ``Decimal`` with exactly ``decimals`` places (``Decimal("45.0")`` for 45 and 1).
    Never returns a negative zero.
    """
    if not 0 <= decimals <= 12:
        raise ValueError("decimals must be between 0 and 12")
    scaled = exact(value) * 10**decimals
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
    text = value.strip(SPACE_CHARS)
    if not text:
        if allow_blank:
            return 0
        raise invalid("blank", "A count is required.")
    if len(text) > 40:
        # Long enough to be absurd, short enough that nothing below can be slow.
        if DIGITS_RE.fullmatch(text):
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
