"""The feedback form: which page, helpful or not, and an optional comment in plain text."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from kb.feedback.models import COMMENT_MAX_LENGTH, Feedback

# Control characters other than tab and newline (C0, DEL, C1): invisible, and NUL is refused by
# PostgreSQL. Carriage returns are turned into newlines before this check.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Ids beyond a 64-bit integer cannot exist and would overflow the database's integer.
MAX_ID = 2**63 - 1


class PlainTextField(forms.CharField):
    """Text with one kind of line break; control characters refused with one clear message."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Our own check below names every control character, NUL included.
        self.validators = [
            validator
            for validator in self.validators
            if not isinstance(validator, ProhibitNullCharactersValidator)
        ]

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")

    def validate(self, value):
        super().validate(value)
        if CONTROL_CHARACTERS.search(value):
            raise ValidationError(
                _("The comment contains invisible control characters: remove them and try again."),
                code="control_characters",
            )


class PageForm(forms.Form):
    """Which page: its kind and the object's id (hidden fields of the feedback form)."""

    kind = forms.ChoiceField(choices=Feedback.Kind.choices, widget=forms.HiddenInput)
    page = forms.IntegerField(min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)


class FeedbackForm(PageForm):
    helpful = forms.TypedChoiceField(
        label=_("Was this page helpful?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose Yes or No.")},
    )
    comment = PlainTextField(
        label=_("Comment (optional)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Formatted here, in the request's language (a lazy string formatted at import time
        # would be frozen in whatever language was active then).
        self.fields["comment"].help_text = _(
            "What was missing or unclear? At most %(limit)s characters; please leave out "
            "personal details."
        ) % {"limit": COMMENT_MAX_LENGTH}
