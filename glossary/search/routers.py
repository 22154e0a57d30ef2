"""Haystack router: read from the active language's index, write to every language's."""

from django.utils import translation
from haystack import routers

from kb.core.languages import language_codes


class LanguageRouter(routers.BaseRouter):
    def for_read(self, **hints) -> str:
        language = translation.get_language() or ""
        return language if language in language_codes() else language_codes()[0]

    def for_write(self, **hints) -> list[str]:
        return language_codes()
