"""Reader feedback pages, under /<lang>/feedback/ (translated path).

The article and term pages carry a plain GET form (no token, nothing per visitor) that leads
here, so they stay cacheable by anyone; this page shows the real form, with its CSRF token,
and takes its POST. Answers: 303 to the thank-you page, 400 with the form's errors, 404 for a
page that is not published, 429 when an address sends too many.
"""

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from kb.feedback import pages, throttle
from kb.feedback.forms import FeedbackForm, PageForm
from kb.feedback.models import Feedback


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def give(request: HttpRequest) -> HttpResponse:
    """GET ?kind=&page=&helpful=yes|no: the form, the answer already chosen, nothing stored.
    POST: store the feedback and redirect (303) to the thank-you page."""
    if request.method == "POST" and not throttle.allow(request):
        response = render(request, "feedback/too_many.html", status=429)
        response["Retry-After"] = str(throttle.retry_after())
        return response
    data = request.POST if request.method == "POST" else request.GET
    page = find_page(data)
    if page is None:
        return render(request, "feedback/unknown_page.html", status=404)
    if request.method != "POST":
        helpful = data.get("helpful")
        initial = {
            "kind": data.get("kind"),
            "page": data.get("page"),
            "helpful": helpful if helpful in {"yes", "no"} else None,
        }
        return render(
            request, "feedback/give.html", {"form": FeedbackForm(initial=initial), "page": page}
        )
    form = FeedbackForm(data)
    if not form.is_valid():
        return render(request, "feedback/give.html", {"form": form, "page": page}, status=400)
    Feedback.objects.create(
        kind=form.cleaned_data["kind"],
        object_id=form.cleaned_data["page"],
        language=translation.get_language(),
        helpful=form.cleaned_data["helpful"],
        comment=form.cleaned_data["comment"],
        address_hash=throttle.address_hash(request),
    )
    query = urlencode({"kind": form.cleaned_data["kind"], "page": form.cleaned_data["page"]})
    response = HttpResponseRedirect(f"{reverse('feedback:thanks')}?{query}")
    response.status_code = 303  # See Other: the browser GETs the thank-you page
    return response


@require_safe
def thanks(request: HttpRequest) -> HttpResponse:
    """The thank-you page after a post, with a link back to the page when it is known."""
    return render(request, "feedback/thanks.html", {"page": find_page(request.GET)})


def find_page(data) -> pages.Page | None:
    """The published page `data` (a query or form) names by kind and id, in the request's
    language; None when the fields are malformed or name no published page."""
    form = PageForm(data)
    if not form.is_valid():
        return None
    return pages.page(
        form.cleaned_data["kind"], form.cleaned_data["page"], translation.get_language()
    )
