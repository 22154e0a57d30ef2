"""The engine behind the search interface: chosen by SEARCH_ENGINE, Whoosh by default."""

from pathlib import Path

from django.conf import settings as django_settings

from glossary.search.engine import get_engine
from glossary.search.whoosh import WhooshEngine


class AnotherEngine(WhooshEngine):
    """Stands for a second engine (the interface's other implementations to come)."""


def test_whoosh_is_the_default_with_one_index_directory_per_language():
    assert type(get_engine()) is WhooshEngine
    connections = django_settings.HAYSTACK_CONNECTIONS
    assert set(connections) == {"default", "fr", "it", "en"}
    for code in ("fr", "it", "en"):
        assert connections[code]["ENGINE"] == "glossary.search.backends.GlossaryWhooshEngine"
        assert Path(connections[code]["PATH"]) == Path(django_settings.SEARCH_INDEX_DIR) / code
        assert connections[code]["LANGUAGE"] == code


def test_the_engine_is_the_class_named_by_the_search_engine_setting(settings):
    settings.SEARCH_ENGINE = "tests.test_search_engines.AnotherEngine"
    assert type(get_engine()) is AnotherEngine
    assert get_engine() is get_engine()  # one per process
