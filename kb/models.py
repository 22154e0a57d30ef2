"""Knowledge-base articles: longer pages that explain a topic and link glossary terms.

Translated fields (title, slug, summary, body) get one column per language from
modeltranslation (see translation.py), as glossary terms do.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from glossary.languages import fallback_order, language_codes
from glossary.models import Term


class ArticleQuerySet(models.QuerySet):
    def published(self) -> "ArticleQuerySet":
        """Articles a visitor may see."""
        return self.filter(status=Article.Status.PUBLISHED)

    def by_slug(self, slug: str, language: str) -> "Article | None":
        """Find an article by its slug in `language`, else in any other language."""
        for code in [language, *fallback_order(language)]:
            article = self.filter(**{f"slug_{code}": slug}).first()
            if article is not None:
                return article
        return None


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

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
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["key"]
        constraints = [
            # Article URLs are /<lang>/kb/<slug>/: a slug names one article per language.
            *(
                models.UniqueConstraint(
                    fields=[f"slug_{code}"],
                    condition=~Q(**{f"slug_{code}": ""}),
                    name=f"article_unique_slug_{code}",
                )
                for code in ("fr", "it", "en")
            ),
        ]
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

    def languages(self) -> list[str]:
        """Languages in which this article has its own text (a title and a body)."""
        return [
            code
            for code in language_codes()
            if getattr(self, f"title_{code}", "") and getattr(self, f"body_{code}", "")
        ]

    def display_language(self, language: str) -> str:
        """The language whose text a reader of `language` sees: theirs, else a fallback."""
        available = self.languages()
        if language in available:
            return language
        for code in fallback_order(language):
            if code in available:
                return code
        return language

    def text(self, field: str, language: str) -> str:
        return getattr(self, f"{field}_{language}", "") or ""

    def slug_for(self, language: str) -> str:
        """The slug used in `language` URLs: its own, else the fallback language's."""
        return self.text("slug", language) or self.text("slug", self.display_language(language))
