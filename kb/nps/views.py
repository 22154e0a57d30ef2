"""The NPS calculator page and its embeddable twin.

Both work without JavaScript: counts, distributions and pasted lists travel in a GET query
string (a shareable URL), CSV files in a multipart POST. The numbers all come from ``kb.nps``;
this module only arranges them for the template (``present``), which the JSON API reuses when
the page's script asks it for the rendered result.
"""

from __future__ import annotations

import dataclasses
import math
from fractions import Fraction
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from kb import nps
from kb.core.seo import PageLanguages, page_languages, same_page_in
from kb.nps import chart as nps_chart
from kb.nps.forms import (
    CATEGORY_FIELDS,
    DATA_FIELDS,
    DEFAULT_MARGIN,
    MODE_LABELS,
    MODES,
    SCORES,
    NpsForm,
)
from kb.nps.links import term_links, term_urls
from kb.nps.messages import error_message, number, percent, warning_message

# --- Formatting: every number is rounded by kb.nps, only the decimal mark is local ----------


def _sep() -> str:
    return get_format("DECIMAL_SEPARATOR")


def signed(value: Fraction | float, decimals: int) -> str:
    return nps.format_score(value, decimals, _sep())


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


def _planner(result: nps.Result, margin_text: str | None) -> dict:
    margin_value: object = margin_text if margin_text is not None else DEFAULT_MARGIN
    try:
        margin = nps.parse_points(margin_value)
        checked = margin if margin is not None else str(margin_value)
        worst = nps.sample_size(checked, result.confidence)  # type: ignore[arg-type]
        yours = nps.sample_size(checked, result.confidence, expected=result.counts)  # type: ignore[arg-type]
    except nps.NpsError as error:
        return {"error": error_message(error), "margin": str(margin_value)}
    return {
        "margin": unsigned(margin, 0 if margin == int(margin) else 1),
        "worst": number(worst),
        "yours": number(yours),
        "enough": result.n >= yours,
    }


def _promoters_needed(result: nps.Result, target_text: str | None) -> dict:
    target: object = target_text if target_text is not None else _suggested_target(result.nps)
    goal = nps.parse_points(target)
    try:
        needed = nps.promoters_needed(result.counts, goal if goal is not None else target)
    except nps.NpsError as error:
        return {"error": error_message(error), "target": str(target)}
    values = {
        "target": signed(
            needed.target, result.decimals if needed.target != int(needed.target) else 0
        ),
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
    return {"sentence": sentence % values, "target": str(target)}


def present(
    result: nps.Result,
    urls: dict[str, str],
    *,
    target: str | None = None,
    margin: str | None = None,
) -> dict:
    """Everything the result template shows, formatted in the active language."""
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


# --- Views -------------------------------------------------------------------------------------


def _is_submission(request: HttpRequest) -> bool:
    return request.method == "POST" or bool(DATA_FIELDS & request.GET.keys())


def _calculator_context(request: HttpRequest, *, embed: bool) -> tuple[dict, int]:
    urls = term_urls()
    submitted = _is_submission(request)
    data = request.POST if request.method == "POST" else request.GET
    if submitted:
        data = data.copy()
        # Options left out of a shared URL take their defaults, as the form shows them.
        data.setdefault("confidence", "95")
        data.setdefault("decimals", "0")
        form = NpsForm(data, request.FILES)
    else:
        form = NpsForm(initial={"mode": request.GET.get("mode", "counts")})
    context: dict = {"form": form, "links": term_links(urls), "embed": embed}
    status = 200
    if submitted:
        if form.is_valid():
            context.update(
                present(
                    form.cleaned_data["result"],
                    urls,
                    target=form.cleaned_data.get("target_value"),
                    margin=form.cleaned_data.get("margin_value"),
                )
            )
        else:
            status = 400
    mode = form.current_mode
    view_name = "nps:embed" if embed else "nps:calculator"
    base = reverse(view_name)
    context.update(
        mode=mode,
        modes=[
            {"key": key, "label": MODE_LABELS[key], "url": f"{base}?{urlencode({'mode': key})}"}
            for key in MODES
        ],
        categories=CATEGORY_FIELDS,
        fields_a=_mode_fields(form, mode, ""),
        fields_b=_mode_fields(form, mode, "b_"),
        csv_a=form.csv_info.get("a"),
        csv_b=form.csv_info.get("b"),
        form_method="post" if mode == "csv" else "get",
        action=base,
        api_url=reverse("api:nps"),
        has_query=bool(request.GET),
    )
    return context, status


def _mode_fields(form: NpsForm, mode: str, prefix: str) -> list:
    if mode == "counts":
        names = [prefix + name for name in CATEGORY_FIELDS]
    elif mode == "distribution":
        names = [f"{prefix}n{score}" for score in SCORES]
    elif mode == "list":
        names = [prefix + "scores"]
    else:
        names = [prefix + "file"]
    return [form[name] for name in names]


def _with_query_switcher(request: HttpRequest) -> PageLanguages:
    """Language links: canonical without the query, the switcher keeps the calculation."""
    bare = page_languages(request, lambda code: _bare(request, code))
    if not request.GET:
        return bare
    with_query = page_languages(request, same_page_in(request))
    return dataclasses.replace(bare, switcher=with_query.switcher)


def _bare(request: HttpRequest, code: str) -> str:
    with translation.override(code):
        return reverse(request.resolver_match.view_name)


# Computing a score changes nothing on the server, so there is nothing for CSRF to protect;
# and the embed posts from inside other sites' pages, where our cookies are third-party.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def calculator(request: HttpRequest) -> HttpResponse:
    context, status = _calculator_context(request, embed=False)
    context["page_languages"] = _with_query_switcher(request)
    context["embed_url"] = request.build_absolute_uri(reverse("nps:embed"))
    return _render(request, "nps/calculator.html", context, status)


@csrf_exempt
@xframe_options_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def embed(request: HttpRequest) -> HttpResponse:
    context, status = _calculator_context(request, embed=True)
    context["page_languages"] = _with_query_switcher(request)
    response = _render(request, "nps/embed.html", context, status)
    response["Content-Security-Policy"] = f"frame-ancestors {settings.NPS_EMBED_FRAME_ANCESTORS}"
    return response


def _render(request: HttpRequest, template: str, context: dict, status: int) -> HttpResponse:
    return HttpResponse(render_to_string(template, context, request=request), status=status)
