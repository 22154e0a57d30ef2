"""A reader's answer to "Was this page helpful?" about one page in one language."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

COMMENT_MAX_LENGTH = 1000


class Feedback(models.Model):
    class Kind(models.TextChoices):
        TERM = "term", pgettext_lazy("kind of page", "Term")
        ARTICLE = "article", pgettext_lazy("kind of page", "Article")

    kind = models.CharField(_("page kind"), max_length=16, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(_("page id"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    helpful = models.BooleanField(_("helpful"))
    # Plain text as the reader typed it (newlines kept); templates escape it, never mark it safe.
    comment = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    # A keyed hash of the sender's address (kb.feedback.throttle.address_hash): enough to see
    # that one source sent a flood, without keeping the address itself.
    address_hash = models.CharField(_("sender (hashed address)"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = pgettext_lazy("plural", "feedback")
        ordering = ["-created_at"]
        indexes = [
            # The admin's per-page counts and the least-helpful list group by page.
            models.Index(fields=["kind", "object_id"], name="feedback_page_idx"),
            # The admin's list, newest first, and its date filter.
            models.Index(fields=["-created_at"], name="feedback_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.object_id} ({self.language})"
