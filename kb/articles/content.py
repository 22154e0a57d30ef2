"""The knowledge base's written articles (kb/articles/content/): validation and loading.

Metadata is in articles*.json (one or more files), one Markdown body per language in
<key>.<lang>.md.
`manage.py load_articles` puts them in the database, after load_glossary (articles link terms
by key). Loading never overwrites what editors changed unless asked to (`update=True`).
"""

import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from glossary.models import Term
from kb.articles.models import Article
from kb.core.languages import language_codes

CONTENT_DIR = Path(__file__).resolve().parent / "content"
TEXT_FIELDS = ("title", "slug", "summary")


class ArticleContentError(ValueError):
    """The article files are inconsistent; the message names the file and the article."""


@dataclass
class Report:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


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
        articles.append({"key": key, "values": values, "terms": entry.get("related_terms", [])})
    return articles


@transaction.atomic
def load(update: bool = False, directory: Path = CONTENT_DIR) -> Report:
    """Create missing articles (and, with `update`, overwrite changed ones). All or nothing."""
    articles = read_articles(directory)
    wanted = {key for article in articles for key in article["terms"]}
    terms = {term.key: term for term in Term.objects.filter(key__in=wanted)}
    missing = sorted(wanted - set(terms))
    if missing:
        raise ArticleContentError(
            f"unknown term keys {', '.join(missing)} (run load_glossary first)"
        )
    existing = {article.key: article for article in Article.objects.all()}
    report = Report()
    for entry in articles:
        article = existing.get(entry["key"])
        related = [terms[key] for key in entry["terms"]]
        if article is None:
            article = Article.objects.create(key=entry["key"], **entry["values"])
            article.related_terms.set(related)
            report.created += 1
        elif update and (
            any(getattr(article, name) != value for name, value in entry["values"].items())
            or set(article.related_terms.values_list("pk", flat=True)) != {t.pk for t in related}
        ):
            for name, value in entry["values"].items():
                setattr(article, name, value)
            article.save()
            article.related_terms.set(related)
            report.updated += 1
        else:
            report.unchanged += 1
    return report
