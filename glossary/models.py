"""The glossary: categories, terms and the typed, reciprocal relations between terms.

Translated fields (name, slug, summary...) get one column per language from
modeltranslation (see translation.py): `name` reads the active language, `name_fr`,
`name_it` and `name_en` read one language each.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max, Q
from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from glossary import translation_status
from glossary.labels import TermLabel, TermSource  # noqa: F401  (registers them with the app)
from kb.core.publishing import PublishedOnceModel
from kb.core.translated import (
    BySlugQuerySet,
    TranslatedText,
    first_filled,
    unique_slug_per_language,
)
from kb.core.translation_status import NAME_AND_DESCRIPTION, TranslationTracked
from kb.core.versioning import VersionedModel


def key_field() -> models.SlugField:
    """The language-independent identifier that imports and exports match rows on."""
    return models.SlugField(
        _("key"),
        unique=True,
        help_text=_("Language-independent identifier, used by imports and exports."),
    )


class Category(TranslatedText, TranslationTracked, VersionedModel):
    text_fields = ("name",)  # a category's name is its text; the description is optional
    # A translation is outdated when the French name or description changed since
    # (kb/core/translation_status.py); a language has its text with a name.
    translation_spec = NAME_AND_DESCRIPTION

    key = key_field()
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = BySlugQuerySet.as_manager()

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "key"]
        # Category URLs are /<lang>/categories/<slug>/: a slug names one category per language.
        constraints = unique_slug_per_language("category")

    def __str__(self) -> str:
        return self.name or self.key

    def get_absolute_url(self, language: str | None = None) -> str:
        language = language or translation.get_language()
        slug = first_filled(self, "slug", language) or self.key
        with translation.override(language):
            return reverse("glossary:category-detail", kwargs={"slug": slug})


class TermQuerySet(BySlugQuerySet):
    def published(self) -> "TermQuerySet":
        """Terms a visitor may see (public lists, sitemap, API, search): never drafts, never
        deprecated terms."""
        return self.filter(status=Term.Status.PUBLISHED)

    def deprecated(self) -> "TermQuerySet":
        """Retired terms: their URLs redirect to the replacement or answer 410 Gone."""
        return self.filter(status=Term.Status.DEPRECATED)

    def with_text_in(self, language: str) -> "TermQuerySet":
        """Terms whose name exists in `language` (the others fall back on their pages)."""
        return self.exclude(**{f"name_{language}": ""}).exclude(**{f"name_{language}": None})


class Term(TranslatedText, PublishedOnceModel, VersionedModel):
    # What its translation status follows (kb/core/translation_status.py), as categories and
    # articles declare theirs; the admin's translation dashboard finds every such model.
    translation_spec = translation_status.TERM

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        # Published terms are deprecated, never deleted: their URLs keep answering.
        DEPRECATED = "deprecated", _("Deprecated")

    # A term that was ever in one of these statuses is never deleted (kb/core/publishing.py):
    # set back to draft, it can still only be deprecated.
    PUBLIC_STATUSES = (Status.PUBLISHED, Status.DEPRECATED)

    key = key_field()
    # Required in French (the source language) only: see translation.py.
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200)
    acronym = models.CharField(
        _("acronym"), max_length=40, blank=True, help_text=_("Acronym or abbreviation, e.g. NPS.")
    )
    summary = models.CharField(
        _("summary"),
        max_length=300,
        blank=True,
        help_text=_("One sentence, shown in lists, tooltips and search results."),
    )
    definition = models.TextField(_("definition"), blank=True, help_text=_("Markdown."))
    usage_note = models.TextField(
        _("usage note"),
        blank=True,
        help_text=_("Regional or dated usage, e.g. “in France since 2015”. Markdown."),
    )
    example = models.TextField(
        _("example"), blank=True, help_text=_("A sentence showing the term in use.")
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="terms",
    )
    is_trademark = models.BooleanField(
        _("registered trademark"),
        default=False,
        help_text=_("Show ® after the name (e.g. Net Promoter Score®)."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
        help_text=_(
            "For a deprecated term: the term its address now redirects to. "
            "Without one, the address explains that the term was withdrawn."
        ),
    )
    # Translation status (glossary/translation_status.py): the digest of the current French
    # text, and per language the digest of the French text it was translated from.
    source_digest = models.CharField(
        _("source text digest"), max_length=64, blank=True, editable=False
    )
    translated_from_it = models.CharField(
        _("Italian translated from"), max_length=64, blank=True, editable=False
    )
    translated_from_en = models.CharField(
        _("English translated from"), max_length=64, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["key"]
        # Term URLs are /<lang>/terms/<slug>/: a slug names one term per language.
        constraints = unique_slug_per_language("term")
        indexes = [
            # The home page lists recently updated published terms.
            models.Index(fields=["status", "-updated_at"], name="term_status_updated_idx"),
        ]

    def __str__(self) -> str:
        return self.name or first_filled(self, "name", translation.get_language()) or self.key

    def save(self, *args, **kwargs) -> None:
        """Save, keeping the translation status up to date.

        A language whose name, summary or definition changed in this save is taken as
        translated from the current French text; the others keep what they were translated from,
        so a change to the French makes them outdated. Set `_keep_translation_marks` to save the
        markers as they are (a restore of an earlier version).
        """
        self.source_digest = translation_status.digest(self)
        if not getattr(self, "_keep_translation_marks", False):
            previous = None
            if self.pk is not None:
                columns = [
                    f"{field}_{code}"
                    for field in translation_status.SOURCE_FIELDS
                    for code in translation_status.target_languages()
                ]
                previous = Term._base_manager.filter(pk=self.pk).values(*columns).first()
            for code in translation_status.target_languages():
                new_text = translation_status.texts(self, code)
                old_text = translation_status.texts(previous, code) if previous else ("",) * 3
                if new_text != old_text and translation_status.has_text(self, code):
                    setattr(self, translation_status.marker_field(code), self.source_digest)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {
                *update_fields,
                "source_digest",
                *map(translation_status.marker_field, translation_status.target_languages()),
            }
        super().save(*args, **kwargs)

    def get_absolute_url(self, language: str | None = None) -> str:
        language = language or translation.get_language()
        with translation.override(language):
            return reverse(
                "glossary:term-detail", kwargs={"slug": self.slug_for(language) or self.key}
            )

    # --- Languages ---------------------------------------------------------------------------

    def label_texts(self, language: str, *statuses: str) -> list[str]:
        """The texts of one language's labels with these statuses (any status by default), in
        the editors' order. Reads the labels prefetched with `prefetch_related("labels")`."""
        return [
            label.text
            for label in self.labels.all()
            if label.language == language and (not statuses or label.status in statuses)
        ]

    def sources_for(self, language: str) -> list["TermSource"]:
        """The sources of `language`'s text: its own and those shared by every language."""
        return [source for source in self.sources.all() if source.language in ("", language)]

    # --- Deprecation ---------------------------------------------------------------------------

    def clean(self) -> None:
        super().clean()
        if self.replaced_by_id is not None:
            if self.status != self.Status.DEPRECATED:
                raise ValidationError(
                    {"replaced_by": _("Only a deprecated term can be replaced by another.")}
                )
            if self.replaced_by_id == self.pk:
                raise ValidationError({"replaced_by": _("A term cannot replace itself.")})
            if self.replaced_by.status == self.Status.DRAFT:
                raise ValidationError(
                    {"replaced_by": _("The replacement must be published: visitors follow it.")}
                )

    def replacement(self) -> "Term | None":
        """The published term that now stands for this deprecated one, following chains of
        replacements (A replaced by B, B later replaced by C); None if the chain ends nowhere."""
        seen = {self.pk}
        term = self.replaced_by
        while term is not None and term.pk not in seen:
            if term.status == self.Status.PUBLISHED:
                return term
            seen.add(term.pk)
            term = term.replaced_by
        return None

    # --- Translation status --------------------------------------------------------------------

    def translation_states(self) -> dict[str, "translation_status.TranslationState"]:
        """{language: complete | missing | outdated} for every language translated from French."""
        return translation_status.states(self)

    def mark_translations_current(self) -> None:
        """Take every language that has text as translated from the current French (no save).

        For content whose translations come with it, such as the glossary's own files."""
        self.source_digest = translation_status.digest(self)
        for code in translation_status.target_languages():
            if translation_status.has_text(self, code):
                setattr(self, translation_status.marker_field(code), self.source_digest)

    def confirm_translations(self, languages: list[str] | None = None) -> list[str]:
        """Record that the given languages' texts (all by default) follow the current French.

        Languages without text stay missing. Returns the languages that changed state; saves
        (a recorded, versioned change) only if there is one.
        """
        self.source_digest = translation_status.digest(self)
        confirmed = []
        for code in languages or translation_status.target_languages():
            if translation_status.state(self, code) == translation_status.TranslationState.OUTDATED:
                setattr(self, translation_status.marker_field(code), self.source_digest)
                confirmed.append(code)
        if confirmed:
            self._change_reason = "confirm:" + ",".join(confirmed)
            self.save()
        return confirmed


