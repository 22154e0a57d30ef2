"""Translated content with per-language slugs, and the one rule for language fallback.

modeltranslation gives each translated field one column per language (`name_fr`, `name_it`...);
these helpers read them, choose the language a reader sees, and find objects by any slug.
Every fallback (a field, a whole text, a slug, the `{% tr %}` tag) follows `reading_order`.
"""

import re

from django.db import models
from django.db.models import Q

from kb.core.languages import language_codes, reading_order


def first_filled(instance: object, field: str, language: str) -> str:
    """The value of a translated field in `language`, else in its fallback languages."""
    for code in reading_order(language):
        value = getattr(instance, f"{field}_{code}", "")
        if value:
            return value
    return ""


# What a slug can be (SlugField, at most 200 characters); anything else names nothing.
_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,200}")


def is_slug(value: str) -> bool:
    return bool(_SLUG.fullmatch(value))


class BySlugQuerySet(models.QuerySet):
    def by_slug(self, slug: str, language: str):
        """The object whose slug in `language` is `slug`, else in another language, else None.

        Links keep working when someone swaps the language prefix of a URL by hand. A string
        that cannot be a slug is not looked up (PostgreSQL rejects NUL bytes with an error).
        """
        if not is_slug(slug):
            return None
        for code in reading_order(language):
            found = self.filter(**{f"slug_{code}": slug}).first()
            if found is not None:
                return found
        return None


def unique_slug_per_language(prefix: str) -> list[models.UniqueConstraint]:
    """Constraints that make a non-empty slug name one object per language (URLs use it)."""
    return [
        models.UniqueConstraint(
            fields=[f"slug_{code}"],
            condition=~Q(**{f"slug_{code}": ""}),
            name=f"{prefix}_unique_slug_{code}",
        )
        for code in language_codes()
    ]


class TranslatedText:
    """Reading translated fields, for models whose text exists per language.

    A language "has the text" when `title_field` and at least one of `text_fields` are filled
    in it; other languages show a fallback language's text, with a notice.
    """

    title_field = "name"
    text_fields: tuple[str, ...] = ("definition", "summary")

    def text(self, field: str, language: str) -> str:
        """One language's value of a translated field ("" when empty)."""
        return getattr(self, f"{field}_{language}", "") or ""

    def languages(self) -> list[str]:
        """Languages in which this object has its own text."""
        return [
            code
            for code in language_codes()
            if self.text(self.title_field, code)
            and any(self.text(field, code) for field in self.text_fields)
        ]

    def display_language(self, language: str) -> str:
        """The language whose text a reader of `language` sees: theirs, else a fallback."""
        available = self.languages()
        return next((code for code in reading_order(language) if code in available), language)

    def slug_for(self, language: str) -> str:
        """The slug used in `language` URLs: its own, else the fallback language's."""
        return self.text("slug", language) or self.text("slug", self.display_language(language))
