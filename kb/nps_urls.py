"""The NPS calculator's pages, under /<lang>/ with translated path segments.

kb/urls.py mounts these in the "kb" namespace next to kb.site_urls (kb:nps-calculator).
"""

from django.urls import path
from django.utils.translation import pgettext_lazy

from kb import nps_views

urlpatterns = [
    path(pgettext_lazy("URL", "tools/nps/"), nps_views.calculator, name="nps-calculator"),
    path(pgettext_lazy("URL", "tools/nps/embed/"), nps_views.embed, name="nps-embed"),
]
