"""Haystack's Elasticsearch 7 engine with the glossary's per-language analyzers.

Selected by SEARCH_URL=elasticsearch://host:9200/prefix (glossary.search.config); needs the
client: pip install -e ".[elasticsearch]". Searches go through glossary.search.engine's
generic HaystackEngine, with the same plain-word rules as on Whoosh.
"""

from django.utils import translation
from haystack.backends.elasticsearch7_backend import (
    Elasticsearch7SearchBackend,
    Elasticsearch7SearchEngine,
)

from glossary.search.config import elasticsearch_settings

FOLDED_FIELDS = {"acronym", "vocabulary"}


class GlossaryElasticsearchBackend(Elasticsearch7SearchBackend):
    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        self.language = connection_options.get("LANGUAGE", connection_alias)
        self.silently_fail = False  # errors reach glossary.search.indexing, which logs them
        self.DEFAULT_SETTINGS = elasticsearch_settings(self.language)
        self.DEFAULT_FIELD_MAPPING = {"type": "text", "analyzer": f"glossary_{self.language}"}

    def build_schema(self, fields):
        content_field_name, mapping = super().build_schema(fields)
        for name in FOLDED_FIELDS & set(mapping):
            mapping[name]["analyzer"] = "glossary_folded"
        if "vocabulary" in mapping:
            # Autocomplete is a prefix query on the labels' words: index their prefixes.
            mapping["vocabulary"]["index_prefixes"] = {"min_chars": 1, "max_chars": 10}
        return content_field_name, mapping

    def update(self, index, iterable, commit=True):
        # Documents are prepared with the index's language active (modeltranslation fields).
        with translation.override(self.language):
            return super().update(index, iterable, commit=commit)


class GlossaryElasticsearchEngine(Elasticsearch7SearchEngine):
    backend = GlossaryElasticsearchBackend
