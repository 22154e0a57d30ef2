"""The glossary's own content (glossary/content/*.json): validation and loading.

The files are the project's written glossary; `manage.py load_glossary` puts them in the
database. Loading never overwrites what editors changed unless asked to (`update=True`).
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from glossary.interchange import labels as term_labels
from glossary.labels import squeeze
from glossary.models import Category, Term, TermRelation
from kb.core.languages import language_codes

CONTENT_DIR = Path(__file__).resolve().parent / "content"
TERM_FIELDS = ("name", "slug", "acronym", "summary", "definition", "usage_note", "example")
LABEL_STATUSES = ("admitted", "deprecated", "search_only")
LABEL_TYPES = ("", "abbreviation", "full_form", "short_form")
SOURCE_KEYS = {"author", "title", "year", "url", "note", "language"}
CATEGORY_FIELDS = ("name", "slug", "description")


class ContentError(ValueError):
    """The content files are inconsistent; the message names the file and the entry."""


@dataclass
class LoadReport:
    categories_created: int = 0
    terms_created: int = 0
    terms_updated: int = 0
    terms_unchanged: int = 0
    relations_created: int = 0
    relations_retyped: int = 0
    messages: list[str] = field(default_factory=list)


def read_content(directory: Path | None = None) -> tuple[list[dict], list[dict]]:
    """Read and validate every content file (of CONTENT_DIR by default); return (categories,
    terms). Raises ContentError, naming the file and the keys, on the first inconsistency."""
    directory = directory or CONTENT_DIR
    categories: list[dict] = []
    terms: list[dict] = []
    for path in sorted(directory.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ContentError(
                _("%(file)s: not valid UTF-8 JSON (%(error)s)")
                % {"file": path.name, "error": error}
            ) from error
        for entry in data.get("categories", []):
            categories.append({**entry, "_file": path.name})
        for entry in data.get("terms", []):
            terms.append({**entry, "_file": path.name})
    validate(categories, terms)
    return categories, terms


def validate(categories: list[dict], terms: list[dict]) -> None:
    category_keys = {entry.get("key") for entry in categories}
    term_keys: set[str] = set()
    slugs: dict[tuple[str, str], str] = {}
    for entry in terms:
        where = _("%(file)s: term “%(key)s”") % {"file": entry["_file"], "key": entry.get("key")}
        key = entry.get("key")
        if not key or key in term_keys:
            raise ContentError(_("%(where)s: missing or duplicate key") % {"where": where})
        term_keys.add(key)
        if entry.get("category") not in category_keys:
            raise ContentError(
                _("%(where)s: unknown category “%(category)s”")
                % {"where": where, "category": entry.get("category")}
            )
        for code in language_codes():
            text = entry.get(code) or {}
            slug = text.get("slug", "")
            if code == "fr" and not (text.get("name") and slug):
                raise ContentError(
                    _("%(where)s: French name and slug are required") % {"where": where}
                )
            _check_labels(where, code, text.get("labels", []))
            if slug:
                if (code, slug) in slugs:
                    raise ContentError(
                        _("%(where)s: %(language)s slug “%(slug)s” used twice")
                        % {"where": where, "language": code, "slug": slug}
                    )
                slugs[(code, slug)] = key
        _check_sources(where, entry.get("sources", []))
    relation_types = set(TermRelation.Type.values)
    for entry in terms:
        for relation in entry.get("relations", []):
            where = _("%(file)s: term “%(key)s”") % {"file": entry["_file"], "key": entry["key"]}
            if relation.get("type") not in relation_types:
                raise ContentError(
                    _("%(where)s: unknown relation type “%(type)s”")
                    % {"where": where, "type": relation.get("type")}
                )
            if relation.get("to") not in term_keys or relation.get("to") == entry["key"]:
                raise ContentError(
                    _("%(where)s: relation to an unknown term “%(target)s”")
                    % {"where": where, "target": relation.get("to")}
                )
    _check_relations_agree(terms)
    _check_no_broader_cycle(terms)


def _check_labels(where: str, language: str, labels: list) -> None:
    """Each label is {"text", "status"[, "type"]}, with a known status and type, once."""
    seen: set[str] = set()
    for label in labels:
        text = (label.get("text") or "").strip() if isinstance(label, dict) else ""
        if not text or text.casefold() in seen:
            raise ContentError(
                _("%(where)s: a %(language)s label is empty or repeated: %(label)s")
                % {"where": where, "language": language, "label": label}
            )
        seen.add(text.casefold())
        if label.get("status") not in LABEL_STATUSES or label.get("type", "") not in LABEL_TYPES:
            raise ContentError(
                _("%(where)s: the %(language)s label “%(label)s” has an unknown status or type")
                % {"where": where, "language": language, "label": text}
            )


def _check_sources(where: str, sources: list) -> None:
    """Each source has a title or an author, a plausible year, and an http(s) URL if any."""
    for source in sources:
        year = source.get("year") if isinstance(source, dict) else None
        if (
            not isinstance(source, dict)
            or set(source) - SOURCE_KEYS
            or not (source.get("title") or source.get("author"))
            or (year is not None and not (isinstance(year, int) and 1800 <= year <= 2100))
            or not is_web_address(source.get("url", ""), allow_empty=True)
            or source.get("language", "") not in ("", *language_codes())
        ):
            raise ContentError(
                _("%(where)s: malformed source %(source)s")
                % {"where": where, "source": json.dumps(source, ensure_ascii=False)}
            )


def is_web_address(url: str, allow_empty: bool = False) -> bool:
    if not url:
        return allow_empty
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return False
    return True


def _check_relations_agree(terms: list[dict]) -> None:
    """One type per pair of terms. "A broader B" declared on A and "B narrower A" on B agree;
    "A related B" on A and "B see_also A" on B do not, and the loader would otherwise keep
    whichever it met first."""
    inverse = TermRelation.INVERSE
    seen: dict[tuple[str, str], tuple[str, str, str]] = {}
    for entry in terms:
        for relation in entry.get("relations", []):
            source, target, kind = entry["key"], relation["to"], relation["type"]
            # The type as read from the smaller key of the pair, so both directions compare.
            pair = (source, target) if source < target else (target, source)
            as_read = kind if source == pair[0] else str(inverse[kind])
            declared = (as_read, entry["_file"], f"{source} {kind} {target}")
            first = seen.setdefault(pair, declared)
            if first[0] != as_read:
                raise ContentError(
                    _(
                        "%(file)s: terms “%(a)s” and “%(b)s” are linked twice with different "
                        "types: “%(first)s” (%(first_file)s) and “%(second)s” (%(file)s); keep "
                        "one type"
                    )
                    % {
                        "file": entry["_file"],
                        "a": pair[0],
                        "b": pair[1],
                        "first": first[2],
                        "first_file": first[1],
                        "second": declared[2],
                    }
                )


def _check_no_broader_cycle(terms: list[dict]) -> None:
    """No term may be, through its broader terms, broader than itself."""
    broader: dict[str, set[str]] = {}
    file_of = {entry["key"]: entry["_file"] for entry in terms}
    for entry in terms:
        for relation in entry.get("relations", []):
            if relation["type"] == TermRelation.Type.BROADER:
                broader.setdefault(entry["key"], set()).add(relation["to"])
            elif relation["type"] == TermRelation.Type.NARROWER:
                broader.setdefault(relation["to"], set()).add(entry["key"])
    done: set[str] = set()

    def visit(key: str, path: list[str]) -> None:
        if key in path:
            cycle = [*path[path.index(key) :], key]
            files = ", ".join(sorted({file_of[k] for k in cycle}))
            raise ContentError(
                _("%(files)s: broader terms form a cycle: %(cycle)s")
                % {"files": files, "cycle": " -> ".join(cycle)}
            )
        if key in done:
            return
        for parent in sorted(broader.get(key, ())):
            visit(parent, [*path, key])
        done.add(key)

    for start in sorted(broader):
        visit(start, [])


def term_values(entry: dict) -> dict:
    values: dict = {"is_trademark": bool(entry.get("trademark", False))}
    for code in language_codes():
        text = entry.get(code) or {}
        for name in TERM_FIELDS:
            values[f"{name}_{code}"] = (text.get(name) or "").strip()
    return values


def extra_values(entry: dict) -> dict:
    """The entry's labels and sources as the exchange formats' record columns (one label per
    line, sources as JSON: glossary/interchange/labels.py), in their canonical form."""
    values = {
        f"labels_{code}": term_labels.format_labels(
            [
                (squeeze(label["text"]), label["status"], label.get("type", ""))
                for label in (entry.get(code) or {}).get("labels", [])
            ]
        )
        for code in language_codes()
    }
    sources, _problems = term_labels.parse_sources(
        term_labels.format_sources(entry.get("sources", []))
    )
    values["sources"] = term_labels.format_sources(sources)
    return values


def current_extra_values(term: Term) -> dict:
    values = {f"labels_{code}": term_labels.labels_of(term, code) for code in language_codes()}
    values["sources"] = term_labels.sources_of(term)
    return values


@transaction.atomic
def load(update: bool = False, directory: Path | None = None) -> LoadReport:
    """Create missing categories, terms and their relations; with `update`, also overwrite
    the texts of existing terms with the files' texts. All or nothing."""
    categories, terms = read_content(directory)
    report = LoadReport()
    category_by_key = {category.key: category for category in Category.objects.all()}
    for position, entry in enumerate(categories):
        if entry["key"] in category_by_key:
            continue
        values = {
            f"{name}_{code}": (entry.get(code) or {}).get(name, "")
            for name in CATEGORY_FIELDS
            for code in language_codes()
        }
        category = Category.objects.create(key=entry["key"], position=position, **values)
        category_by_key[category.key] = category
        report.categories_created += 1

    term_by_key = {term.key: term for term in Term.objects.prefetch_related("labels", "sources")}
    created_keys: set[str] = set()
    for entry in terms:
        values = term_values(entry)
        values["category"] = category_by_key[entry["category"]]
        extra = extra_values(entry)
        term = term_by_key.get(entry["key"])
        if term is None:
            term = Term.objects.create(key=entry["key"], status=Term.Status.PUBLISHED, **values)
            term_labels.write(term, extra)
            term_by_key[term.key] = term
            created_keys.add(term.key)
            report.terms_created += 1
        elif update and (
            any(getattr(term, name) != value for name, value in values.items())
            or current_extra_values(term) != extra
        ):
            for name, value in values.items():
                setattr(term, name, value)
            # The files' translations follow the files' French: they are up to date.
            term.mark_translations_current()
            term.save()
            term_labels.write(term, extra)
            report.terms_updated += 1
        else:
            report.terms_unchanged += 1

    # Each stored row, read from its source's side (a link is stored both ways).
    existing = {(r.source_id, r.target_id): r for r in TermRelation.objects.all()}
    done: set[tuple[int, int]] = set()
    for entry in terms:
        source = term_by_key[entry["key"]]
        for relation in entry.get("relations", []):
            target = term_by_key[relation["to"]]
            # Relations an editor removed stay removed: only new terms bring their links.
            if not (update or {source.key, target.key} & created_keys):
                continue
            if (source.pk, target.pk) in done:
                continue
            done |= {(source.pk, target.pk), (target.pk, source.pk)}
            current = existing.get((source.pk, target.pk))
            if current is not None:
                # With `update`, a link the files now type differently takes the files' type
                # (the promoter is related to the NPS, no longer a kind of it).
                if update and current.type != relation["type"]:
                    current.type = relation["type"]
                    current.save()
                    report.relations_retyped += 1
                continue
            TermRelation.objects.create(source=source, target=target, type=relation["type"])
            report.relations_created += 1
    return report
