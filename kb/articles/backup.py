"""The knowledge base's parts of the content backup (`glossary_export --format json`):
"sections", then "articles".

Registered when ArticlesConfig.ready() imports this module: the glossary writes and reads its
backup without importing this app (glossary/interchange/parts.py). Each section is written with
its position and every language; each article with every language, empty ones as "", its
status, timestamps, its section's key and the keys of its related terms. An import checks and
writes the parts in the file's order, which an export makes sections first.
"""

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from glossary.interchange import (
    OPTIONAL_STAMPS,
    Change,
    parse_stamp,
    parts,
    published_error,
    stamp,
    storable,
)
from glossary.interchange.parts import PartContext, PartPlan
from glossary.models import Term
from kb.articles.models import Article, Section
from kb.core.languages import language_codes
from kb.core.translation_status import marker_field, target_languages

TEXT_FIELDS = ("title", "slug", "summary", "body")
MARKER = "translated_from"  # per translated language, as the glossary's terms carry it
SECTION_TEXT_FIELDS = ("name", "slug", "description")
STAMPS = tuple(
    name
    for name in ("created_at", "updated_at", *OPTIONAL_STAMPS)
    if name in {f.name for f in Article._meta.get_fields()}
)


class ArticlesPart:
    name = "articles"
    kind = "article"
    label = gettext_lazy("articles")

    def fields(self) -> dict[type[models.Model], tuple[set[str], set[str]]]:
        exported = {
            "key",
            "status",
            "section",
            "related_terms",
            *STAMPS,
            *self.columns(),
            *map(marker_field, target_languages()),
        }
        # id: rows are matched on their key; version: counts saves in one database;
        # title, slug...: modeltranslation's mirrors of the current language's column;
        # source_digest: recomputed from the French text on every save.
        return {Article: (exported, {"id", "version", "source_digest", *TEXT_FIELDS})}

    @staticmethod
    def columns() -> list[str]:
        return [f"{name}_{code}" for code in language_codes() for name in TEXT_FIELDS]

    def dump(self, published_only: bool) -> list[dict]:
        articles = (
            Article.objects.order_by("key")
            .select_related("section")
            .prefetch_related("related_terms")
        )
        if published_only:
            articles = articles.published()
        entries = []
        for article in articles:
            terms = article.related_terms.all()
            if published_only:
                terms = [term for term in terms if term.status == Term.Status.PUBLISHED]
            entry = {
                "key": article.key,
                "status": article.status,
                **{name: stamp(getattr(article, name)) or None for name in STAMPS},
                "section": article.section.key if article.section else None,
                "related_terms": sorted(term.key for term in terms),
            }
            for code in language_codes():
                entry[code] = {
                    name: (getattr(article, f"{name}_{code}") or "").strip() for name in TEXT_FIELDS
                }
                if code in target_languages():
                    # Which French text it was translated from: a restore keeps "outdated".
                    entry[code][MARKER] = getattr(article, marker_field(code))
            entries.append(entry)
        return entries

    def plan(self, entries: object, context: PartContext, errors: list[str]) -> PartPlan:
        if not isinstance(entries, list):
            errors.append(_("“%(section)s” must be a list") % {"section": self.name})
            return PartPlan()
        existing = {article.key: article for article in Article.objects.all()}
        in_file = {
            e["key"] for e in entries if isinstance(e, dict) and isinstance(e.get("key"), str)
        }
        plan = PartPlan(state={"write": [], "delete": []})
        if context.replace:
            plan.state["delete"] = sorted(set(existing) - in_file)
            for key in plan.state["delete"]:
                plan.changes.append(Change(self.kind, key, "delete"))
                if getattr(existing[key], "was_published", False):
                    errors.append(published_error(_("article"), key))
        slugs = {
            (code, getattr(article, f"slug_{code}")): key
            for key, article in existing.items()
            if key not in in_file and not context.replace
            for code in language_codes()
            if getattr(article, f"slug_{code}")
        }
        # The sections once the import is written: the file's (checked just before, see
        # SectionsPart.plan), plus those already in the database that it does not delete.
        leaving = getattr(context, "sections_deleted", set())
        section_keys = getattr(context, "section_keys", set()) | (
            set(Section.objects.values_list("key", flat=True)) - leaving
        )
        plan.state["delete_sections"] = sorted(leaving)
        keys: set[str] = set()
        for index, entry in enumerate(entries):
            where = f"{self.name}[{index}]"
            if not isinstance(entry, dict):
                errors.append(f"{where}: " + _("expected an object"))
                continue
            found = _Checker(entry, where, errors).check(
                context.term_keys, keys, slugs, section_keys
            )
            if found is None:
                continue
            key, values, related, stamps = found
            current = existing.get(key)
            action = "create"
            if current is not None:
                old = {name: _current_value(current, name) for name in values}
                changed = [(n, old[n], v) for n, v in values.items() if old[n] != v]
                old_terms = sorted(current.related_terms.values_list("key", flat=True))
                if old_terms != related:
                    changed.append(("related_terms", ", ".join(old_terms), ", ".join(related)))
                if context.replace:
                    changed += [
                        (name, stamp(getattr(current, name)), value)
                        for name, value in stamps.items()
                        if stamp(getattr(current, name)) != value
                    ]
                action = "change" if changed else "unchanged"
            plan.changes.append(
                Change(self.kind, key, action, [] if action == "create" else changed)
            )
            if action != "unchanged":
                restore_stamps = current is None or context.replace
                plan.state["write"].append((key, values, related, stamps if restore_stamps else {}))
        return plan

    def apply(self, plan: PartPlan) -> None:
        sections = {section.key: section for section in Section.objects.all()}
        for article in Article.objects.filter(key__in=plan.state["delete"]):
            article._change_reason = "import --replace"
            article.delete()
        rows = {
            a.key: a for a in Article.objects.filter(key__in=[w[0] for w in plan.state["write"]])
        }
        for key, values, related, stamps in plan.state["write"]:
            article = rows.get(key) or Article(key=key)
            for name, value in values.items():
                if name == "section":
                    article.section = sections.get(value) if value else None
                else:
                    setattr(article, name, value)
            # A backup that says what each translation follows keeps it (outdated stays so).
            article._keep_translation_marks = any(name.startswith(MARKER) for name in values)
            article._change_reason = "import"  # shown in the history
            article.save()
            article.related_terms.set(Term.objects.filter(key__in=related))
            if stamps:
                Article.objects.filter(pk=article.pk).update(
                    **{name: parse_stamp(value) for name, value in stamps.items()}
                )
        # Sections --replace removes, once no article of the file points at them any more.
        for section in Section.objects.filter(key__in=plan.state.get("delete_sections", [])):
            section._change_reason = "import --replace"
            section.delete()


