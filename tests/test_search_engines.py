"""Engine choice by settings, Elasticsearch analysis, and the generic haystack path."""

from pathlib import Path

import pytest

from glossary.search import engine
from glossary.search.config import (
    ELASTICSEARCH_ENGINE,
    WHOOSH_ENGINE,
    SearchConfigError,
    elasticsearch_settings,
    haystack_connections,
)
from tests.search_fixtures import indexed_glossary, search_index  # noqa: F401


def test_whoosh_is_the_default_with_one_index_directory_per_language(tmp_path):
    connections = haystack_connections("", tmp_path, ["fr", "it", "en"])
    assert set(connections) == {"default", "fr", "it", "en"}
    for code in ("fr", "it", "en"):
        assert connections[code]["ENGINE"] == WHOOSH_ENGINE
        assert Path(connections[code]["PATH"]) == tmp_path / code
        assert connections[code]["LANGUAGE"] == code


def test_search_url_moves_every_language_to_elasticsearch(tmp_path):
    url = "elasticsearchs://kb:s3cret@search.internal:9243/crm-glossary"
    connections = haystack_connections(url, tmp_path, ["fr", "it", "en"])
    for code in ("fr", "it", "en"):
        assert connections[code] == {
            "ENGINE": ELASTICSEARCH_ENGINE,
            "URL": "https://kb:s3cret@search.internal:9243/",
            "INDEX_NAME": f"crm-glossary-{code}",
            "LANGUAGE": code,
        }


@pytest.mark.parametrize("url", ["solr://x", "elasticsearch://", "http://localhost:9200"])
def test_a_search_url_that_cannot_be_understood_is_refused(url, tmp_path):
    with pytest.raises(SearchConfigError, match="SEARCH_URL"):
        haystack_connections(url, tmp_path, ["fr"])


@pytest.mark.parametrize(
    ("language", "stemmer", "stop"),
    [("fr", "light_french", "_french_"), ("it", "light_italian", "_italian_"),
     ("en", "english", "_english_")],
)  # fmt: skip
def test_elasticsearch_analyzers_match_the_whoosh_chain(language, stemmer, stop):
    analysis = elasticsearch_settings(language)["settings"]["analysis"]
    chain = analysis["analyzer"][f"glossary_{language}"]["filter"]
    assert chain[-1] == "asciifolding" and "lowercase" in chain
    assert analysis["filter"]["glossary_stemmer"]["language"] == stemmer
    assert analysis["filter"]["glossary_stop"]["stopwords"] == stop


@pytest.mark.usefixtures("search_index")
class TestGenericHaystackPath:
    """What Elasticsearch would run, exercised here against the Whoosh connections."""

    def test_search(self):
        count, hits = engine.HaystackEngine("it").search("promotori", 0, 10)
        assert count >= 1 and "Promotore" in [hit.name for hit in hits]

    def test_suggest(self):
        pairs = engine.HaystackEngine("fr").suggest(["num"], 10)
        assert ("Numéro vert", "Numéro vert") in [(label, hit.name) for label, hit in pairs]

    def test_spelling(self):
        assert engine.HaystackEngine("en").correct("chatbott") == "chatbot"

    def test_stored_documents_match_the_fast_path(self):
        assert engine.HaystackEngine("fr").stored_documents() == engine.stored_documents("fr")
