"""Knowledge-base articles: longer pages that explain a topic and link glossary terms, grouped
in sections.

Translated fields (title, slug, summary, body; a section's name, slug and description) get one
column per language from modeltranslation (see translation.py), as glossary terms do.
"""

from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from glossary.models import Term
from kb.core.publishing import PublishedOnceModel
from kb.core.translated import (
    BySlugQuerySet,
    TranslatedText,
    first_filled,
    unique_slug_per_language,
)
from kb.core.translation_status import (
    NAME_AND_DESCRIPTION,
    TranslationSpec,
    TranslationTracked,
)
from kb.core.versioning import VersionedModel


class Section(TranslatedText, TranslationTracked, VersionedModel):
    """A group of articles with its own page, translated like a glossary category."""

    text_fields = ("name",)  # a section's name is its text; the description is optional
    # Outdated when the French name or description changed since, as a category.
    translation_spec = NAME_AND_DESCRIPTION

    key = models.SlugField(
        _("key"),
        unique=True,
        help_text=_("Language-independent identifier, used by the content files."),
    )
    # Required in French (the source language) only: see translation.py.
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120)
    description = models.TextField(
        _("description"), blank=True, help_text=_("One or two sentences, shown on its page.")
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Sections are listed by position, then key.")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = BySlugQuerySet.as_manager()

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["position", "key"]
        # Section URLs are /<lang>/kb/<sections>/<slug>/: a slug names one section per language.
        constraints = unique_slug_per_language("section")

    def __str__(self) -> str:
        return self.name or self.text("name", self.display_language("fr")) or self.key

    def get_absolute_url(self, language: str | None = None) -> str:
        language = language or translation.get_language()
        # Like a category's: the first slug filled in the reader's order (a section may be
        # named in a language before its slug there is chosen).
        slug = first_filled(self, "slug", language) or self.key
        with translation.override(language):
            return reverse("articles:section-detail", kwargs={"slug": slug})


class ArticleQuerySet(BySlugQuerySet):
    def published(self) -> "ArticleQuerySet":
        """Articles a visitor may see."""
        return self.filter(status=Article.Status.PUBLISHED)


class Article(TranslatedText, TranslationTracked, PublishedOnceModel, VersionedModel):
    title_field = "title"
    text_fields = ("body",)
    # A translation is outdated when the French title, summary or body changed since
    # (kb/core/translation_status.py); a language has its text with a title and a body.
    translation_spec = TranslationSpec(
        fields=("title", "summary", "body"), title_field="title", text_fields=("body",)
    )

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    # An article that was ever published is never deleted, only unpublished (back to draft):
    # see kb/core/publishing.py.
    PUBLIC_STATUSES = (Status.PUBLISHED,)

    key = models.SlugField(
        _("key"),
        unique=True,
        help_text=_("Language-independent identifier, used by the content files."),
    )
    # Required in French (the source language) only: see translation.py.
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200)
    summary = models.CharField(
        _("summary"),
        max_length=300,
        blank=True,
        help_text=_("One or two sentences, shown in lists and as the page description."),
    )
    body = models.TextField(_("body"), blank=True, help_text=_("Markdown."))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # Nullable so that an upgrade keeps every row (migration 0003 files existing articles in a
    # default section); PROTECT: a section with articles cannot be deleted from under them.
    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        related_name="articles",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    related_terms = models.ManyToManyField(
        Term,
        verbose_name=_("related terms"),
        related_name="articles",
        blank=True,
        help_text=_("The article is listed under “Related content” on these terms' pages."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        # The table of the days when articles lived in the site package (app "kb"): moving the
        # code kept every row where it was (migrations/0001_initial.py).
        db_table = "kb_article"
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["key"]
        # Article URLs are /<lang>/kb/<slug>/: a slug names one article per language.
        constraints = unique_slug_per_language("article")
        indexes = [
            # The article list shows published articles, most recently updated first.
            models.Index(fields=["status", "-updated_at"], name="article_status_updated_idx"),
        ]

    def __str__(self) -> str:
        return self.title or self.text("title", self.display_language("fr")) or self.key

    def get_absolute_url(self, language: str | None = None) -> str:
        language = language or translation.get_language()
        with translation.override(language):
            return reverse(
                "articles:article-detail", kwargs={"slug": self.slug_for(language) or self.key}
            )
