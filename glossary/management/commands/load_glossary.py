from django.core.management.base import BaseCommand, CommandError

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
            raise CommandError(f"Content files are invalid, nothing was loaded: {error}") from error
        self.stdout.write(
            f"Glossary content: {report.categories_created} categories and "
            f"{report.terms_created} terms created, {report.terms_updated} updated, "
            f"{report.terms_unchanged} left as they were; "
            f"{report.relations_created} relations created."
        )
