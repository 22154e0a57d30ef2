"""The calculator's result in words and figures, in the active language.

The numbers all come from ``kb.nps``; this module formats them for the result template
(``present``, ``render_result``), which the page, the embed and the JSON API's "render" option
share, and for the ``nps`` command's report (``figures``, ``verdict``).
"""

from __future__ import annotations

import math
from fractions import Fraction

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.formats import get_format
from django.utils.translation import gettext as _

from kb import nps
from kb.nps import chart as nps_chart
from kb.nps.forms import (
    DEFAULT_MARGIN,
)
from kb.nps.links import term_links
from kb.nps.messages import number, percent, warning_message

# --- Formatting: every number is rounded by kb.nps, only the decimal mark is local ----------


def _sep() -> str:
    return get_format("DECIMAL_SEPARATOR")


def signed(value: Fraction | float, decimals: int) -> str:
    # Pages print a true minus sign (U+2212), as the page's own text does ("−100 to +100"); the
    # API and the command keep kb.nps's ASCII hyphen-minus, which programs parse.
    return nps.format_score(value, decimals, _sep()).replace("-", "\N{MINUS SIGN}")


def unsigned(value: Fraction | float, decimals: int) -> str:
    return nps.format_score(value, decimals, _sep(), signed=False)


def confidence_label(level: float) -> str:
    return percent(unsigned(level * 100, 0))


def _interval(interval: nps.Interval, decimals: int) -> dict:
    return {
        "lower": signed(interval.lower, decimals),
        "upper": signed(interval.upper, decimals),
        "margin": unsigned(interval.margin, decimals),
        "se": unsigned(interval.se, decimals),
        "clipped": interval.clipped,
    }


def figures(result: nps.Result, urls: dict[str, str]) -> dict:
    """One sample's figures, formatted for the active language: the page's and the command's.

    Without ``urls`` the group labels are plain text (the terminal).
    """
    bound_decimals = max(result.decimals, 1)
    counts, shares = result.counts, result.percentages
    rows = [
        (name, getattr(counts, name), getattr(shares, name), scores)
        for name, scores in (("promoters", "9–10"), ("passives", "7–8"), ("detractors", "0–6"))
    ]
    links = term_links(urls)
    # In the active language's decimal mark; result.display is the JSON's, always ".".
    display = signed(result.nps, result.decimals)
    interval = _interval(result.interval, bound_decimals)
    chart_description = _(
        "Detractors %(detractors)s, passives %(passives)s, promoters %(promoters)s. "
        "NPS %(score)s on a scale from -100 to +100; %(confidence)s confidence interval "
        "from %(lower)s to %(upper)s."
    ) % {
        "detractors": percent(shares.detractors),
        "passives": percent(shares.passives),
        "promoters": percent(shares.promoters),
        "score": display,
        "confidence": confidence_label(result.confidence),
        "lower": interval["lower"],
        "upper": interval["upper"],
    }
    return {
        "display": display,
        "n": number(result.n),
        "n_value": result.n,
        "skipped": number(result.skipped),
        "skipped_value": result.skipped,
        "rows": [
            {
                "name": name,
                "label": links[name],
                "scores": scores,
                "count": number(count),
                "percent": percent(share),
            }
            for name, count, share, scores in rows
        ],
        "interval": interval,
        "wald": _interval(result.wald, bound_decimals),
        "small_sample": result.small_sample,
        "confidence": confidence_label(result.confidence),
        "warnings": [warning_message(warning) for warning in result.warnings],
        "chart_description": chart_description,
        "chart_data": nps_chart.ChartData(
            percentages=(shares.detractors, shares.passives, shares.promoters),
            labels=(
                percent(shares.detractors),
                percent(shares.passives),
                percent(shares.promoters),
            ),
            score=float(result.nps),
            score_label=display,
            lower=result.interval.lower,
            upper=result.interval.upper,
            ticks=tuple((value, signed(value, 0)) for value in (-100, -50, 0, 50, 100)),
            title=_("Net Promoter Score chart"),
            description=chart_description,
        ),
    }


