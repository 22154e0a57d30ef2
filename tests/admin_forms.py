"""Helpers for admin tests: sign in by role, and re-post an admin change form as a browser would."""

from django.test import Client


def client_for(user) -> Client:
    """A test client signed in as `user`, whose admin speaks English."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _put(data: dict, bound) -> None:
    value = bound.value()
    if value is None:
        return
    if isinstance(value, bool):
        if value:
            data[bound.html_name] = "on"
        return
    data[bound.html_name] = value


def form_data(response) -> dict:
    """The POST data a browser would send back for an admin change form, unchanged."""
    data = {"_save": "Save"}
    for bound in response.context["adminform"].form:
        _put(data, bound)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        for bound in formset.management_form:
            _put(data, bound)
        for form in formset.forms:
            for bound in form:
                _put(data, bound)
    return data
