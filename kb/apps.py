from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KbConfig(AppConfig):
    name = "kb"
    verbose_name = _("Knowledge base")

    def ready(self) -> None:
        # Term pages list the articles about them; the glossary itself never imports kb.
        from glossary import sections
        from kb.article_views import related_articles_section

        sections.register("kb-articles", related_articles_section)
        # The NPS entry links to the calculator.
        from kb.nps_views import calculator_section

        sections.register("kb-nps-calculator", calculator_section)
