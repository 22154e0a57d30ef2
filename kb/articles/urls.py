from django.urls import path
from django.utils.translation import pgettext_lazy

from kb.articles import views

app_name = "articles"

# Included under a translated segment (kb/urls.py); slugs are per language too.
urlpatterns = [
    path("", views.article_list, name="article-list"),
    path("<slug:slug>/", views.article_detail, name="article-detail"),
    # Two segments, so a section's slug never collides with an article's.
    path(
        pgettext_lazy("URL", "sections/<slug:slug>/"),
        views.section_detail,
        name="section-detail",
    ),
]
