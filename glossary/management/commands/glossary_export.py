from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from glossary.interchange import FORMATS, parts
from glossary.interchange.backup import export_document, write


class Command(BaseCommand):
    help = (
        "Export the content as CSV, JSON, SKOS Turtle or TBX. JSON (the default) is a complete "
        "backup: categories, terms, relations, articles, every language and each translation's "
        "status; glossary_import restores it."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--format", choices=FORMATS, default="json")
        parser.add_argument("--output", help="File to write (default: standard output).")
        parser.add_argument("--published-only", action="store_true", help="Only what visitors see.")

    def handle(self, *args, format: str, output: str | None, published_only: bool, **options):
        document = export_document(published_only=published_only)
        text = write(format, document)
        if output:
            try:
                Path(output).write_text(text, encoding="utf-8")
            except OSError as error:
                raise CommandError(
                    _("Cannot write %(file)s: %(error)s")
                    % {"file": output, "error": error.strerror}
                ) from error
            counts = [
                (len(document.categories), _("categories")),
                (len(document.terms), _("terms")),
            ]
            if format == "json":  # the backup: other apps' content too
                counts += [(len(v), parts.get(k).label) for k, v in document.parts.items()]
            self.stderr.write(
                ", ".join(f"{count} {label}" for count, label in counts) + f" -> {output}"
            )
        else:
            self.stdout.write(text, ending="")
