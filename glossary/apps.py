from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GlossaryConfig(AppConfig):
    name = "glossary"
    verbose_name = _("Glossary")

    def ready(self) -> None:
        from kb.core import roles

        # Editors may delete draft terms only (TermAdmin) and relations, which have no state.
        roles.register("glossary.term", ("add", "change", "view", "delete"))
        roles.register("glossary.category", ("add", "change", "view"))
        roles.register("glossary.termrelation", ("add", "change", "view", "delete"))
        roles.register("glossary.termlabel", ("add", "change", "view", "delete"))
        roles.register("glossary.termsource", ("add", "change", "view", "delete"))
        # Connects the receivers that forget the auto-link patterns when a term changes.
        from glossary import autolink  # noqa: F401
