"""Template helpers for translated glossary objects and structured data."""

import json

from django import template
from django.utils import translation
from django.utils.safestring import mark_safe

from kb.core.translated import first_filled

register = template.Library()

# JSON inside <script> must not be able to close the element or open a comment.
_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


@register.filter
def jsonld(data: dict) -> str:
    """Serialise `data` for a <script type="application/ld+json"> element."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES))  # noqa: S308


@register.simple_tag
def tr(obj, field: str) -> str:
    """A translated field in the active language, else in the fallback languages."""
    return first_filled(obj, field, translation.get_language())