class RelationQuerySet(models.QuerySet):
    def recover_deleted_with(self, term: "Term", user=None) -> int:
        """Recreate the links `term` lost when it was deleted (it has just been recovered).

        A link comes back when the last thing its history says about it is a deletion along
        with a term (reason "cascade", see mark_relations_deleted_with_term), its other term
        exists, and no link joins the pair now. Returns how many links came back.
        """
        latest = {}
        for record in TermRelation.history.filter(
            Q(source_id=term.pk) | Q(target_id=term.pk)
        ).order_by("history_date", "history_id"):
            latest[frozenset((record.source_id, record.target_id))] = record
        others = {
            (record.target_id if record.source_id == term.pk else record.source_id): record
            for record in latest.values()
            if record.history_type == "-" and record.history_change_reason == CASCADE_REASON
        }
        existing = set(Term.objects.filter(pk__in=others).values_list("pk", flat=True))
        linked = set(
            TermRelation.objects.filter(source=term, target__in=others).values_list(
                "target_id", flat=True
            )
        )
        restored = 0
        for other, record in others.items():
            if other in existing and other not in linked:
                relation = TermRelation(
                    source_id=record.source_id, target_id=record.target_id, type=record.type
                )
                relation._change_reason = f"recover:{record.history_id}"
                if user is not None:
                    relation._history_user = user
                relation.save()
                restored += 1
        return restored

    def delete(self):
        """Delete relations together with their reverse rows, so no half-link remains."""
        with transaction.atomic():
            pairs = set(self.values_list("source_id", "target_id"))
            pairs |= {(target, source) for source, target in pairs}
            # The rows of those pairs, found among the rows of their terms: one OR clause per
            # pair made SQLite refuse the query ("expression tree is too large").
            terms = {source for source, _target in pairs}
            ids = [
                pk
                for pk, source, target in TermRelation.objects.filter(
                    source_id__in=terms, target_id__in=terms
                ).values_list("pk", "source_id", "target_id")
                if (source, target) in pairs
            ]
            return models.QuerySet.delete(TermRelation.objects.filter(pk__in=ids))


