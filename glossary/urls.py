from django.urls import path
from django.utils.translation import pgettext_lazy

from glossary import views
from glossary.search import views as search_views

app_name = "glossary"

# Path segments are translated (/fr/termes/..., /it/termini/...); slugs are per language too.
urlpatterns = [
    path(pgettext_lazy("URL", "terms/"), views.term_index, name="term-index"),
    path(pgettext_lazy("URL", "terms/<slug:slug>/"), views.term_detail, name="term-detail"),
    path(pgettext_lazy("URL", "categories/"), views.category_list, name="category-list"),
    path(
        pgettext_lazy("URL", "categories/<slug:slug>/"),
        views.category_detail,
        name="category-detail",
    ),
    path(pgettext_lazy("URL", "search/"), search_views.search, name="search"),
]
