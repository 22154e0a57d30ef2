"""schema.org JSON-LD for term pages (DefinedTerm in the glossary's DefinedTermSet).

Only properties schema.org defines for each type (tests/test_structured_data.py holds the
lists): a DefinedTerm has no `inLanguage`, so the language is said by its DefinedTermSet (a
CreativeWork), the glossary in the page's language.
"""

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation

from glossary.models import Term


def defined_term(request: HttpRequest, term: Term, text_language: str) -> dict:
    """The DefinedTerm object describing `term` as shown in `text_language`."""
    with translation.override(translation.get_language()):
        index_url = request.build_absolute_uri(reverse("glossary:term-index"))
    data = {
        "@context": "https://schema.org",
        "@type": "DefinedTerm",
        "@id": request.build_absolute_uri(term.get_absolute_url()),
        "url": request.build_absolute_uri(term.get_absolute_url()),
        "name": term.text("name", text_language),
        "description": term.text("summary", text_language),
        "termCode": term.text("acronym", text_language) or term.key,
        "inDefinedTermSet": {
            "@type": "DefinedTermSet",
            "@id": index_url,
            "name": str(settings.SITE_NAME),
            "url": index_url,
            "inLanguage": translation.get_language(),
        },
    }
    # The term's other admitted names (never the deprecated or search-only ones).
    synonyms = term.label_texts(text_language, "admitted")
    if synonyms:
        data["alternateName"] = synonyms
    return data
