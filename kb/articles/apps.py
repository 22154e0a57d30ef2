from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "kb.articles"
    label = "articles"
    verbose_name = _("Knowledge base")

    def ready(self) -> None:
        from glossary import sections
        from glossary.interchange import parts
        from kb.articles.backup import PART
        from kb.articles.sections import related_articles_section
        from kb.core import generation, roles

        # Editors may delete draft articles only (ArticleAdmin).
        roles.register("articles.article", ("add", "change", "view", "delete"))
        # Sections are never deleted by editors (articles point to them: PROTECT).
        roles.register("articles.section", ("add", "change", "view"))
        generation.track("articles.article", "articles.section")  # cached pages show them
        # Term pages list the articles about them; the glossary itself never imports articles.
        sections.register("related-articles", related_articles_section)
        # The content backup (glossary_export --format json) carries the articles too.
        parts.register(PART)
