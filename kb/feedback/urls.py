from django.urls import path
from django.utils.translation import pgettext_lazy

from kb.feedback import views

app_name = "feedback"

urlpatterns = [
    path("", views.give, name="give"),
    path(pgettext_lazy("URL", "thanks/"), views.thanks, name="thanks"),
]
