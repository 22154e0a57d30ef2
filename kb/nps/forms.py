"""The calculator's form: reads what the visitor typed or uploaded and hands it to ``kb.nps``.

Nothing here computes or reads a score. The boxes of a sample go to ``kb.nps.read_sample``, the
same reader as the API's and the command's; the options to ``parse_confidence``,
``parse_decimals``, ``parse_target`` and ``parse_margin``. Every ``NpsError`` becomes a
translated message (``kb.nps.messages``) attached to the box it is about.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction

from django import forms
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kb import nps
from kb.nps.messages import error_message, number, percent

MODES = ("counts", "distribution", "list", "csv")
MODE_LABELS = {
    "counts": pgettext_lazy("NPS input mode", "Three counts"),
    "distribution": pgettext_lazy("NPS input mode", "Scores 0 to 10"),
    "list": pgettext_lazy("NPS input mode", "Paste a list"),
    "csv": pgettext_lazy("NPS input mode", "Upload a CSV file"),
}
# One rule for the places of a displayed score, here as in the API and the command.
DECIMAL_CHOICES = [(str(places), str(places)) for places in nps.DECIMALS]
CATEGORY_FIELDS = ("promoters", "passives", "detractors")
SCORES = range(11)
DEFAULT_MARGIN = 5
# An uploaded file this small travels back in the page (base64), so that picking another
# column does not require choosing the file again.
CARRY_MAX_BYTES = 512 * 1024
_SAMPLE_FIELDS = (*CATEGORY_FIELDS, *(f"n{score}" for score in SCORES), "scores", "csv_data")
# The fields whose presence in a query string means "compute", as opposed to a bare visit.
DATA_FIELDS = frozenset(
    [
        *CATEGORY_FIELDS,
        *(f"n{score}" for score in SCORES),
        "scores",
        "csv_data",
        "confidence",
        "decimals",
    ]
)


def _sample_fields(prefix: str) -> dict[str, forms.Field]:
    """The inputs of one sample (the second one's names start with "b_")."""
    fields: dict[str, forms.Field] = {
        "promoters": _count_input(_("Promoters (9–10)")),
        "passives": _count_input(_("Passives (7–8)")),
        "detractors": _count_input(_("Detractors (0–6)")),
        "scores": forms.CharField(
            label=_("Scores, separated by spaces, commas or new lines"),
            required=False,
            strip=False,
            widget=forms.Textarea(attrs={"rows": 5, "cols": 40, "spellcheck": "false"}),
        ),
        "file": forms.FileField(label=_("CSV file"), required=False),
        "csv_data": forms.CharField(required=False, widget=forms.HiddenInput),
        "column": forms.CharField(label=_("Column to read"), required=False),
    }
    for score in SCORES:
        fields[f"n{score}"] = _count_input(_("Score %(score)s") % {"score": score})
    return {prefix + name: field for name, field in fields.items()}


def _count_input(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        strip=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 8}),
    )


@dataclass
class CsvInfo:
    """What the page shows about an uploaded file: preview, column picker, carried data.

    The picker lists at most ``nps.LISTED_COLUMNS`` columns and the preview at most
    ``nps.PREVIEW_COLUMNS``: ``column_count`` says how many the file has, so the page can say
    what it left out (and offer a text box for any column's name or number).
    """

    columns: list[tuple[str, str]] = field(default_factory=list)  # (value, label)
    column_count: int = 0
    chosen: str = ""
    header: bool = False
    preview: list[list[str]] = field(default_factory=list)
    header_names: list[str] = field(default_factory=list)
    carried: str = ""  # base64 of the file, when small enough to travel back
    file_name: str = ""

    @property
    def picker_truncated(self) -> bool:
        return self.column_count > len(self.columns)

    @property
    def preview_truncated(self) -> bool:
        return self.column_count > nps.PREVIEW_COLUMNS and bool(self.preview)

    @property
    def preview_columns(self) -> int:
        return min(self.column_count, nps.PREVIEW_COLUMNS)

    @property
    def column_count_display(self) -> str:
        return number(self.column_count)


