"""The knowledge base's written articles (kb/articles/content/): validation and loading.

Sections are in sections.json; article metadata is in articles*.json (one or more files), each
entry naming its section by key, with one Markdown body per language in <key>.<lang>.md.
`manage.py load_articles` puts them in the database, sections first, after load_glossary
(articles link terms by key). Loading never overwrites what editors changed unless asked to
(`update=True`).
"""

import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from glossary.models import Term
from kb.articles.models import Article, Section
from kb.core.languages import language_codes

CONTENT_DIR = Path(__file__).resolve().parent / "content"
TEXT_FIELDS = ("title", "slug", "summary")
SECTION_FIELDS = ("name", "slug", "description")
SECTIONS_FILE = "sections.json"


class ArticleContentError(ValueError):
    """The article files are inconsistent; the message names the file and the article."""


@dataclass
class Report:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    sections_created: int = 0
    sections_updated: int = 0


def read_sections(directory: Path = CONTENT_DIR) -> list[dict]:
    """Read and validate sections.json; return one dict per section with the model's field
    values (position, name_fr, slug_it...). No file, no sections."""
    path = directory / SECTIONS_FILE
    if not path.exists():
        return []
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))["sections"]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as error:
        raise ArticleContentError(f"{path.name}: unreadable ({error})") from error
    sections, keys, slugs = [], set(), set()
    max_lengths = {name: Section._meta.get_field(name).max_length for name in ("name", "slug")}
    for entry in entries:
        key = entry.get("key") if isinstance(entry, dict) else None
        where = f"{path.name}: section {key!r}"
        if not key or key in keys:
            raise ArticleContentError(f"{where}: missing or duplicate key")
        keys.add(key)
        position = entry.get("position", 0)
        if not isinstance(position, int) or position < 0:
            raise ArticleContentError(f"{where}: position must be a whole number")
        values = {"position": position}
        for code in language_codes():
            text = entry.get(code) or {}
            for name in SECTION_FIELDS:
                value = (text.get(name) or "").strip()
                if len(value) > (max_lengths.get(name) or len(value)):
                    raise ArticleContentError(f"{where}: {code} {name} is too long")
                values[f"{name}_{code}"] = value
            slug = values[f"slug_{code}"]
            if values[f"name_{code}"] and not slug:
                raise ArticleContentError(f"{where}: the {code} name needs a slug")
            if slug and (code, slug) in slugs:
                raise ArticleContentError(f"{where}: {code} slug {slug!r} used twice")
            slugs.add((code, slug))
        if not (values["name_fr"] and values["slug_fr"]):
            raise ArticleContentError(f"{where}: French name and slug are required")
        sections.append({"key": key, "values": values})
    return sections


def read_articles(directory: Path = CONTENT_DIR) -> list[dict]:
    """Read and validate articles.json and the Markdown bodies; return one dict per article
    with the model's field values (title_fr, body_it...) and its related term keys."""
    entries = []
    for index in sorted(directory.glob("articles*.json")):
        try:
            entries += [
                (index, entry)
                for entry in json.loads(index.read_text(encoding="utf-8"))["articles"]
            ]
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as error:
            raise ArticleContentError(f"{index.name}: unreadable ({error})") from error
    articles, keys, slugs = [], set(), set()
    max_lengths = {name: Article._meta.get_field(name).max_length for name in TEXT_FIELDS}
    for index, entry in entries:
        key = entry.get("key")
        where = f"{index.name}: article {key!r}"
        if not key or key in keys:
            raise ArticleContentError(f"{where}: missing or duplicate key")
        keys.add(key)
        if entry.get("status", "published") not in Article.Status.values:
            raise ArticleContentError(f"{where}: unknown status {entry.get('status')!r}")
        values = {"status": entry.get("status", Article.Status.PUBLISHED)}
        for code in language_codes():
            text = entry.get(code) or {}
            for name in TEXT_FIELDS:
                value = (text.get(name) or "").strip()
                if len(value) > max_lengths[name]:
                    raise ArticleContentError(f"{where}: {code} {name} is too long")
                values[f"{name}_{code}"] = value
            body_path = directory / f"{key}.{code}.md"
            values[f"body_{code}"] = (
                body_path.read_text(encoding="utf-8").strip() if body_path.exists() else ""
            )
            if values[f"title_{code}"] and not (values[f"slug_{code}"] and values[f"body_{code}"]):
                raise ArticleContentError(f"{where}: the {code} text needs a slug and {body_path}")
            slug = values[f"slug_{code}"]
            if slug and (code, slug) in slugs:
                raise ArticleContentError(f"{where}: {code} slug {slug!r} used twice")
            slugs.add((code, slug))
        if not (values["title_fr"] and values["slug_fr"]):
            raise ArticleContentError(f"{where}: French title and slug are required")
        articles.append(
            {
                "key": key,
                "values": values,
                "terms": entry.get("related_terms", []),
                # None until the entry names one (the writers add them file by file).
                "section": entry.get("section"),
                "where": where,
            }
        )
    return articles