def _current_value(article: Article, name: str) -> str:
    """An article's value of a backup column, as the backup writes it."""
    if name == "section":
        return article.section.key if article.section_id else ""
    return getattr(article, name) or ""


class _Checker:
    """One article entry of a backup, checked field by field (every problem reported)."""

    def __init__(self, entry: dict, where: str, errors: list[str]) -> None:
        self.entry, self.errors = entry, errors
        key = entry.get("key")
        self.where = f"{where} ({key!r})" if isinstance(key, str) else where

    def error(self, message: str) -> None:
        self.errors.append(f"{self.where}: {message}")

    def check(self, term_keys: set[str], keys: set[str], slugs: dict, section_keys: set[str]):
        """(key, values, related term keys, stamps), or None after reporting the problems."""
        entry, count = self.entry, len(self.errors)
        allowed = {"key", "status", "related_terms", *STAMPS, *language_codes()}
        for name in sorted(allowed - set(entry)):
            self.error(_("“%(field)s” is missing") % {"field": name})
        # "section" is optional: backups from before sections have none.
        for name in sorted(set(entry) - allowed - {"section"}):
            self.error(_("unknown field “%(field)s”") % {"field": name})
        key = entry.get("key")
        try:
            validate_slug(key if isinstance(key, str) else "")
        except ValidationError:
            self.error(_("the key must be a valid identifier (letters, digits, - and _)"))
        else:
            if key in keys:
                self.error(_("article key %(key)r appears twice") % {"key": key})
            keys.add(key)
        status = entry.get("status")
        if "status" in entry and status not in Article.Status.values:
            self.error(_("unknown status %(value)r") % {"value": status})
        stamps = {}
        for name in STAMPS:
            parsed = parse_stamp(entry.get(name))
            if name in OPTIONAL_STAMPS and entry.get(name) is None:
                continue  # never published: nothing to restore (and nothing is ever cleared)
            if name in entry and parsed is None:
                self.error(
                    _("%(column)s must be a date and time with its time zone, not %(value)r")
                    % {"column": name, "value": entry.get(name)}
                )
            elif parsed is not None:
                stamps[name] = stamp(parsed)
        related = entry.get("related_terms", [])
        if not isinstance(related, list) or not all(isinstance(k, str) for k in related):
            self.error(_("“related_terms” must be a list of term keys"))
            related = []
        for term_key in sorted(set(related) - term_keys):
            self.error(_("unknown term %(key)r") % {"key": term_key})
        section = entry.get("section") or ""
        if not isinstance(section, str):
            self.error(_("“section” must be a section key"))
        elif section and section not in section_keys:
            self.error(_("unknown section %(key)r") % {"key": section})
        values = self.texts(key, slugs)
        if len(self.errors) > count:
            return None
        values = {"status": status, **values}
        if "section" in entry:
            values["section"] = section
        return key, values, sorted(set(related)), stamps

    def texts(self, key: object, slugs: dict) -> dict:
        values = {}
        for code in language_codes():
            texts = self.entry.get(code)
            if not isinstance(texts, dict):
                if code in self.entry:
                    self.error(_("“%(code)s” must be an object") % {"code": code})
                continue
            markers = {MARKER} if code in target_languages() else set()
            for name in sorted(set(texts) - set(TEXT_FIELDS) - markers):
                self.error(_("unknown field “%(field)s”") % {"field": f"{code}.{name}"})
            if not read_marker(texts, code, values):
                self.error(_("%(field)s must be text") % {"field": marker_field(code)})
            for name in TEXT_FIELDS:
                column, value = f"{name}_{code}", texts.get(name)
                if not isinstance(value, str):
                    self.error(_("%(field)s must be text") % {"field": column})
                    continue
                if not storable(value):
                    self.error(
                        _(
                            "%(column)s contains a character that cannot be stored "
                            "(NUL or lone surrogate)"
                        )
                        % {"column": column}
                    )
                    continue
                value = values[column] = value.strip()
                max_length = Article._meta.get_field(name).max_length
                if max_length and len(value) > max_length:
                    self.error(
                        _("%(column)s is longer than %(max)d characters")
                        % {"column": column, "max": max_length}
                    )
                if name == "slug" and value:
                    self.slug(code, value, key, slugs)
        for column in ("title_fr", "slug_fr"):
            if column in values and not values[column]:
                self.error(_("%(column)s is required") % {"column": column})
        return values

    def slug(self, code: str, value: str, key: object, slugs: dict) -> None:
        try:
            validate_slug(value)
        except ValidationError:
            self.error(
                _("%(column)s %(value)r is not a valid slug")
                % {"column": f"slug_{code}", "value": value}
            )
            return
        other = slugs.setdefault((code, value), key)
        if other != key:
            self.error(
                _("%(column)s %(slug)r is already used by %(other)r")
                % {"column": f"slug_{code}", "slug": value, "other": other}
            )