class NpsForm(forms.Form):
    """One or two samples, plus the options; ``cleaned_data["result"]`` is a ``nps.Result``."""

    mode = forms.ChoiceField(choices=[(m, MODE_LABELS[m]) for m in MODES], required=False)
    compare = forms.BooleanField(label=_("Compare with a second sample"), required=False)
    confidence = forms.CharField(
        label=_("Confidence level"),
        required=False,
        widget=forms.Select(),
    )
    decimals = forms.CharField(
        label=_("Decimals"), required=False, widget=forms.Select(choices=DECIMAL_CHOICES)
    )
    target = forms.CharField(
        label=_("Target NPS"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
    )
    margin = forms.CharField(
        label=_("Margin of error (points)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
    )

    def __init__(self, *args, too_large: frozenset[str] = frozenset(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # File boxes whose upload passed kb.nps.MAX_BYTES and was dropped while it was read.
        self.too_large = too_large
        self.fields["confidence"].widget.choices = [
            (level, percent(level)) for level in ("90", "95", "99")
        ]
        self.fields["confidence"].initial = "95"
        for prefix in ("", "b_"):
            self.fields.update(_sample_fields(prefix))
        # Problems with a whole sample (e.g. no responses), shown at the top of its fieldset.
        self.sample_errors: dict[str, list[str]] = {"a": [], "b": []}
        self.csv_info: dict[str, CsvInfo] = {}

    # --- Reading ------------------------------------------------------------------------------

    @property
    def current_mode(self) -> str:
        source = self.data if self.is_bound else self.initial
        mode = source.get("mode") or "counts"
        return mode if mode in MODES else "counts"

    @property
    def comparing(self) -> bool:
        """Compare when asked to, or when the second sample was filled in anyway."""
        source = self.data if self.is_bound else self.initial
        if str(source.get("compare", "")).lower() in {"1", "on", "true", "yes"}:
            return True
        return self.is_bound and (
            any(str(source.get(f"b_{name}", "")).strip() for name in _SAMPLE_FIELDS)
            or bool(self.files.get("b_file"))
            or "b_file" in self.too_large
        )

    @property
    def upload_refused(self) -> bool:
        """A file was refused for its size: the page answers 413 rather than 400."""
        return bool(self.too_large) and not self.is_valid()

    def clean(self) -> dict:
        data = super().clean()
        mode = self.current_mode
        sample = self._read_sample("", mode, "a")
        other = self._read_sample("b_", mode, "b") if self.comparing else None
        try:
            confidence = nps.parse_confidence(data.get("confidence") or "95")
        except nps.NpsError as error:
            self.add_error("confidence", error_message(error))
            confidence = None
        try:
            decimals = nps.parse_decimals(data.get("decimals") or "0")
        except nps.NpsError as error:
            self.add_error("decimals", error_message(error))
            decimals = None
        target = self._read_option("target", nps.parse_target)
        margin = self._read_option("margin", nps.parse_margin)
        if self.errors or sample is None or confidence is None or decimals is None:
            return data
        if self.comparing and other is None:
            return data
        try:
            result = nps.analyse(
                sample,
                other,
                confidence,
                decimals=decimals,
                decimal_sep=get_format("DECIMAL_SEPARATOR"),
            )
        except nps.NpsError as error:
            group = "b" if error.field == "compare" else "a"
            self.sample_errors[group].append(error_message(error))
            self.add_error(None, error_message(error))
            return data
        data.update(result=result, target_value=target, margin_value=margin)
        return data

    def _read_option(self, name: str, parse: Callable[[object], Fraction]) -> Fraction | None:
        """A planner box read by kb.nps (``parse_target``, ``parse_margin``); None when empty."""
        raw = self.cleaned_data.get(name) or ""
        if not raw.strip():
            return None
        try:
            return parse(raw)
        except nps.NpsError as error:
            self.add_error(name, error_message(error))
            return None

    def _read_sample(
        self, prefix: str, mode: str, group: str
    ) -> nps.Counts | nps.ParsedScores | None:
        """The sample of one fieldset, or None after attaching its errors to its fields.

        The boxes are gathered as kb.nps.read_sample expects them, which reads them exactly as
        it reads the API's body and the command's files.
        """
        raw = self.data
        if mode == "counts":
            data: dict[str, object] = {name: raw.get(prefix + name, "") for name in CATEGORY_FIELDS}
        elif mode == "distribution":
            data = {"distribution": [raw.get(f"{prefix}n{score}", "") for score in SCORES]}
        elif mode == "list":
            data = {"scores": raw.get(prefix + "scores", "")}
        else:
            upload = self._csv_upload(prefix, group)
            if upload is None:
                return None
            data = {"csv": upload, "column": self.csv_info[group].chosen}
        try:
            sample = nps.read_sample(data, blank_is_zero=True)
        except nps.NpsError as error:
            for each in error.errors:
                self._attach(each, prefix, group)
            return None
        if isinstance(sample, nps.CsvScores):
            self._describe_csv(sample, group)
        return sample

    def _attach(self, error: nps.NpsError, prefix: str, group: str) -> None:
        """Show ``error`` next to the box it is about, else at the top of the sample."""
        if error.field == "distribution" and error.position is not None:
            name = f"{prefix}n{error.position}"
        elif error.field in CATEGORY_FIELDS or error.field == "scores":
            name = prefix + error.field
        elif error.field in {"csv", "column"}:
            info = self.csv_info[group]
            labels = error.params.get("columns", [])
            info.columns = [(str(label), str(label)) for label in labels]
            info.column_count = error.params.get("column_count", len(labels))
            csv_column = error.code in {"unknown_column", "no_score_column"}
            name = prefix + ("column" if csv_column else "file")
        else:
            # A problem with the sample as a whole (e.g. a distribution of the wrong length).
            self.sample_errors[group].append(error_message(error))
            self.add_error(None, error_message(error))
            return
        self.add_error(name, error_message(error))

    def _csv_upload(self, prefix: str, group: str) -> bytes | None:
        """The uploaded file's bytes, or the ones carried back by the page; None if neither."""
        upload = self.files.get(prefix + "file")
        info = CsvInfo(chosen=(self.data.get(prefix + "column") or "").strip())
        self.csv_info[group] = info
        if prefix + "file" in self.too_large:
            too_large = nps.NpsError("file_too_large", "", params={"limit": nps.MAX_BYTES})
            self.add_error(prefix + "file", error_message(too_large))
            return None
        if upload is not None:
            data = upload.read(nps.MAX_BYTES + 1)
            info.file_name = upload.name or ""
        else:
            carried = self.data.get(prefix + "csv_data") or ""
            try:
                data = base64.b64decode(carried, validate=True) if carried else b""
            except (binascii.Error, ValueError):
                data = b""
            info.file_name = (self.data.get(prefix + "file_name") or "")[:200]
        if not data:
            self.add_error(prefix + "file", error_message(nps.NpsError("file_required", "")))
            return None
        if len(data) <= CARRY_MAX_BYTES:
            info.carried = base64.b64encode(data).decode("ascii")
        return data

    def _describe_csv(self, parsed: nps.CsvScores, group: str) -> None:
        info = self.csv_info[group]
        listed = parsed.columns[: nps.LISTED_COLUMNS]
        info.columns = [(str(column.label), str(column.label)) for column in listed]
        info.column_count = len(parsed.columns)
        info.chosen = str(parsed.column.label) if parsed.column else ""
        info.header = parsed.header
        shown = parsed.columns[: nps.PREVIEW_COLUMNS]
        info.header_names = [column.name for column in shown] if parsed.header else []
        info.preview = [list(row) for row in parsed.preview]
