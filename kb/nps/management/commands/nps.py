"""``manage.py nps FILE.csv``: the calculator for survey exports, on the command line.

Same reader and scorer as the page and the API (``kb.nps.read_sample``, ``analyse``); ``--json``
prints exactly the object that ``POST /api/v1/nps`` returns. Bad input ends with a clear message
and exit code 2. Messages are in the terminal's language (manage.py activates it), or ``--lang``.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kb import nps
from kb.nps.messages import error_message, message_for_code
from kb.nps.presentation import figures, verdict

EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    help = (
        "Compute the Net Promoter Score of a CSV survey export (optionally compared with another)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV file with one column of scores 0-10")
        parser.add_argument(
            "--column", help="column to read: its header name or its number (1 = first)"
        )
        parser.add_argument("--compare", metavar="OTHER.csv", help="a second file to compare with")
        parser.add_argument(
            "--confidence", default="0.95", help="confidence level: 0.90, 0.95 or 0.99 (or 90...)"
        )
        parser.add_argument(
            "--decimals",
            default="0",
            help="decimals of the score: 0, 1 or 2 (default: 0)",
        )
        parser.add_argument(
            "--json", action="store_true", help="print the result as JSON (as the API does)"
        )
        parser.add_argument(
            "--lang",
            choices=[code for code, _name in settings.LANGUAGES],
            help="language of the report and of error messages (default: the terminal's)",
        )

    def handle(self, *args, **options) -> None:
        # Without --lang, the language manage.py took from the terminal (LANG, LC_ALL...).
        with translation.override(options["lang"] or translation.get_language()):
            try:
                confidence = nps.parse_confidence(options["confidence"])
                decimals = nps.parse_decimals(options["decimals"])
                sample = self._read(options["file"], options["column"])
                other = None
                if options["compare"]:
                    other = self._read(options["compare"], options["column"])
                result = nps.analyse(sample, other, confidence, decimals=decimals)
            except nps.NpsError as error:
                raise CommandError(error_message(error), returncode=EXIT_BAD_INPUT) from None
            if options["json"]:
                self.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
            else:
                self._report(result)

    def _read(self, name: str, column: str | None) -> nps.CsvScores:
        path = Path(name)
        try:
            if path.is_dir():
                raise CommandError(
                    message_for_code("not_a_file", value=name), returncode=EXIT_BAD_INPUT
                )
            with path.open("rb") as handle:
                data = handle.read(nps.MAX_BYTES + 1)
        except FileNotFoundError:
            raise CommandError(
                message_for_code("file_missing", value=name), returncode=EXIT_BAD_INPUT
            ) from None
        except OSError:
            raise CommandError(
                message_for_code("unreadable_file", value=name), returncode=EXIT_BAD_INPUT
            ) from None
        try:
            return nps.read_sample({"csv": data, "column": column})
        except nps.NpsError as error:
            message = _("%(file)s: %(message)s") % {"file": name, "message": error_message(error)}
            raise CommandError(message, returncode=EXIT_BAD_INPUT) from None

    def _report(self, result: nps.Result) -> None:
        """The result as the page words it (kb.nps.presentation), one line at a time."""
        self._sample(figures(result, {}), _("NPS"))
        if result.comparison is not None and result.compared is not None:
            self._sample(figures(result.compared, {}), _("NPS of the second file"))
            self.stdout.write(verdict(result)["sentence"])

    def _sample(self, sample: dict, title: str) -> None:
        write = self.stdout.write
        write(
            ngettext(
                "%(title)s: %(score)s (n = %(n)s, %(skipped)s blank answer skipped)",
                "%(title)s: %(score)s (n = %(n)s, %(skipped)s blank answers skipped)",
                sample["skipped_value"],
            )
            % {
                "title": title,
                "score": sample["display"],
                "n": sample["n"],
                "skipped": sample["skipped"],
            }
        )
        for row in sample["rows"]:
            write(
                "  "
                + _("%(group)s (%(scores)s): %(count)s (%(share)s)")
                % {
                    "group": row["label"],
                    "scores": row["scores"],
                    "count": row["count"],
                    "share": row["percent"],
                }
            )
        interval = sample["interval"]
        write(
            "  "
            + _(
                "%(level)s confidence interval (adjusted Wald): "
                "%(lower)s to %(upper)s (±%(margin)s)"
            )
            % {
                "level": sample["confidence"],
                "lower": interval["lower"],
                "upper": interval["upper"],
                "margin": interval["margin"],
            }
        )
        if sample["small_sample"]:
            write("  " + _("Fewer than 30 responses: read the score with its interval."))
        for warning in sample["warnings"]:
            write("  " + warning)
