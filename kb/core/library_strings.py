"""Strings of installed libraries that ship no Italian catalog, so that `makemessages` puts them
in ours (locale/, which Django reads before any app's).

Without them, Django falls back to the default language's catalog for a missing one: the
Italian admin showed django-axes's models and fields in French ("Tentatives de connexion").
Nothing imports this module; `makemessages` only reads it. The French catalog carries them too,
with French typography (axes's own French has an ordinary space before its colons).
"""

from django.utils.translation import gettext_noop

DJANGO_AXES = [
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    gettext_noop("Account locked: too many login attempts. Please try again later."),
    gettext_noop(
        "Account locked: too many login attempts. Contact an admin to unlock your account."
    ),
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Access lock out"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("Logout Time"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
]
