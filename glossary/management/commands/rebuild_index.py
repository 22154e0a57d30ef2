"""Rebuild the search indexes from the database: each language in one writer, one segment.

Replaces haystack's rebuild_index (clear + update_index in batches, one segment per batch:
slower searches). `--using fr` rebuilds one language; `--noinput` is accepted for
compatibility with haystack's command (there is nothing to confirm: the index is replaced
atomically when the new one is complete, and searches keep working meanwhile).
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from glossary.management.commands._languages import add_language_option, selected_languages
from glossary.search.engine import get_engine


class Command(BaseCommand):
    help = "Rebuild the search index of each language from the database (one segment each)."

    def add_arguments(self, parser):
        add_language_option(parser)
        parser.add_argument("--noinput", "--no-input", action="store_true")

    def handle(self, *args, using=None, **options):
        engine = get_engine()
        for language in selected_languages(using):
            started = time.perf_counter()
            try:
                count = engine.rebuild(language)
            except Exception as error:
                raise CommandError(
                    _("Could not rebuild the %(language)s index: %(error)s")
                    % {"language": language, "error": error}
                ) from error
            self.stdout.write(
                _("%(language)s: %(count)d documents indexed in %(seconds).1f s")
                % {"language": language, "count": count, "seconds": time.perf_counter() - started}
            )
