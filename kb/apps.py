from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KbConfig(AppConfig):
    name = "kb"
    verbose_name = _("Site")

    def ready(self) -> None:
        # The NPS entry links to the calculator: the site wires the two apps together.
        from glossary import sections
        from kb.nps_views import calculator_section

        sections.register("kb-nps-calculator", calculator_section)