class TermRelation(models.Model):
    """A typed link from `source` to `target`, always stored together with its reverse row.

    "A broader than B" is stored as (A, B, narrower) and (B, A, broader): reading the
    relations of one term is then a single indexed query on `source`.
    """

    class Type(models.TextChoices):
        RELATED = "related", _("Related")
        BROADER = "broader", _("Broader")
        NARROWER = "narrower", _("Narrower")
        SEE_ALSO = "see_also", _("See also")

    INVERSE = {
        Type.RELATED: Type.RELATED,
        Type.BROADER: Type.NARROWER,
        Type.NARROWER: Type.BROADER,
        Type.SEE_ALSO: Type.SEE_ALSO,
    }

    source = models.ForeignKey(
        Term, verbose_name=_("term"), on_delete=models.CASCADE, related_name="relations"
    )
    target = models.ForeignKey(
        Term,
        verbose_name=_("related term"),
        on_delete=models.CASCADE,
        related_name="incoming_relations",
    )
    type = models.CharField(_("type"), max_length=20, choices=Type.choices, default=Type.RELATED)

    objects = RelationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("relation")
        verbose_name_plural = _("relations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(source=models.F("target")), name="relation_not_to_itself"
            ),
            # One link per ordered pair: a pair cannot be both "related" and "broader".
            models.UniqueConstraint(fields=["source", "target"], name="relation_unique_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.get_type_display()} → {self.target}"

    def save(self, *args, **kwargs) -> None:
        """Save this row and create or update its reverse row in the same transaction."""
        with transaction.atomic():
            if self.pk is not None:
                before = (
                    TermRelation.objects.filter(pk=self.pk)
                    .values_list("source_id", "target_id")
                    .first()
                )
                if before and before != (self.source_id, self.target_id):
                    # The link moved to another pair: its old reverse row must go with it.
                    self._reverse_rows(*before)._raw_delete(using=self._state.db)
            super().save(*args, **kwargs)
            updated = self._reverse_rows(self.source_id, self.target_id).update(
                type=self.inverse_type
            )
            if not updated:
                reverse = TermRelation(
                    source_id=self.target_id, target_id=self.source_id, type=self.inverse_type
                )
                # Model.save, not ours: the reverse of the reverse is this row, already saved.
                models.Model.save(reverse)

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            self._reverse_rows(self.source_id, self.target_id)._raw_delete(using=self._state.db)
            return super().delete(*args, **kwargs)

    @property
    def inverse_type(self) -> str:
        return self.INVERSE[self.Type(self.type)]

    @staticmethod
    def _reverse_rows(source_id: int, target_id: int) -> models.QuerySet:
        return TermRelation.objects.filter(source_id=target_id, target_id=source_id)


# --- Deleting a term: remember which of its links went with it -------------------------------

CASCADE_REASON = "cascade"  # a relation's deletion record when it went with its term


@receiver(pre_delete, sender=Term, dispatch_uid="glossary.relation_history_mark")
def note_relation_history(sender, instance: Term, **kwargs) -> None:
    """Before a term's links are deleted with it, note where the links' history stands."""
    instance._relation_history_mark = (
        TermRelation.history.aggregate(last=Max("history_id"))["last"] or 0
    )


@receiver(post_delete, sender=Term, dispatch_uid="glossary.relations_deleted_with_term")
def mark_relations_deleted_with_term(sender, instance: Term, **kwargs) -> None:
    """Tag the deletion records of the links that went with the term (deleted just before it,
    in the same transaction), so recovering the term brings them back and no other link."""
    mark = getattr(instance, "_relation_history_mark", None)
    if mark is None:
        return
    TermRelation.history.filter(
        Q(source_id=instance.pk) | Q(target_id=instance.pk),
        history_id__gt=mark,
        history_type="-",
    ).update(history_change_reason=CASCADE_REASON)


# The PostgreSQL search engine's tables (their own module, registered with this app).
from glossary.search.documents import SearchDocument, SearchLabel  # noqa: E402, F401
