#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def terminal_language(environ: dict[str, str]) -> str:
    """The interface language of the terminal (fr, it or en), read as gettext reads it."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(variable, "")
        code = value.split(":")[0].split("_")[0].split(".")[0].lower()
        if code and code not in {"c", "posix"}:
            return code if code in {"fr", "it", "en"} else "en"
    return "en"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.utils import translation

    try:
        django.setup()
        # Commands answer in the terminal's language (LANG=fr_FR.UTF-8 gives French), not in
        # the site's default language: the person at the terminal reads the messages.
        translation.activate(terminal_language(dict(os.environ)))
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        # A configuration mistake is the operator's to fix: say what, not where in Django.
        sys.exit(f"Configuration error: {error}")


if __name__ == "__main__":
    main()
