"""URLs: public pages under /fr/, /it/, /en/ (i18n_patterns); admin, API, robots and the
health check outside."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.utils.translation import pgettext_lazy
from django.views.generic import RedirectView

from glossary.concepts import concept
from glossary.interchange.views import download as glossary_download
from glossary.sitemaps import CategorySitemap, TermSitemap
from kb import health, site_urls, views
from kb.api import api
from kb.articles.sitemaps import ArticleSitemap
from kb.sitemaps import StaticPagesSitemap

SITEMAPS = {
    "pages": StaticPagesSitemap,
    "categories": CategorySitemap,
    "terms": TermSitemap,
    "articles": ArticleSitemap,
}

urlpatterns = [
    # Editors download the glossary (CSV, JSON, SKOS, TBX) from the term list; before the
    # admin's own URLs, which would answer 404 for this path.
    path("admin/glossary-export/<str:format>/", glossary_download, name="glossary-export"),
    # Articles' admin pages moved with the articles app (kb -> articles): old bookmarks follow.
    re_path(
        r"^admin/kb/article/(?P<rest>.*)$",
        RedirectView.as_view(
            url="/admin/articles/article/%(rest)s", permanent=True, query_string=True
        ),
    ),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("healthz", health.healthz, name="healthz"),
    # The SKOS export's concept URIs (api/v1/export.skos.ttl): no language prefix, since a
    # concept has one URI; it answers 303 to the page in the reader's language.
    path("id/term/<slug:key>", concept, name="term-concept"),
]

# "/" redirects to /fr/, /it/ or /en/ following Accept-Language (LocaleMiddleware).
urlpatterns += i18n_patterns(
    path("", include((site_urls.urlpatterns, site_urls.app_name))),
    path("", include("kb.nps.urls")),
    path("", include("glossary.urls")),
    path(pgettext_lazy("URL", "kb/"), include("kb.articles.urls")),
    path(pgettext_lazy("URL", "feedback/"), include("kb.feedback.urls")),
    prefix_default_language=True,
)
