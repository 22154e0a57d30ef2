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
ELASTICSEARCH_ENGINE = "glossary.search.backends.GlossaryElasticsearchEngine"
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
