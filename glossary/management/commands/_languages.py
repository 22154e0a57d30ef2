"""The --using option shared by the search commands (a module Django does not list as a command)."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from kb.core.languages import language_codes


def add_language_option(parser) -> None:
    parser.add_argument("--using", action="append", help="Language code (repeatable).")


def selected_languages(using: list[str] | None) -> list[str]:
    """The languages a command should work on: those given with --using, else all of them."""
    languages = using or language_codes()
    unknown = [code for code in languages if code not in language_codes()]
    if unknown:
        raise CommandError(
            _("Unknown language %(codes)s: use one of %(known)s.")
            % {"codes": ", ".join(unknown), "known": ", ".join(language_codes())}
        )
    return languages
