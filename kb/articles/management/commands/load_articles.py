from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kb.articles.content import ArticleContentError, load


class Command(BaseCommand):
    help = (
        "Load the knowledge-base sections and articles (kb/articles/content/). Creates what is "
        "missing and leaves editors' changes alone unless --update is given. Never deletes."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--update", action="store_true", help="Also overwrite existing articles' texts."
        )

    def handle(self, *args, update: bool = False, **options) -> None:
        try:
            report = load(update=update)
        except ArticleContentError as error:
            raise CommandError(
                _("The article files are invalid; nothing was loaded: %(error)s") % {"error": error}
            ) from error
        self.stdout.write(
            _("Sections: %(created)d created, %(updated)d updated.")
            % {"created": report.sections_created, "updated": report.sections_updated}
        )
        self.stdout.write(
            _(
                "Articles: %(created)d created, %(updated)d updated, "
                "%(unchanged)d left as they were."
            )
            % {
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
            }
        )
