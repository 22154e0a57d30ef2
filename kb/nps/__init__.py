"""The NPS calculator: exact scoring, uncertainty and the inputs people bring (kb.nps).

The pure modules below import nothing from Django, so the calculator page, the embed, the JSON
API, the ``nps`` command and the tests share one scorer; they follow the project's reference,
``shared/specs/nps.md``. Conventions: scores are whole numbers 0..10 (detractors 0-6, passives
7-8, promoters 9-10); every number describing an NPS is on the -100..100 scale; the NPS is exact
and rounded only for display, half away from zero; no responses is an error, never 0.

- ``errors``: ``NpsError`` and its stable codes, which kb.nps.messages translates.
- ``scoring``: categories, ``Counts`` (and counts as people type them), the NPS, rounding.
- ``statistics``: confidence intervals, comparisons, sample sizes, promoters needed.
- ``parsing``: scores from JSON lists and pasted text; ``csvfiles``: CSV exports.
- ``reading``: the one reader of a sample and of the options, for every entry point.
- ``result``: ``analyse`` and the one ``Result`` every entry point presents.

Then the Django side: forms, uploads (the capped upload handler), views, api, chart, messages,
links, urls and the ``nps`` command.
"""

from kb.nps.csvfiles import (
    LISTED_COLUMNS,
    MAX_RECORD_CHARS,
    PREVIEW_COLUMNS,
    CsvColumn,
    CsvScores,
    parse_csv,
)
from kb.nps.errors import NoResponses, NpsError
from kb.nps.parsing import (
    MAX_BYTES,
    MAX_ROWS,
    ParsedScores,
    ParseWarning,
    parse_score_list,
    read_scores,
)
from kb.nps.reading import read_sample
from kb.nps.result import DECIMALS, Result, analyse, parse_decimals
from kb.nps.scoring import (
    MAX_COUNT,
    POINTS_DECIMALS,
    Category,
    CategoryPercentages,
    Counts,
    category_percentages,
    classify,
    format_score,
    has_places,
    nps,
    parse_count,
    round_half_away,
)
from kb.nps.statistics import (
    CONFIDENCE_LEVELS,
    Comparison,
    Interval,
    PromotersNeeded,
    adjusted_wald_interval,
    compare,
    parse_confidence,
    parse_margin,
    parse_target,
    promoters_needed,
    sample_size,
    wald_interval,
)

__all__ = [
    "CONFIDENCE_LEVELS",
    "DECIMALS",
    "LISTED_COLUMNS",
    "MAX_BYTES",
    "MAX_COUNT",
    "MAX_RECORD_CHARS",
    "MAX_ROWS",
    "POINTS_DECIMALS",
    "PREVIEW_COLUMNS",
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
    "adjusted_wald_interval",
    "analyse",
    "category_percentages",
    "classify",
    "compare",
    "format_score",
    "has_places",
    "nps",
    "parse_confidence",
    "parse_count",
    "parse_csv",
    "parse_decimals",
    "parse_margin",
    "parse_target",
    "parse_score_list",
    "promoters_needed",
    "read_sample",
    "read_scores",
    "round_half_away",
    "sample_size",
    "wald_interval",
]
