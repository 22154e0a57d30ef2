"""Search connections from the environment. Pure (no Django import): kb/settings.py uses it.

One haystack connection per language ("fr", "it", "en"), each with its own analyzers. The
embedded default is Whoosh, one directory per language. SEARCH_URL switches every language
to Elasticsearch 7:

    SEARCH_URL=elasticsearch://localhost:9200/crm-glossary    (https: elasticsearchs://...)

gives the indexes crm-glossary-fr, crm-glossary-it and crm-glossary-en. Haystack requires a
"default" connection: it is a no-op engine here, so `rebuild_index` builds exactly the
three language indexes.
"""

from pathlib import Path
from urllib.parse import urlsplit

WHOOSH_ENGINE = "glossary.search.backends.GlossaryWhooshEngine"
ELASTICSEARCH_ENGINE = "glossary.search.elasticsearch.GlossaryElasticsearchEngine"
NOOP_ENGINE = "haystack.backends.simple_backend.SimpleEngine"


class SearchConfigError(ValueError):
    """SEARCH_URL cannot be understood."""


def haystack_connections(search_url: str, index_dir: Path, languages: list[str]) -> dict:
    """HAYSTACK_CONNECTIONS for `languages`: Whoosh under `index_dir`, or SEARCH_URL's engine."""
    connections: dict[str, dict] = {"default": {"ENGINE": NOOP_ENGINE}}
    search_url = (search_url or "").strip()
    if not search_url:
        for code in languages:
            connections[code] = {
                "ENGINE": WHOOSH_ENGINE,
                "PATH": str(Path(index_dir) / code),
                "LANGUAGE": code,
            }
        return connections
    parts = urlsplit(search_url)
    if parts.scheme not in {"elasticsearch", "elasticsearchs"} or not parts.hostname:
        raise SearchConfigError(
            "SEARCH_URL must look like elasticsearch://host:9200/index-prefix "
            f"(or elasticsearchs:// for https), not {search_url!r}."
        )
    scheme = "https" if parts.scheme == "elasticsearchs" else "http"
    auth = ""
    if parts.username:
        auth = f"{parts.username}:{parts.password or ''}@"
    url = f"{scheme}://{auth}{parts.hostname}:{parts.port or 9200}/"
    prefix = parts.path.strip("/") or "glossary"
    for code in languages:
        connections[code] = {
            "ENGINE": ELASTICSEARCH_ENGINE,
            "URL": url,
            "INDEX_NAME": f"{prefix}-{code}",
            "LANGUAGE": code,
        }
    return connections


# Elasticsearch analysis equivalent to glossary.search.analysis: elisions, stop words,
# light stemming (which also removes French plurals), then accent folding.
_ES_LANGUAGE_FILTERS = {
    "fr": {
        "glossary_elision": {
            "type": "elision",
            "articles_case": True,
            "articles": ["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu",
                         "lorsqu", "puisqu"],
        },
        "glossary_stop": {"type": "stop", "stopwords": "_french_"},
        "glossary_stemmer": {"type": "stemmer", "language": "light_french"},
    },
    "it": {
        "glossary_elision": {
            "type": "elision",
            "articles": ["c", "l", "all", "dall", "dell", "nell", "sull", "coll", "pell", "gl",
                         "agl", "dagl", "degl", "negl", "sugl", "un", "m", "t", "s", "v", "d"],
        },
        "glossary_stop": {"type": "stop", "stopwords": "_italian_"},
        "glossary_stemmer": {"type": "stemmer", "language": "light_italian"},
    },
    "en": {
        "glossary_elision": {"type": "stemmer", "language": "possessive_english"},
        "glossary_stop": {"type": "stop", "stopwords": "_english_"},
        "glossary_stemmer": {"type": "stemmer", "language": "english"},
    },
}  # fmt: skip


def elasticsearch_settings(language: str) -> dict:
    """Index settings for one language: its text analyzer and a folding one."""
    filters = _ES_LANGUAGE_FILTERS[language]
    chain = ["glossary_elision", "lowercase", "glossary_stop", "glossary_stemmer", "asciifolding"]
    return {
        "settings": {
            "analysis": {
                "filter": filters,
                "analyzer": {
                    f"glossary_{language}": {"tokenizer": "standard", "filter": chain},
                    "glossary_folded": {
                        "tokenizer": "standard",
                        "filter": ["lowercase", "asciifolding"],
                    },
                },
            },
        }
    }
