"""The site's languages and the order in which a page falls back when its text is missing."""

from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import get_language_info

# English is the most widely read second language of our readers, then the French source.
_FALLBACK_PREFERENCE = ("en", "fr", "it")


def language_codes() -> list[str]:
    """Codes of the site's languages, in the order of settings.LANGUAGES."""
    return [code for code, _name in settings.LANGUAGES]


def fallback_order(language: str) -> list[str]:
    """The other languages, in the order a reader of `language` would rather read them."""
    return [code for code in _FALLBACK_PREFERENCE if code != language and code in language_codes()]


def reading_order(language: str) -> list[str]:
    """`language` first, then its fallbacks: the one order every translated text follows."""
    return [language, *fallback_order(language)]


def native_name(code: str) -> str:
    """A language's name in that language, as a menu item starts: 'Italiano', not 'Italian'.

    Django's own table gives it in running-text case ('italiano'); a switcher capitalises it.
    """
    return capfirst(get_language_info(code)["name_local"])


def language_name(code: str) -> str:
    """A language's name in the active language ("anglais" on a French page)."""
    return str(dict(settings.LANGUAGES).get(code, code))
