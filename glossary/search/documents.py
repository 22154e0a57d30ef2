"""The PostgreSQL engine's tables (glossary.search.postgres): one search document per
object and language, the words of its labels for autocomplete, and each language's distinct
label words for "did you mean".

They are created by migrations on PostgreSQL only (glossary/migrations/0007_search_documents
and 0009_search_words); on SQLite the models exist but have no table and nothing reads them.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F
from django.db.models.functions import Left, Length
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    """One searchable object (a term, an article) in one language: what a hit shows, the
    texts its vector is made of, and the vector."""

    model_label = models.CharField(_("model"), max_length=60)  # "glossary.term"
    object_id = models.BigIntegerField(_("object id"))
    language = models.CharField(_("language"), max_length=5)
    kind = models.CharField(_("kind"), max_length=20)  # "term", "article"
    # Shown in results (the fields of the haystack index definitions).
    name = models.TextField(_("name"), blank=True)
    acronym = models.TextField(_("acronym"), blank=True)
    synonyms = models.TextField(_("synonyms"), blank=True)  # one per line
    deprecated = models.TextField(_("deprecated labels"), blank=True)  # one per line
    summary = models.TextField(_("summary"), blank=True)
    slug = models.TextField(_("slug"), blank=True)
    url = models.TextField(_("URL"), blank=True)
    urls = models.TextField(_("URLs"), blank=True)  # JSON {language: URL} of other kinds
    fingerprint = models.CharField(_("fingerprint"), max_length=32, blank=True)
    # The vector's input, elisions removed (glossary.search.postgres.plain_text), one text
    # per weight, so that `refresh_vectors` can recompute every vector in SQL alone.
    weight_a = models.TextField(
        _("weight A text"), blank=True
    )  # name (the acronym is added unstemmed)
    weight_b = models.TextField(_("weight B text"), blank=True)  # admitted and search-only labels
    weight_c = models.TextField(_("weight C text"), blank=True)  # summary, deprecated labels
    weight_d = models.TextField(_("weight D text"), blank=True)  # definition or body
    vector = SearchVectorField(_("search vector"), null=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            # One document per object and language: what `index` replaces.
            models.UniqueConstraint(
                fields=["language", "model_label", "object_id"], name="search_document_unique"
            )
        ]
        indexes = [
            # The full-text match of every search (`vector @@ query`). No pending list: with
            # one, every search scans the entries not yet merged (5 ms after a rebuild).
            GinIndex(fields=["vector"], name="search_document_vector", fastupdate=False),
        ]

    def __str__(self) -> str:
        return f"{self.language} {self.model_label}.{self.object_id}"


class SearchLabel(models.Model):
    """One word of a term's name, acronym or admitted synonym (never a search-only label):
    found by prefix for autocomplete; "did you mean" checks here that a word is still used."""

    document = models.ForeignKey(
        SearchDocument, models.CASCADE, related_name="label_words", verbose_name=_("document")
    )
    language = models.CharField(_("language"), max_length=5)
    word = models.TextField(_("word"))  # folded: lower case, no accents
    preference = models.PositiveSmallIntegerField(_("preference"))  # 0 name, 1 acronym, 2+...
    label = models.TextField(_("label"))  # as written
    words = models.TextField(_("label words"))  # " w1 w2": every folded word, space-led
    first = models.BooleanField(_("first word"))  # `word` starts the label

    class Meta:
        verbose_name = _("search label word")
        verbose_name_plural = _("search label words")
        indexes = [
            # Autocomplete: `word LIKE 'pr%'` for any prefix, one or two letters included
            # (trigram indexes cannot serve those); text_pattern_ops, whatever the collation.
            # It holds what autocomplete reads, so a two-letter prefix (10,000 label words at
            # 100,000 terms) is an index-only scan, not 7,000 table pages.
            models.Index(
                fields=["language", "word"],
                opclasses=["text_ops", "text_pattern_ops"],
                include=["document", "preference", "label", "words"],
                name="search_label_prefix",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class SearchWord(models.Model):
    """One distinct word of a language's labels: where "did you mean" looks for close words
    (a few thousand rows to read per letter, where the label words repeat each word ~4 times).

    Written with the label words, never deleted but by a rebuild: a word whose labels are all
    gone stays until then, and the engine checks SearchLabel before offering it. There is no
    unique constraint on purpose: two writers adding the same new word would wait on each
    other's uncommitted row (and could deadlock); at worst a word is stored twice.
    """

    language = models.CharField(_("language"), max_length=5)
    word = models.TextField(_("word"))  # folded, as SearchLabel.word

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")
        indexes = [
            # "Did you mean": the words of the same first letter and a close length, scanned
            # with levenshtein_less_equal (fuzzystrmatch); and `word = ...`, when writing.
            models.Index(
                F("language"), Left("word", 1), Length("word"), F("word"), name="search_word_close"
            ),
        ]

    def __str__(self) -> str:
        return self.word
