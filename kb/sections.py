"""Links between the glossary and the NPS calculator, which know nothing of each other.

Data flows one way (kb.core <- glossary <- kb.articles; kb.nps uses kb.core only), so the
site package connects them in KbConfig.ready(): the NPS term page gets a link to the
calculator, and the calculator's words link to their glossary entries.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from glossary.models import Term
from glossary.sections import Section, SectionLink

# The glossary entries the calculator's words link to, by their language-independent key.
NPS_TERM_KEYS = {
    "nps": "net-promoter-score",
    "promoters": "promoter",
    "passives": "passive",
    "detractors": "detractor",
}


def nps_term_urls() -> dict[str, str]:
    """URL of each glossary entry the calculator links to; missing or draft entries are left out.

    One query, whatever the number of links.
    """
    names = {key: name for name, key in NPS_TERM_KEYS.items()}
    terms = Term.objects.published().filter(key__in=names)
    return {names[term.key]: term.get_absolute_url() for term in terms}


def calculator_section(request: HttpRequest, term: Term, language: str) -> Section | None:
    """The NPS term page's link to the calculator (a glossary.sections provider, no query)."""
    if term.key != NPS_TERM_KEYS["nps"]:
        return None
    with translation.override(language):
        return Section(
            key="nps-calculator",
            title=_("NPS calculator"),
            prominent=True,
            links=[
                SectionLink(
                    title=_("Compute your Net Promoter Score"),
                    url=reverse("nps:calculator"),
                    summary=_(
                        "from counts, scores or a CSV export, with its margin of error and a "
                        "comparison of two periods"
                    ),
                )
            ],
        )
