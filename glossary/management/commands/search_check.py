"""Compare each language's search index with the database; `--fix` repairs the differences.

Exit status 0 when every index agrees with the database (or was repaired), 1 otherwise.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from glossary.management.commands._languages import add_language_option, selected_languages
from glossary.search.engine import get_engine


class Command(BaseCommand):
    help = "Report documents missing from, stale in or orphaned in each search index."

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="Repair what is found.")
        add_language_option(parser)

    def handle(self, *args, fix=False, using=None, **options):
        engine = get_engine()
        problems = False
        for language in selected_languages(using):
            report = engine.check(language)
            self.stdout.write(
                _(
                    "%(language)s: %(missing)d missing, %(stale)d stale, %(orphaned)d orphaned, "
                    "%(pending)d pending"
                )
                % {
                    "language": language,
                    "missing": len(report.missing),
                    "stale": len(report.stale),
                    "orphaned": len(report.orphaned),
                    "pending": len(report.pending),
                }
            )
            if report.ok:
                continue
            if fix and engine.fix(report) and engine.check(language).ok:
                self.stdout.write(_("%(language)s: repaired") % {"language": language})
            else:
                problems = True
        if problems:
            raise CommandError(_("The search index does not match the database."))
