"""What a term is called besides its preferred name, and where its facts come from.

A term's preferred name is `Term.name` (one per language). Its other names are labels, each in
one language with a status, as in terminology databases (IATE, TBX, SKOS):

- *admitted*: shown to readers as "also called";
- *deprecated*: shown as "not recommended", next to the preferred name (calques, misuses);
- *search-only*: found by search, never shown (misspellings, old spellings).

A label may also have a type (abbreviation, full form, short form). Sources back a definition:
in one language, or shared by all of them when the language is left empty.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# Runs of ordinary white space; no-break spaces are typography (« NPS », 20 %) and stay.
_SPACES = re.compile(r"[ \t\r\n]+")


def squeeze(text: str) -> str:
    """`text` trimmed, each run of ordinary spaces, tabs or line breaks made one space."""
    return _SPACES.sub(" ", text or "").strip(" ")


class TermLabel(models.Model):
    class Status(models.TextChoices):
        ADMITTED = "admitted", _("admitted (shown as “also called”)")
        DEPRECATED = "deprecated", _("not recommended")
        SEARCH_ONLY = "search_only", _("search only (never shown)")

    class Type(models.TextChoices):
        ABBREVIATION = "abbreviation", _("abbreviation")
        FULL_FORM = "full_form", _("full form")
        SHORT_FORM = "short_form", _("short form")

    term = models.ForeignKey(
        "glossary.Term", verbose_name=_("term"), on_delete=models.CASCADE, related_name="labels"
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    text = models.CharField(_("label"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ADMITTED
    )
    type = models.CharField(_("type"), max_length=20, choices=Type.choices, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("label")
        verbose_name_plural = _("labels")
        ordering = ["language", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                "term", "language", Lower("text"), name="label_unique_per_term_language"
            )
        ]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        super().clean()
        self.text = squeeze(self.text)
        if self.term_id and self.language and self.text:
            name = getattr(self.term, f"name_{self.language}", "") or ""
            if name.casefold() == self.text.casefold():
                raise ValidationError(
                    {"text": _("This is already the preferred name in this language.")}
                )


class TermSource(models.Model):
    term = models.ForeignKey(
        "glossary.Term", verbose_name=_("term"), on_delete=models.CASCADE, related_name="sources"
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Leave empty when the source backs the text in every language."),
    )
    author = models.CharField(
        _("author or organisation"), max_length=200, blank=True, help_text=_("e.g. ARCEP")
    )
    title = models.CharField(_("title"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    url = models.URLField(
        _("address (URL)"),
        max_length=500,
        blank=True,
        # Only web addresses: the page renders them as links.
        validators=[URLValidator(schemes=["http", "https"])],
    )
    note = models.CharField(
        _("note"), max_length=300, blank=True, help_text=_("e.g. tariffs as of 2015")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(author="", title=""), name="source_has_author_or_title"
            )
        ]

    def __str__(self) -> str:
        return ", ".join(str(part) for part in (self.author, self.title, self.year) if part)

    def clean(self) -> None:
        super().clean()
        if not (self.author.strip() or self.title.strip()):
            raise ValidationError(_("Give the author or organisation, or the title."))
        if self.year is not None and not 1500 <= self.year <= 2100:
            raise ValidationError({"year": _("Give a year between 1500 and 2100.")})
