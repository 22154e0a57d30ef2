from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "kb.feedback"
    label = "feedback"
    verbose_name = _("Reader feedback")

    def ready(self) -> None:
        from kb.core import roles

        # Editors read the feedback and delete spam or a comment a reader wants erased; nobody
        # edits what a reader wrote.
        roles.register("feedback.feedback", ("view", "delete"))
