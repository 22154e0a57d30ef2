from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from glossary.interchange import FORMATS, ImportFileError, get_format, import_records

EXTENSIONS = {".csv": "csv", ".json": "json", ".ttl": "skos", ".tbx": "tbx", ".xml": "tbx"}


class Command(BaseCommand):
    help = (
        "Import a glossary file (CSV, JSON, SKOS Turtle or TBX). Everything is checked before "
        "anything is written; the import is all or nothing and never deletes. --dry-run shows "
        "what would be created and changed."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")
        parser.add_argument("--format", choices=FORMATS, help="Default: from the file extension.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show the changes, write nothing."
        )

    def handle(self, *args, file: str, format: str | None, dry_run: bool, **options) -> None:
        path = Path(file)
        format = format or EXTENSIONS.get(path.suffix.lower())
        if format is None:
            raise CommandError(
                f"Cannot tell the format of {path.name}: give --format ({', '.join(FORMATS)}).",
                returncode=2,
            )
        try:
            text = path.read_bytes().decode("utf-8")
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}", returncode=2) from error
        except UnicodeDecodeError as error:
            raise CommandError(
                f"{path.name} is not UTF-8 text (byte {error.start}).", returncode=2
            ) from error
        try:
            categories, terms = get_format(format).load(text)
            plan = import_records(categories, terms, dry_run=dry_run)
        except ImportFileError as error:
            lines = "\n".join(f"  {path.name}: {message}" for message in error.errors)
            raise CommandError(
                f"Nothing was imported: {len(error.errors)} problem(s) found.\n{lines}",
                returncode=2,
            ) from error
        for line in plan.describe():
            self.stdout.write(line)
        prefix = "Dry run, nothing written. Would change" if dry_run else "Imported"
        self.stdout.write(f"{prefix}: {plan.summary()}.")
