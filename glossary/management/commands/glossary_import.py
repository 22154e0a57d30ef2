from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from glossary.interchange import FORMATS, ImportFileError
from glossary.interchange.backup import import_document, read

EXTENSIONS = {".csv": "csv", ".json": "json", ".ttl": "skos", ".tbx": "tbx", ".xml": "tbx"}


class Command(BaseCommand):
    help = (
        "Import a content file (CSV, JSON, SKOS Turtle or TBX). Everything is checked before "
        "anything is written; the import is all or nothing. It creates and changes the entries "
        "in the file and never deletes, unless --replace is given with a JSON backup: the "
        "content then becomes exactly the backup's. --dry-run shows what would change."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")
        parser.add_argument("--format", choices=FORMATS, help="Default: from the file extension.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show the changes, write nothing."
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Restore a JSON backup over existing content: delete what the file leaves out.",
        )

    def handle(
        self, *args, file: str, format: str | None, dry_run: bool, replace: bool, **options
    ) -> None:
        path = Path(file)
        format = format or EXTENSIONS.get(path.suffix.lower())
        if format is None:
            raise CommandError(
                _("Cannot tell the format of %(file)s: give --format (%(formats)s).")
                % {"file": path.name, "formats": ", ".join(FORMATS)},
                returncode=2,
            )
        try:
            text = path.read_bytes().decode("utf-8")
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": error.strerror},
                returncode=2,
            ) from error
        except UnicodeDecodeError as error:
            raise CommandError(
                _("%(file)s is not UTF-8 text (byte %(byte)d).")
                % {"file": path.name, "byte": error.start},
                returncode=2,
            ) from error
        try:
            document = read(format, text)
            if replace and not document.complete:
                raise ImportFileError(
                    [_("--replace needs a complete backup (glossary_export --format json)")]
                )
            plan = import_document(document, dry_run=dry_run, replace=replace)
        except ImportFileError as error:
            lines = "\n".join(f"  {path.name}: {message}" for message in error.errors)
            raise CommandError(
                ngettext(
                    "Nothing was imported: %(count)d problem found.",
                    "Nothing was imported: %(count)d problems found.",
                    len(error.errors),
                )
                % {"count": len(error.errors)}
                + f"\n{lines}",
                returncode=2,
            ) from error
        for line in plan.describe():
            self.stdout.write(line)
        if dry_run:
            self.stdout.write(
                _("Dry run, nothing written. Would change: %(summary)s.")
                % {"summary": plan.summary()}
            )
        else:
            self.stdout.write(_("Imported: %(summary)s.") % {"summary": plan.summary()})
