"""Haystack index of published terms, one document per term in each language's index.

Each language connection prepares documents with its language active (the backend wraps
indexing in translation.override), so the fields read that language's columns. Field boosts
order the evidence: name and acronym, then admitted and search-only labels, then deprecated
labels, then the summary, then the definition. Search-only labels are indexed, never stored, so
they can never be shown.
"""

import hashlib
import json

from django.utils import translation
from haystack import indexes
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.utils import get_identifier, get_model_ct

from glossary.models import Term, TermLabel
from kb.core.languages import language_codes

NAME_BOOST = 5.0
LABEL_BOOST = 3.0
# A name professionals advise against still finds the term, below the names they use.
DEPRECATED_BOOST = 2.5
SUMMARY_BOOST = 2.0


def active_language() -> str:
    language = translation.get_language() or ""
    return language if language in language_codes() else language_codes()[0]


class TermIndex(indexes.SearchIndex, indexes.Indexable):
    # The definition is haystack's "document" field (the lowest-weighted one).
    text = indexes.CharField(document=True)
    name = indexes.CharField(boost=NAME_BOOST)
    acronym = indexes.CharField(boost=NAME_BOOST)
    # Admitted and search-only labels, searched together (one query branch per word, not two);
    # search-only labels are never stored, so they can never be shown.
    labels = indexes.CharField(boost=LABEL_BOOST, stored=False)
    synonyms = indexes.CharField(indexed=False)  # results show "synonym → name"
    # Results show "deprecated (not recommended) → name".
    deprecated = indexes.CharField(boost=DEPRECATED_BOOST)
    summary = indexes.CharField(boost=SUMMARY_BOOST)
    # The words of names, acronyms and synonyms (not stems, not hidden misspellings), for
    # "did you mean".
    vocabulary = indexes.CharField(stored=False)
    slug = indexes.CharField(indexed=False)
    url = indexes.CharField(indexed=False)
    # Hash of the other fields: search_check compares it with the database's to find stale docs.
    fingerprint = indexes.CharField(indexed=False)

    def get_model(self):
        return Term

    def index_queryset(self, using=None):
        language = using if using in language_codes() else active_language()
        return (
            Term.objects.published()
            .with_text_in(language)
            .prefetch_related("labels")
            .order_by("pk")
        )

    def prepare(self, obj: Term) -> dict:
        language = active_language()
        name = obj.text("name", language)
        acronym = obj.text("acronym", language)
        synonyms = obj.label_texts(language, TermLabel.Status.ADMITTED)
        summary = obj.text("summary", language)
        values = {
            "text": obj.text("definition", language),
            "name": name,
            "acronym": acronym,
            "labels": "\n".join(
                [*synonyms, *obj.label_texts(language, TermLabel.Status.SEARCH_ONLY)]
            ),
            "synonyms": "\n".join(synonyms),
            "deprecated": "\n".join(obj.label_texts(language, TermLabel.Status.DEPRECATED)),
            "summary": summary,
            "vocabulary": "\n".join([name, acronym, *synonyms]),
            "slug": obj.slug_for(language),
            "url": obj.get_absolute_url(language),
        }
        # Every field is set above: haystack's own prepare() would only add the identifiers
        # (after preparing each field a second time, a tenth of a rebuild).
        self.prepared_data = document(obj, values)
        return self.prepared_data


def document(obj, values: dict) -> dict:
    """A search document: `values` with their fingerprint and haystack's identifiers."""
    values["fingerprint"] = fingerprint(values)
    return {ID: get_identifier(obj), DJANGO_CT: get_model_ct(obj), DJANGO_ID: str(obj.pk), **values}


def fingerprint(values: dict) -> str:
    """A short, stable hash of a document's fields."""
    payload = json.dumps(values, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha1(payload, usedforsecurity=False).hexdigest()[:16]
