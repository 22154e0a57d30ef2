"""A term's labels and sources in the neutral records every format shares.

A record carries them as text, so that comparing, diffing and describing an import treats them
like any other column:

- `labels_<code>`: one label per line, `text | status` or `text | status | type`
  ("NPS | admitted | abbreviation", "Score de recommandation net | deprecated");
- `sources`: a JSON list of objects with `author`, `title`, `year`, `url`, `note`, `language`.

Files of earlier releases had `synonyms_<code>` (shown) and `hidden_labels_<code>` (search
only), one label per line: `upgrade_old_columns` turns them into labels.
"""

import json

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from glossary.labels import TermLabel, TermSource, squeeze
from kb.core.languages import language_codes

SEPARATOR = " | "
SOURCE_FIELDS = ("author", "title", "year", "url", "note", "language")
OLD_COLUMNS = {"synonyms": TermLabel.Status.ADMITTED, "hidden_labels": TermLabel.Status.SEARCH_ONLY}


def label_columns() -> list[str]:
    return [f"labels_{code}" for code in language_codes()]


def is_label_column(column: str) -> bool:
    return column in label_columns()


# --- Labels ------------------------------------------------------------------------------------


def format_labels(rows: list[tuple[str, str, str]]) -> str:
    """(text, status, type) rows as the record's lines."""
    return "\n".join(SEPARATOR.join(part for part in row if part) for row in rows)


def parse_labels(text: str) -> tuple[list[tuple[str, str, str]], list[str]]:
    """The record's lines as (text, status, type) rows, and what is wrong with them.

    A line without a status is admitted: a plain list of names reads as before.
    """
    rows, problems, seen = [], [], set()
    statuses, types = set(TermLabel.Status.values), {"", *TermLabel.Type.values}
    for line in text.splitlines():
        parts = [squeeze(part) for part in line.split("|")]
        if not parts[0]:
            if any(parts):
                problems.append(_("a label line has no text: %(line)r") % {"line": line})
            continue
        label, status, kind = (parts + ["", ""])[:3]
        status = status or TermLabel.Status.ADMITTED
        if len(parts) > 3 or status not in statuses or kind not in types:
            problems.append(
                _(
                    "label %(line)r: write “text | status | type”, the status one of "
                    "%(statuses)s and the type one of %(types)s or nothing"
                )
                % {
                    "line": line.strip(),
                    "statuses": ", ".join(sorted(statuses)),
                    "types": ", ".join(sorted(types - {""})),
                }
            )
            continue
        if len(label) > TermLabel._meta.get_field("text").max_length:
            problems.append(_("label %(label)r is too long") % {"label": label[:40] + "…"})
            continue
        if label.casefold() in seen:
            problems.append(_("label %(label)r is given twice") % {"label": label})
            continue
        seen.add(label.casefold())
        rows.append((label, status, kind))
    return rows, problems


def labels_of(term, language: str) -> str:
    """The record value of a term's labels in one language (reads prefetched labels)."""
    return format_labels(
        [
            (label.text, label.status, label.type)
            for label in term.labels.all()
            if label.language == language
        ]
    )


def upgrade_old_columns(values: dict) -> None:
    """Turn a file's synonyms_<code> and hidden_labels_<code> into labels_<code>, in place."""
    for code in language_codes():
        old = [
            (column, values.pop(f"{column}_{code}"))
            for column in OLD_COLUMNS
            if f"{column}_{code}" in values
        ]
        if not old:
            continue
        lines = [values[f"labels_{code}"]] if values.get(f"labels_{code}") else []
        for column, text in old:
            status = OLD_COLUMNS[column]
            lines += [
                f"{line.strip()}{SEPARATOR}{status}"
                for line in str(text or "").splitlines()
                if line.strip()
            ]
        values[f"labels_{code}"] = "\n".join(lines)


# --- Sources -----------------------------------------------------------------------------------


def format_sources(sources: list[dict]) -> str:
    """Sources as the record's value: canonical JSON ("" when there are none)."""
    if not sources:
        return ""
    return json.dumps(
        [{name: source.get(name, _empty(name)) for name in SOURCE_FIELDS} for source in sources],
        ensure_ascii=False,
    )


def _empty(name: str) -> str | None:
    return None if name == "year" else ""


def sources_of(term) -> str:
    return format_sources(
        [{name: getattr(source, name) for name in SOURCE_FIELDS} for source in term.sources.all()]
    )


def parse_sources(text: str) -> tuple[list[dict], list[str]]:
    """The record's value as source dicts, and what is wrong with them."""
    if not text.strip():
        return [], []
    try:
        items = json.loads(text)
    except json.JSONDecodeError:
        return [], [_("sources must be a JSON list of objects")]
    if not isinstance(items, list):
        return [], [_("sources must be a JSON list of objects")]
    sources, problems = [], []
    lengths = {
        name: TermSource._meta.get_field(name).max_length
        for name in ("author", "title", "url", "note")
    }
    for item in items:
        if not isinstance(item, dict) or set(item) - set(SOURCE_FIELDS):
            problems.append(
                _("each source is an object with only %(fields)s")
                % {"fields": ", ".join(SOURCE_FIELDS)}
            )
            continue
        source = {name: item.get(name, _empty(name)) for name in SOURCE_FIELDS}
        source.update({k: squeeze(str(v or "")) for k, v in source.items() if k != "year"})
        year = source["year"]
        if not (source["author"] or source["title"]):
            problems.append(_("a source needs an author or a title"))
        elif year is not None and (
            not isinstance(year, int) or isinstance(year, bool) or not 1500 <= year <= 2100
        ):
            problems.append(_("a source's year must be a whole number from 1500 to 2100"))
        elif source["language"] not in ("", *language_codes()):
            problems.append(
                _("a source's language must be empty or one of %(codes)s")
                % {"codes": ", ".join(language_codes())}
            )
        elif any(len(source[name]) > limit for name, limit in lengths.items()):
            problems.append(_("a source has a field that is too long"))
        elif source["url"] and not _is_web_address(source["url"]):
            problems.append(
                _("a source's address must start with http:// or https://: %(url)r")
                % {"url": source["url"][:80]}
            )
        else:
            sources.append(source)
    return sources, problems


def source_text(source: dict) -> str:
    """A source as one line for people: "ARCEP, Décision 2012-0856, 2012, https://… (note)"."""
    parts = [source["author"], source["title"], str(source["year"] or ""), source["url"]]
    text = ", ".join(part for part in parts if part)
    return f"{text} ({source['note']})" if source["note"] else text


def _is_web_address(url: str) -> bool:
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return False
    return True


# --- Writing -----------------------------------------------------------------------------------


def write(term, values: dict) -> None:
    """Make the term's labels (per language given) and sources (if given) what `values` say."""
    for code in language_codes():
        column = f"labels_{code}"
        if column not in values:
            continue
        rows, _problems = parse_labels(values[column])
        term.labels.filter(language=code).delete()
        TermLabel.objects.bulk_create(
            TermLabel(term=term, language=code, text=text, status=status, type=kind, position=i)
            for i, (text, status, kind) in enumerate(rows)
        )
    if "sources" in values:
        sources, _problems = parse_sources(values["sources"])
        term.sources.all().delete()
        TermSource.objects.bulk_create(
            TermSource(term=term, position=i, **source) for i, source in enumerate(sources)
        )
