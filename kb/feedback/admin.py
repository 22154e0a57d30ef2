"""Editors read feedback here: every answer (filters, search in comments), and the pages
readers found least helpful with their latest comments.

Nobody adds or edits feedback in the admin; editors may delete it (spam, a reader's request to
erase a comment). Comments are plain text: the admin escapes them like any field.
"""

from collections import defaultdict

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, FloatField, Q
from django.db.models.functions import Cast
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from kb.feedback import pages
from kb.feedback.models import Feedback

# The least-helpful list shows pages with at least this many answers unless the editor asks
# for another minimum (?min=); a page with two answers, both "No", says little.
DEFAULT_MIN_VOTES = 5
LEAST_HELPFUL_ROWS = 50
COMMENTS_PER_PAGE = 3


def attach_pages(feedback_list, language_of=lambda feedback: feedback.language) -> None:
    """Set `.page` (a pages.Page or None) on each item: one lookup per kind and language."""
    wanted = defaultdict(set)
    for item in feedback_list:
        wanted[item.kind, language_of(item)].add(item.object_id)
    found = {key: pages.find(key[0], ids, key[1]) for key, ids in wanted.items()}
    for item in feedback_list:
        item.page = found[item.kind, language_of(item)].get(item.object_id)


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["created_at", "page_link", "language", "helpful", "comment_excerpt"]
    list_display_links = ["created_at"]
    list_filter = ["kind", "language", "helpful", "created_at"]
    search_fields = ["comment"]
    date_hierarchy = "created_at"
    list_per_page = 50
    readonly_fields = ["kind", "object_id", "language", "helpful", "comment", "created_at",
                       "address_hash"]  # fmt: skip

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        # Evaluates the page's queryset once; the list then reuses these objects.
        attach_pages(changelist.result_list)
        return changelist

    @admin.display(description=_("page"), ordering="object_id")
    def page_link(self, feedback):
        page = getattr(feedback, "page", None)
        if page is None:
            return f"{feedback.get_kind_display()} #{feedback.object_id}"
        return format_html(
            '<a href="{}">{}</a> <span class="help">({})</span>',
            page.url,
            page.title,
            feedback.get_kind_display(),
        )

    @admin.display(description=_("comment"))
    def comment_excerpt(self, feedback) -> str:
        return Truncator(feedback.comment).chars(120)

    def get_urls(self):
        return [
            path(
                "least-helpful/",
                self.admin_site.admin_view(self.least_helpful_view),
                name="feedback_feedback_least_helpful",
            ),
            *super().get_urls(),
        ]

    def least_helpful_view(self, request):
        """Pages ordered by their share of "No", among those with at least ?min= answers."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            min_votes = max(1, min(int(request.GET.get("min", DEFAULT_MIN_VOTES)), 10**6))
        except ValueError:
            min_votes = DEFAULT_MIN_VOTES
        rows = list(
            Feedback.objects.values("kind", "object_id")
            .annotate(
                total=Count("id"),
                no=Count("id", filter=Q(helpful=False)),
                comments=Count("id", filter=~Q(comment="")),
            )
            .filter(total__gte=min_votes)
            .annotate(share=Cast(F("no"), FloatField()) / Cast(F("total"), FloatField()))
            .order_by("-share", "-total", "kind", "object_id")[:LEAST_HELPFUL_ROWS]
        )
        recent = defaultdict(list)
        if rows:
            which = Q()
            for row in rows:
                which |= Q(kind=row["kind"], object_id=row["object_id"])
            for feedback in (
                Feedback.objects.filter(which).exclude(comment="").order_by("-created_at")[:1000]
            ):
                comments = recent[feedback.kind, feedback.object_id]
                if len(comments) < COMMENTS_PER_PAGE:
                    comments.append(feedback)
        language = translation.get_language()
        by_kind = defaultdict(set)
        for row in rows:
            by_kind[row["kind"]].add(row["object_id"])
        found = {kind: pages.find(kind, ids, language) for kind, ids in by_kind.items()}
        changelist_url = reverse("admin:feedback_feedback_changelist")
        for row in rows:
            row["page"] = found[row["kind"]].get(row["object_id"])
            row["kind_label"] = Feedback.Kind(row["kind"]).label
            row["yes"] = row["total"] - row["no"]
            row["percent_no"] = round(100 * row["share"])
            row["recent"] = recent[row["kind"], row["object_id"]]
            row["feedback_url"] = (
                f"{changelist_url}?kind__exact={row['kind']}&object_id={row['object_id']}"
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Least helpful pages"),
            "rows": rows,
            "min_votes": min_votes,
        }
        return TemplateResponse(request, "admin/feedback/least_helpful.html", context)
