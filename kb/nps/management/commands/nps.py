"""``manage.py nps FILE.csv``: the calculator for survey exports, on the command line.

Same scorer as the page and the API (``kb.nps``); ``--json`` prints exactly the object that
``POST /api/v1/nps`` returns. Bad input ends with a clear message and exit code 2.
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
from kb.nps.messages import error_message, message_for_code, number, percent, warning_message

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
            "--json", action="store_true", help="print the result as JSON (as the API does)"
        )
        parser.add_argument(
            "--lang",
            choices=[code for code, _name in settings.LANGUAGES],
            default="en",
            help="language of the report and of error messages (default: en)",
        )

    def handle(self, *args, **options) -> None:
        with translation.override(options["lang"]):
            try:
                confidence = nps.parse_confidence(options["confidence"])
                sample = self._read(options["file"], options["column"])
                other = None
                if options["compare"]:
                    other = self._read(options["compare"], options["column"])
                result = nps.analyse(sample, other, confidence)
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
            return nps.parse_csv(data, column)
        except nps.NpsError as error:
            message = _("%(file)s: %(message)s") % {"file": name, "message": error_message(error)}
            raise CommandError(message, returncode=EXIT_BAD_INPUT) from None

    def _report(self, result: nps.Result) -> None:
        write = self.stdout.write
        self._sample(result, _("NPS"))
        if result.comparison is not None and result.compared is not None:
            self._sample(result.compared, _("NPS of the second file"))
            comparison = result.comparison
            write(
                _(
                    "Difference: %(difference)s points (%(lower)s to %(upper)s), "
                    "p = %(p)s: %(verdict)s"
                )
                % {
                    "difference": nps.format_score(comparison.nps_difference, 1),
                    "lower": nps.format_score(comparison.lower, 1),
                    "upper": nps.format_score(comparison.upper, 1),
                    "p": nps.format_score(comparison.p_value, 3, signed=False),
                    "verdict": _("statistically significant")
                    if comparison.significant
                    else _("not statistically significant"),
                }
            )

    def _sample(self, result: nps.Result, title: str) -> None:
        write = self.stdout.write
        counts, shares, interval = result.counts, result.percentages, result.interval
        write(
            ngettext(
                "%(title)s: %(score)s (n = %(n)s, %(skipped)s blank answer skipped)",
                "%(title)s: %(score)s (n = %(n)s, %(skipped)s blank answers skipped)",
                result.skipped,
            )
            % {
                "title": title,
                "score": result.display,
                "n": number(result.n),
                "skipped": number(result.skipped),
            }
        )
        for label, count, share in (
            (_("Promoters (9–10)"), counts.promoters, shares.promoters),
            (_("Passives (7–8)"), counts.passives, shares.passives),
            (_("Detractors (0–6)"), counts.detractors, shares.detractors),
        ):
            write(f"  {label}: {number(count)} ({percent(share)})")
        write(
            "  "
            + _(
                "%(level)s confidence interval (adjusted Wald): "
                "%(lower)s to %(upper)s (±%(margin)s)"
            )
            % {
                "level": percent(nps.format_score(result.confidence * 100, 0, signed=False)),
                "lower": nps.format_score(interval.lower, 1),
                "upper": nps.format_score(interval.upper, 1),
                "margin": nps.format_score(interval.margin, 1, signed=False),
            }
        )
        if result.small_sample:
            write("  " + _("Fewer than 30 responses: read the score with its interval."))
        for warning in result.warnings:
            write("  " + warning_message(warning))
