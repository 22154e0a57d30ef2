from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from glossary.interchange import FORMATS, export_records, get_format


class Command(BaseCommand):
    help = "Export the glossary (categories, terms, relations) as CSV, JSON, SKOS Turtle or TBX."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--format", choices=FORMATS, default="json")
        parser.add_argument("--output", help="File to write (default: standard output).")
        parser.add_argument("--published-only", action="store_true", help="Only what visitors see.")

    def handle(self, *args, format: str, output: str | None, published_only: bool, **options):
        categories, terms = export_records(published_only=published_only)
        text = get_format(format).dump(categories, terms)
        if output:
            try:
                Path(output).write_text(text, encoding="utf-8")
            except OSError as error:
                raise CommandError(f"Cannot write {output}: {error.strerror}") from error
            self.stderr.write(f"{len(terms)} terms and {len(categories)} categories -> {output}")
        else:
            self.stdout.write(text, ending="")
