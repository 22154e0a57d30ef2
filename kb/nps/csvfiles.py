"""CSV exports of surveys and spreadsheets, French and Italian ones included.

The delimiter is sniffed among ``; , tab |``, the encoding among UTF-8 (with or without BOM),
UTF-16 and Windows-1252; a non-numeric first row is a header; the scores' column is chosen or
guessed. Nothing here imports Django."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any, Final

from kb.nps.errors import NpsError
from kb.nps.parsing import (
    MAX_BYTES,
    MAX_ROWS,
    ParsedScores,
    ParseWarning,
    decimal_warning,
    score_from_object,
    score_from_text,
    tally_tokens,
)
from kb.nps.scoring import DIGITS_RE, SPACE_CHARS, BadScore, invalid_score

MAX_RECORD_CHARS: Final = 256 * 1024
"""Cap on one record (a row, quoted line breaks included): a wide survey export has a few
hundred columns of at most a few thousand characters; a longer record is refused before the CSV
reader builds it, so one line cannot hold a million cells."""
PREVIEW_ROWS: Final = 5
"""The preview shows the first rows of the file, enough to recognise the columns..."""
PREVIEW_COLUMNS: Final = 20
"""...and their first 20 cells: a table that still fits a page (column pickers list more)."""
PREVIEW_CELL_CHARS: Final = 50
"""...each cut at 50 characters (with "…"), enough to recognise a value or a comment."""
LISTED_COLUMNS: Final = 50
"""Columns listed for a picker or in a message; any other column is chosen by name or number."""


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

    ``columns`` lists every column found in the first 64 KiB (a column picker shows the first
    ``LISTED_COLUMNS``), ``column`` is the one read, ``header`` says whether the first row was
    taken as names, ``delimiter`` is None for a single-column file, ``rows`` counts data rows
    (blank ones included), ``preview`` holds the first ``PREVIEW_ROWS`` data rows as text, at
    most ``PREVIEW_COLUMNS`` cells each, cut at ``PREVIEW_CELL_CHARS`` characters (raw text:
    escape before display).
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
                DIGITS_RE.fullmatch(row[0].strip()) and re.fullmatch(r"0+", row[1].strip())
                for row in rows
            )
        ):
            # "9,0" on every line: one column of French decimals, not two columns.
            continue
        return candidate
    return None


def _is_number(cell: str) -> bool:
    return bool(_NUMERIC_CELL_RE.fullmatch(cell.strip(SPACE_CHARS)))


def _by_column(rows: list[list[str]], width: int) -> list[list[str]]:
    """The filled cells of each column: one pass over the cells, however ragged the rows."""
    columns: list[list[str]] = [[] for _ in range(width)]
    for row in rows:
        for index, cell in enumerate(row):
            if cell.strip(SPACE_CHARS):
                columns[index].append(cell)
    return columns


def _looks_like_header(rows: list[list[str]], width: int) -> bool:
    first = rows[0]
    cells = [cell.strip(SPACE_CHARS) for cell in first]
    filled = [cell for cell in cells if cell]
    if any(cell.startswith(_FORMULA_STARTS) and not _is_number(cell) for cell in filled):
        # A formula (=CMD()) is never a column name: read as data, it is rejected as a score.
        return False
    if filled and not any(_is_number(cell) for cell in filled):
        return True
    below = _by_column(rows[1:], width)
    for index, cell in enumerate(cells):
        if not cell or _is_number(cell):
            continue
        if below[index] and sum(map(_is_number, below[index])) >= 0.9 * len(below[index]):
            return True
    return False


def _score_share(filled: list[str]) -> float:
    if not filled:
        return 0.0
    good = 0
    for value in filled:
        try:
            score_from_text(value)
        except BadScore:
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
            params=column_list(columns),
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
        if re.fullmatch(r"[0-9]{1,7}", name) and 1 <= int(name) <= len(columns):
            return columns[int(name) - 1], False
    raise NpsError(
        "unknown_column",
        "This file has no such column.",
        field="column",
        value=wanted,
        params=column_list(columns),
    )


def column_list(columns: tuple[CsvColumn, ...]) -> dict[str, Any]:
    """The first ``LISTED_COLUMNS`` labels and how many columns there are, for messages."""
    return {
        "columns": [column.label for column in columns[:LISTED_COLUMNS]],
        "column_count": len(columns),
    }


def parse_csv(
    data: bytes,
    column: str | int | None = None,
    *,
    header: bool | None = None,
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
    max_record_chars: int = MAX_RECORD_CHARS,
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
    "empty_file", "too_many_rows" (more than ``max_rows`` data rows), "record_too_long" (a
    row of more than ``max_record_chars`` characters, with its ``line``), "unknown_column",
    "no_score_column", and "invalid_score" with the ``line`` and ``column`` of the first bad
    value (formulas such as =CMD() included, reported as a truncated repr).
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise NpsError("invalid_input", "A CSV file must be given as bytes.", value=data)
    data = bytes(data)
    if len(data) > max_bytes:
        raise _too_large(max_bytes)
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
    width = max(len(row) for row in sample_rows)
    has_header = _looks_like_header(sample_rows, width) if header is None else header
    names = [cell.strip(SPACE_CHARS) for cell in sample_rows[0]] if has_header else []
    names += [""] * (width - len(names))
    body = sample_rows[1:] if has_header else sample_rows
    cells = _by_column(body, width)
    columns = tuple(
        CsvColumn(index=index, name=name, looks_like_scores=_score_share(cells[index]) >= 0.9)
        for index, name in enumerate(names)
    )
    chosen, guessed = _choose_column(columns, column, has_data=bool(body))
    index = chosen.index

    reader, rows = _records(text, delimiter, max_record_chars)
    try:
        if has_header:
            for first in rows:
                if first:
                    break
        head = list(islice(rows, PREVIEW_ROWS))
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
    except _RecordTooLong:
        raise NpsError(
            "record_too_long",
            f"A row of the file is longer than {max_record_chars:,} characters.",
            line=reader.line_num + 1,
            params={"limit": max_record_chars},
        ) from None
    if len(values) > max_rows:
        raise _too_many_rows(max_rows)
    while values and values[-1] is None:
        values.pop()

    tally = tally_tokens(Counter(values), score_from_object)
    if tally.bad:
        row_index = next(i for i, v in enumerate(values) if v in tally.bad)
        raise invalid_score(
            values[row_index],
            tally.bad[values[row_index]],
            line=_line_of(text, delimiter, has_header, row_index, max_record_chars),
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
                params=column_list(columns),
            )
        )
    if tally.decimal:
        row_index = next(i for i, v in enumerate(values) if v in tally.decimal)
        score, _ = score_from_text(values[row_index])  # type: ignore[arg-type]
        assert score is not None
        warnings.append(
            decimal_warning(
                tally.decimal_count,
                values[row_index],
                score,
                line=_line_of(text, delimiter, has_header, row_index, max_record_chars),
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
        preview=tuple(tuple(map(_cut, row[:PREVIEW_COLUMNS])) for row in head),
    )


def _cut(cell: str) -> str:
    if len(cell) <= PREVIEW_CELL_CHARS:
        return cell
    return cell[: PREVIEW_CELL_CHARS - 1] + "…"


class _RecordTooLong(Exception):
    pass


_WINDOW_CHARS: Final = 1024 * 1024


def _physical_lines(text: str, longest: int = 0) -> Iterator[str]:
    """The lines of ``text`` with their ends (``\r\n``, ``\r`` or ``\n``), as csv.reader wants.

    One window of about a MiB at a time: io.StringIO holds 4 bytes a character, 40 MB for a 10
    MB file at once. A window without a line end (more than ``longest`` characters: callers
    refuse such lines) comes out as one piece.
    """
    size = max(_WINDOW_CHARS, longest)
    start, end = 0, len(text)
    while start < end:
        stop = min(start + size, end)
        if stop < end:
            # After a "\n"; else after a lone "\r" (old Mac files), never between "\r" and "\n".
            cut = text.rfind("\n", start, stop) + 1 or text.rfind("\r", start, stop - 1) + 1
            stop = cut or stop
        yield from io.StringIO(text[start:stop], newline="")
        start = stop


def _records(text: str, delimiter: str | None, limit: int) -> tuple[Any, Iterator[list[str]]]:
    """csv.reader over ``text`` and its rows, refusing a record longer than ``limit`` characters.

    Counted line by line as the reader asks for them, so an over-long record is refused before
    the reader has built it (a one-line file of a million cells would cost a million strings).
    """
    budget = [0]

    def lines() -> Iterator[str]:
        for line in _physical_lines(text, limit + 1):
            budget[0] += len(line)
            if budget[0] > limit:
                raise _RecordTooLong
            yield line

    reader = csv.reader(lines(), delimiter=delimiter or _NO_DELIMITER)

    def rows() -> Iterator[list[str]]:
        for row in reader:
            budget[0] = 0
            yield row

    return reader, rows()


def _too_large(limit: int) -> NpsError:
    return NpsError(
        "file_too_large",
        f"The file is too large (more than {limit:,} bytes).",
        params={"limit": limit},
    )


def _too_many_rows(limit: int) -> NpsError:
    return NpsError(
        "too_many_rows",
        f"The file has more than {limit:,} rows.",
        params={"limit": limit},
    )


def _line_of(
    text: str, delimiter: str | None, has_header: bool, row_index: int, longest: int
) -> int:
    """The physical line (1-based) where data row ``row_index`` ends: quoted cells may span.

    ``text`` has no line longer than ``longest`` characters (parse_csv has read it).
    """
    reader = csv.reader(_physical_lines(text, longest + 1), delimiter=delimiter or _NO_DELIMITER)
    rows = iter(reader)
    if has_header:
        for first in rows:
            if first:
                break
    for _ in islice(rows, row_index + 1):
        pass
    return reader.line_num
