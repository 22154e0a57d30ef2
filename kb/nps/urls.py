"""The NPS calculator's pages, under /<lang>/ with translated path segments (nps:calculator)."""

from django.urls import path
from django.utils.translation import pgettext_lazy

from kb.nps import views

app_name = "nps"

urlpatterns = [
    path(pgettext_lazy("URL", "tools/nps/"), views.calculator, name="calculator"),
    path(pgettext_lazy("URL", "tools/nps/embed/"), views.embed, name="embed"),
]
