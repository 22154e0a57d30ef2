from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from glossary.content import ContentError, load


class Command(BaseCommand):
    help = (
        "Load the glossary's written content (glossary/content/*.json). Creates what is "
        "missing and leaves editors' changes alone unless --update is given."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--update",
            action="store_true",
            help="Also overwrite existing terms' texts and add missing relations.",
        )

    def handle(self, *args, update: bool = False, **options) -> None:
        try:
            report = load(update=update)
        except ContentError as error:
            raise CommandError(
                _("The content files are invalid; nothing was loaded: %(error)s") % {"error": error}
            ) from error
        self.stdout.write(
            _(
                "Glossary content: %(categories)d categories and %(terms)d terms created, "
                "%(updated)d updated, %(unchanged)d left as they were; %(relations)d "
                "relations created, %(retyped)d given their new type."
            )
            % {
                "categories": report.categories_created,
                "terms": report.terms_created,
                "updated": report.terms_updated,
                "unchanged": report.terms_unchanged,
                "relations": report.relations_created,
                "retyped": report.relations_retyped,
            }
        )