def read_marker(texts: dict, code: str, values: dict) -> bool:
    """Put an entry's `translated_from` for language `code` in `values`, if it has one (it is
    optional: backups from before it have none). False when it is there but not a digest."""
    marker = texts.get(MARKER) if code in target_languages() else None
    if marker is None:
        return True
    if isinstance(marker, str) and len(marker) <= 64 and storable(marker):
        values[marker_field(code)] = marker
        return True
    return False


class SectionsPart:
    """The knowledge base's sections: key, position and texts in every language."""

    name = "sections"
    kind = "section"
    label = gettext_lazy("sections")

    def fields(self) -> dict[type[models.Model], tuple[set[str], set[str]]]:
        exported = {"key", "position", *self.columns(), *map(marker_field, target_languages())}
        # updated_at: set by every save, so a restore cannot keep it (the history has it);
        # source_digest: recomputed from the French text on every save.
        left_out = {"id", "version", "updated_at", "source_digest", *SECTION_TEXT_FIELDS}
        return {Section: (exported, left_out)}

    @staticmethod
    def columns() -> list[str]:
        return [f"{name}_{code}" for code in language_codes() for name in SECTION_TEXT_FIELDS]

    def dump(self, published_only: bool) -> list[dict]:
        # Sections have no status: all are public (their page lists published articles only).
        entries = []
        for section in Section.objects.order_by("key"):
            entry = {"key": section.key, "position": section.position}
            for code in language_codes():
                entry[code] = {
                    name: (getattr(section, f"{name}_{code}") or "").strip()
                    for name in SECTION_TEXT_FIELDS
                }
                if code in target_languages():
                    # Which French text it was translated from: a restore keeps "outdated".
                    entry[code][MARKER] = getattr(section, marker_field(code))
            entries.append(entry)
        return entries

    def plan(self, entries: object, context: PartContext, errors: list[str]) -> PartPlan:
        if not isinstance(entries, list):
            errors.append(_("“%(section)s” must be a list") % {"section": self.name})
            return PartPlan()
        existing = {section.key: section for section in Section.objects.all()}
        plan, keys, slugs = PartPlan(state=[]), set(), {}
        for index, entry in enumerate(entries):
            found = self.check(entry, f"{self.name}[{index}]", keys, slugs, errors)
            if found is None:
                continue
            key, values = found
            current = existing.get(key)
            changed = [
                (name, getattr(current, name) or "", value)
                for name, value in values.items()
                if current is not None and (getattr(current, name) or "") != value
            ]
            action = "create" if current is None else "change" if changed else "unchanged"
            plan.changes.append(Change(self.kind, key, action, changed))
            if action != "unchanged":
                plan.state.append((key, values))
        # For the articles part, checked next: the sections that will exist, and those
        # --replace deletes (after the articles have left them).
        context.section_keys = keys
        if context.replace:
            context.sections_deleted = set(existing) - keys
            plan.changes += [
                Change(self.kind, key, "delete") for key in sorted(context.sections_deleted)
            ]
        return plan

    def check(self, entry: object, where: str, keys: set, slugs: dict, errors: list[str]):
        """(key, values), or None after appending one message per problem to `errors`."""
        count = len(errors)
        if not isinstance(entry, dict):
            errors.append(f"{where}: " + _("expected an object"))
            return None
        key = entry.get("key")
        where = f"{where} ({key!r})" if isinstance(key, str) else where
        try:
            validate_slug(key if isinstance(key, str) else "")
        except ValidationError:
            errors.append(
                f"{where}: " + _("the key must be a valid identifier (letters, digits, - and _)")
            )
        else:
            if key in keys:
                errors.append(f"{where}: " + _("section key %(key)r appears twice") % {"key": key})
            keys.add(key)
        for name in sorted(set(entry) - {"key", "position", *language_codes()}):
            errors.append(f"{where}: " + _("unknown field “%(field)s”") % {"field": name})
        position = entry.get("position", 0)
        if not isinstance(position, int) or isinstance(position, bool) or position < 0:
            errors.append(
                f"{where}: " + _("“%(field)s” has the wrong type") % {"field": "position"}
            )
        values: dict = {"position": position}
        for code in language_codes():
            texts = entry.get(code, {})
            if not isinstance(texts, dict):
                errors.append(f"{where}: " + _("“%(code)s” must be an object") % {"code": code})
                continue
            if not read_marker(texts, code, values):
                errors.append(
                    f"{where}: " + _("%(field)s must be text") % {"field": marker_field(code)}
                )
            for name in SECTION_TEXT_FIELDS:
                column, value = f"{name}_{code}", texts.get(name, "")
                if not isinstance(value, str) or not storable(value):
                    errors.append(f"{where}: " + _("%(field)s must be text") % {"field": column})
                    continue
                value = values[column] = value.strip()
                max_length = Section._meta.get_field(name).max_length
                if max_length and len(value) > max_length:
                    errors.append(
                        f"{where}: "
                        + _("%(column)s is longer than %(max)d characters")
                        % {"column": column, "max": max_length}
                    )
                if name == "slug" and value:
                    other = slugs.setdefault((code, value), key)
                    if other != key:
                        errors.append(
                            f"{where}: "
                            + _("%(column)s %(slug)r is already used by %(other)r")
                            % {"column": column, "slug": value, "other": other}
                        )
        for column in ("name_fr", "slug_fr"):
            if not values.get(column):
                errors.append(f"{where}: " + _("%(column)s is required") % {"column": column})
        return None if len(errors) > count else (key, values)

    def apply(self, plan: PartPlan) -> None:
        rows = {s.key: s for s in Section.objects.filter(key__in=[key for key, _v in plan.state])}
        for key, values in plan.state:
            section = rows.get(key) or Section(key=key)
            for name, value in values.items():
                setattr(section, name, value)
            # A backup that says what each translation follows keeps it (outdated stays so).
            section._keep_translation_marks = any(name.startswith(MARKER) for name in values)
            section._change_reason = "import"  # shown in the history
            section.save()


PART = ArticlesPart()
SECTIONS_PART = SectionsPart()
# Registered on import (ArticlesConfig.ready() imports this module, then registers PART), so
# a backup lists the sections before the articles that name them.
parts.register(SECTIONS_PART)
