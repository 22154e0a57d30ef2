from django.apps import AppConfig


class KbConfig(AppConfig):
    name = "kb"
    # The site package: it has no models of its own and wires the apps together.

    def ready(self) -> None:
        # The glossary and the NPS calculator link to each other through the site (kb/sections.py).
        from glossary import sections
        from kb import sections as site_sections
        from kb.nps import links

        sections.register("kb-nps-calculator", site_sections.calculator_section)
        links.use_term_urls(site_sections.nps_term_urls)

        # Reader feedback points at terms and articles, which the feedback app cannot import.
        from kb import feedback_pages
        from kb.feedback import pages

        pages.register("term", feedback_pages.term_pages)
        pages.register("article", feedback_pages.article_pages)

        # Editors see the site's name in the admin, not "Django administration".
        from django.conf import settings
        from django.contrib import admin

        admin.site.site_header = admin.site.site_title = settings.SITE_NAME