def verdict(result: nps.Result) -> dict:
    comparison = result.comparison
    assert comparison is not None and result.compared is not None
    decimals = max(result.decimals, 1)
    difference = signed(comparison.nps_difference, result.decimals)
    level = confidence_label(comparison.confidence)
    p_value = (
        _("p < %(value)s") % {"value": unsigned(0.001, 3)}
        if comparison.p_value < 0.001
        else _("p = %(value)s") % {"value": unsigned(comparison.p_value, 3)}
    )
    values = {
        "a": signed(result.nps, result.decimals),
        "b": signed(result.compared.nps, result.decimals),
        "difference": difference,
        "level": level,
        "p": p_value,
    }
    if comparison.significant and comparison.difference > 0:
        sentence = _(
            "Sample A scores higher than sample B (%(a)s against %(b)s, a difference of "
            "%(difference)s points). The difference is statistically significant at the "
            "%(level)s level (%(p)s): it is unlikely to be due to chance."
        )
    elif comparison.significant:
        sentence = _(
            "Sample A scores lower than sample B (%(a)s against %(b)s, a difference of "
            "%(difference)s points). The difference is statistically significant at the "
            "%(level)s level (%(p)s): it is unlikely to be due to chance."
        )
    else:
        sentence = _(
            "The two samples score %(a)s and %(b)s (a difference of %(difference)s points). "
            "This difference is not statistically significant at the %(level)s level "
            "(%(p)s): it may well be due to chance."
        )
    return {
        "sentence": sentence % values,
        "significant": comparison.significant,
        "difference": difference,
        "lower": signed(comparison.lower, decimals),
        "upper": signed(comparison.upper, decimals),
        "se": unsigned(comparison.se, decimals),
        "z": unsigned(abs(comparison.z), 2)
        if comparison.z >= 0
        else "-" + unsigned(-comparison.z, 2),
        "p": p_value,
        "level": level,
    }


def _suggested_target(score: Fraction) -> int:
    """The next round score above the current one: a first goal when none was typed."""
    return min(100, (math.floor(score / 10) + 1) * 10)


def _planner(result: nps.Result, margin: Fraction | None) -> dict:
    margin = Fraction(DEFAULT_MARGIN) if margin is None else margin
    worst = nps.sample_size(margin, result.confidence)
    yours = nps.sample_size(margin, result.confidence, expected=result.counts)
    return {
        "margin": unsigned(margin, _places(margin)),
        "worst": number(worst),
        "yours": number(yours),
        "enough": result.n >= yours,
    }


def _places(value: Fraction) -> int:
    """The fewest decimals that write ``value`` exactly (it has at most two: kb.nps's rule)."""
    places = range(nps.POINTS_DECIMALS + 1)
    return next(count for count in places if nps.has_places(value, count))


def _promoters_needed(result: nps.Result, target: Fraction | None) -> dict:
    goal = Fraction(_suggested_target(result.nps)) if target is None else target
    needed = nps.promoters_needed(result.counts, goal)
    values = {
        "target": signed(needed.target, _places(needed.target)),
        "count": number(needed.additional or 0),
        "after": signed(needed.nps_after, result.decimals) if needed.nps_after is not None else "",
    }
    if not needed.reachable:
        sentence = _(
            "An NPS of %(target)s cannot be reached by adding promoters alone: every passive "
            "and detractor would have to change their answer."
        )
    elif needed.additional == 0:
        sentence = _("Your NPS already reaches %(target)s.")
    elif needed.additional == 1:
        sentence = _(
            "To reach %(target)s, you need 1 more promoter (with no new passives or "
            "detractors): the NPS would then be %(after)s."
        )
    else:
        sentence = _(
            "To reach %(target)s, you need %(count)s more promoters (with no new passives or "
            "detractors): the NPS would then be %(after)s."
        )
    return {"sentence": sentence % values}


def present(
    result: nps.Result,
    urls: dict[str, str],
    *,
    target: Fraction | None = None,
    margin: Fraction | None = None,
) -> dict:
    """Everything the result template shows, formatted in the active language.

    ``target`` and ``margin`` are the planner's, as ``nps.parse_target``/``parse_margin`` read
    them; None for the defaults (the next round score, a margin of 5 points).
    """
    sample = figures(result, urls)
    context = {
        "result": result,
        "a": sample,
        "chart": nps_chart.render(sample["chart_data"], "nps-chart-a"),
        "confidence": confidence_label(result.confidence),
        "planner": _planner(result, margin),
        "needed": _promoters_needed(result, target),
        "links": term_links(urls),
    }
    if result.compared is not None:
        context["b"] = figures(result.compared, urls)
        context["chart_b"] = nps_chart.render(context["b"]["chart_data"], "nps-chart-b")
        context["verdict"] = verdict(result)
    return context


def render_result(request: HttpRequest | None, context: dict) -> str:
    return render_to_string("nps/result.html", context, request=request)
