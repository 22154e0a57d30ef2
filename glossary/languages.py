"""The site's languages and the order in which a page falls back when its text is missing."""

from django.conf import settings

# English is the most widely read second language of our readers, then the French source.
_FALLBACK_PREFERENCE = ("en", "fr", "it")


def language_codes() -> list[str]:
    """Codes of the site's languages, in the order of settings.LANGUAGES."""
    return [code for code, _name in settings.LANGUAGES]


def fallback_order(language: str) -> list[str]:
    """The other languages, in the order a reader of `language` would rather read them."""
    return [code for code in _FALLBACK_PREFERENCE if code != language and code in language_codes()]


def native_name(code: str) -> str:
    """A language's name in that language (for switchers: 'Italiano', not 'Italian')."""
    return {"fr": "Français", "it": "Italiano", "en": "English"}.get(code, code)


def language_name(code: str) -> str:
    """A language's name in the active language ("anglais" on a French page)."""
    return str(dict(settings.LANGUAGES).get(code, code))
