"""The NPS calculator page and its embeddable twin.

Both work without JavaScript: counts, distributions and pasted lists travel in a GET query
string (a shareable URL), CSV files in a multipart POST. The numbers all come from ``kb.nps``;
``kb.nps.presentation`` words them; this module reads the request and picks the template.
"""

from __future__ import annotations

import dataclasses
from urllib.parse import urlencode

from csp.decorators import csp_replace
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from kb.core.seo import PageLanguages, page_languages, same_page_in
from kb.nps.forms import (
    CATEGORY_FIELDS,
    DATA_FIELDS,
    MODE_LABELS,
    MODES,
    SCORES,
    NpsForm,
)
from kb.nps.links import term_links, term_urls
from kb.nps.presentation import present
from kb.nps.uploads import Posted, read_post

# --- Views -------------------------------------------------------------------------------------


def _is_submission(request: HttpRequest) -> bool:
    return request.method == "POST" or bool(DATA_FIELDS & request.GET.keys())


def _calculator_context(request: HttpRequest, *, embed: bool) -> tuple[dict, int]:
    urls = term_urls()
    submitted = _is_submission(request)
    # A POST's files are capped while they are read (kb.nps.uploads), never written to disk.
    posted = read_post(request) if request.method == "POST" else Posted(request.GET, request.FILES)
    if submitted:
        data = posted.data.copy()
        # Options left out of a shared URL take their defaults, as the form shows them.
        data.setdefault("confidence", "95")
        data.setdefault("decimals", "0")
        form = NpsForm(data, posted.files, too_large=posted.too_large)
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
            status = 413 if form.upload_refused else 400
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
@csp_replace({"frame-ancestors": settings.NPS_EMBED_FRAME_ANCESTORS.split()})
@require_http_methods(["GET", "HEAD", "POST"])
def embed(request: HttpRequest) -> HttpResponse:
    context, status = _calculator_context(request, embed=True)
    context["page_languages"] = _with_query_switcher(request)
    return _render(request, "nps/embed.html", context, status)


def _render(request: HttpRequest, template: str, context: dict, status: int) -> HttpResponse:
    return HttpResponse(render_to_string(template, context, request=request), status=status)
