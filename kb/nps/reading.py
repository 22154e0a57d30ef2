"""The one reader of what people give the calculator, whichever door they come in by.

The page's form, the JSON API and the ``nps`` command all hand their raw input to
``read_sample`` (and their options to ``parse_confidence``, ``parse_decimals``,
``parse_target`` and ``parse_margin``), so a count, a list or a CSV file is read the same way
everywhere and every problem carries the same error code. Nothing here imports Django.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from kb.nps.csvfiles import parse_csv
from kb.nps.errors import NpsError
from kb.nps.parsing import ParsedScores, parse_score_list, read_scores
from kb.nps.scoring import Counts, parse_count

COUNT_FIELDS: Final = ("promoters", "passives", "detractors")
SAMPLE_FIELDS: Final = (*COUNT_FIELDS, "distribution", "scores", "csv")
_KINDS: Final = (("counts", COUNT_FIELDS), ("distribution", ("distribution",)),
                 ("scores", ("scores",)), ("csv", ("csv",)))  # fmt: skip


def read_sample(
    data: object, *, blank_is_zero: bool = False, prefix: str = ""
) -> Counts | ParsedScores:
    """One sample, given in exactly one of four forms (other keys of ``data`` are ignored):

    - ``promoters``, ``passives``, ``detractors``: three counts, as numbers or as typed in any
      of the site's languages ("1 234"); a missing one is 0, and so is a blank one when
      ``blank_is_zero`` (a form's empty box);
    - ``distribution``: eleven such counts, one per score 0..10;
    - ``scores``: the raw scores, a list (a JSON array; None or "" for a blank answer) or a text
      pasted from a spreadsheet;
    - ``csv``: the bytes of a CSV export, with ``column`` (optional) naming the column to read.

    Returns ``Counts``, or ``ParsedScores``/``CsvScores`` (with skipped blanks and warnings).
    Raises ``NpsError`` whose ``field`` says where the problem is ("promoters", "distribution"
    with ``position`` = the score, "scores", "csv", "column"), after ``prefix`` (e.g.
    "compare." for a second sample). When several counts are wrong, the first error is raised
    and its ``errors`` holds them all, so that a form can flag each box. Codes of its own:
    "invalid_request" (``data`` is not a mapping), "missing_sample", "ambiguous_sample".
    """
    where = prefix.rstrip(".") or None
    if not isinstance(data, Mapping):
        raise NpsError("invalid_request", "A sample is an object.", field=where)
    given = [kind for kind, names in _KINDS if any(name in data for name in names)]
    if len(given) > 1:
        raise NpsError("ambiguous_sample", "Give only one form of sample.", field=where)
    if not given:
        raise NpsError("missing_sample", "Give counts, a distribution or scores.", field=where)
    kind = given[0]
    try:
        return _read(kind, data, blank_is_zero)
    except NpsError as error:
        for each in error.errors:
            each.field = prefix + (each.field or kind) if prefix else each.field or kind
        raise


def _read(kind: str, data: Mapping, blank_is_zero: bool) -> Counts | ParsedScores:
    if kind == "counts":
        return Counts(*_counts([(name, None, data.get(name, 0)) for name in COUNT_FIELDS],
                               blank_is_zero))  # fmt: skip
    if kind == "distribution":
        distribution = data["distribution"]
        if isinstance(distribution, (str, bytes)) or not isinstance(distribution, (list, tuple)):
            raise NpsError(
                "invalid_distribution",
                "A distribution is a list of eleven counts, one per score from 0 to 10.",
                value=distribution,
            )
        if len(distribution) != 11:
            return Counts.from_distribution(distribution)  # which says what is wrong
        counts = _counts(
            [("distribution", score, raw) for score, raw in enumerate(distribution)],
            blank_is_zero,
        )
        return Counts.from_distribution(counts)
    if kind == "scores":
        scores = data["scores"]
        if isinstance(scores, (list, tuple)):
            return read_scores(scores)
        if isinstance(scores, str):
            return parse_score_list(scores)
        raise NpsError("invalid_input", "Scores are a list or a text.", value=scores)
    column = data.get("column")
    return parse_csv(data["csv"], column if column not in (None, "") else None)  # type: ignore[arg-type]


def _counts(entries: list[tuple[str, int | None, object]], blank_is_zero: bool) -> list[int]:
    """Each count read, or every problem at once (the first raised, carrying the others)."""
    counts, errors = [], []
    for field, position, raw in entries:
        try:
            counts.append(
                parse_count(raw, allow_blank=blank_is_zero, field=field, position=position)
            )
        except NpsError as error:
            errors.append(error)
    if errors:
        errors[0].errors = tuple(errors)
        raise errors[0]
    return counts