def load_sections(entries: list[dict], update: bool, report: Report) -> dict[str, Section]:
    """Create missing sections (and, with `update`, overwrite changed ones); every section by
    key, those already in the database included."""
    existing = {section.key: section for section in Section.objects.all()}
    for entry in entries:
        section = existing.get(entry["key"])
        if section is None:
            existing[entry["key"]] = Section.objects.create(key=entry["key"], **entry["values"])
            report.sections_created += 1
        elif update and any(
            getattr(section, name) != value for name, value in entry["values"].items()
        ):
            for name, value in entry["values"].items():
                setattr(section, name, value)
            # As for articles (below): the files' translations follow their French.
            section.mark_translations_current()
            section._keep_translation_marks = True
            section.save()
            report.sections_updated += 1
    return existing


@transaction.atomic
def load(update: bool = False, directory: Path = CONTENT_DIR) -> Report:
    """Create missing sections and articles (and, with `update`, overwrite changed ones).
    All or nothing: an article naming an unknown section stops the whole load."""
    section_entries = read_sections(directory)
    articles = read_articles(directory)
    known = {entry["key"] for entry in section_entries} | set(
        Section.objects.values_list("key", flat=True)
    )
    for entry in articles:
        if entry["section"] is not None and entry["section"] not in known:
            raise ArticleContentError(
                f"{entry['where']}: unknown section {entry['section']!r} "
                f"(sections are listed in {SECTIONS_FILE})"
            )
    wanted = {key for article in articles for key in article["terms"]}
    terms = {term.key: term for term in Term.objects.filter(key__in=wanted)}
    missing = sorted(wanted - set(terms))
    if missing:
        raise ArticleContentError(
            f"unknown term keys {', '.join(missing)} (run load_glossary first)"
        )
    report = Report()
    sections = load_sections(section_entries, update, report)
    existing = {article.key: article for article in Article.objects.all()}
    for entry in articles:
        article = existing.get(entry["key"])
        related = [terms[key] for key in entry["terms"]]
        values = dict(entry["values"])
        if entry["section"] is not None:
            values["section"] = sections[entry["section"]]
        if article is None:
            article = Article.objects.create(key=entry["key"], **values)
            article.related_terms.set(related)
            report.created += 1
        elif update and (
            any(getattr(article, name) != value for name, value in values.items())
            or set(article.related_terms.values_list("pk", flat=True)) != {t.pk for t in related}
        ):
            for name, value in values.items():
                setattr(article, name, value)
            # The files ship every language together: their translations follow their French.
            article.mark_translations_current()
            article._keep_translation_marks = True
            article.save()
            article.related_terms.set(related)
            report.updated += 1
        else:
            report.unchanged += 1
    return report
