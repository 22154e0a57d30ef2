"""Project-wide guards: migrations, translations, every public page, hostile URLs, settings."""

import gettext
import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import translation

ROOT = Path(settings.BASE_DIR)
LOCALES = ["fr", "it"]


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)


@pytest.mark.parametrize("language", LOCALES)
def test_every_interface_string_is_translated(language):
    po = polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))
    missing = [entry.msgid for entry in po if not entry.obsolete and not entry.translated()]
    fuzzy = [entry.msgid for entry in po if "fuzzy" in entry.flags and not entry.obsolete]
    assert missing == [] and fuzzy == []


@pytest.mark.parametrize("language", LOCALES)
def test_compiled_catalog_matches_its_po_file(language):
    directory = ROOT / "locale" / language / "LC_MESSAGES"
    po = polib.pofile(str(directory / "django.po"))
    with open(directory / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in po:
        if entry.obsolete or entry.msgid_plural or not entry.msgstr or "fuzzy" in entry.flags:
            continue
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        assert compiled._catalog.get(key) == entry.msgstr, f"run `make messages`: {entry.msgid!r}"


# French typography: a no-break space (U+00A0, or the narrow U+202F) before : ; ! ? » and a
# percent sign, and after «; an ordinary space there lets the line break before the mark.
FRENCH_LOOSE_SPACE = re.compile(r" [:;!?»]| %(?![(a-zA-Z%])|« ")


@pytest.mark.parametrize("catalog", ["django", "djangojs"])
def test_french_interface_strings_keep_their_marks_with_their_words(catalog):
    po = polib.pofile(str(ROOT / "locale" / "fr" / "LC_MESSAGES" / f"{catalog}.po"))
    loose = [
        text
        for entry in po
        for text in (entry.msgstr, *entry.msgstr_plural.values())
        if FRENCH_LOOSE_SPACE.search(text)
    ]
    assert loose == []


@pytest.mark.parametrize("language", LOCALES)
def test_placeholders_survive_translation(language):
    po = polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))
    placeholder = re.compile(r"%\(\w+\)[sd]|\{\w*\}|<[a-z:]+>")
    for entry in po:
        if entry.obsolete or not entry.msgstr:
            continue
        assert sorted(placeholder.findall(entry.msgid)) == sorted(
            placeholder.findall(entry.msgstr)
        ), entry.msgid


@pytest.mark.parametrize(("language", "expected"), [("fr", "Rechercher"), ("it", "Cerca")])
def test_a_known_string_is_translated_at_runtime(language, expected):
    with translation.override(language):
        assert translation.gettext("Search") == expected


def public_urls() -> list[str]:
    from glossary.models import Category, Term

    urls = []
    for language in ("fr", "it", "en"):
        with translation.override(language):
            from django.urls import reverse

            urls += [reverse("kb:home"), reverse("glossary:term-index")]
            urls += [reverse("glossary:category-list")]
            urls += [category.get_absolute_url() for category in Category.objects.all()]
            urls += [term.get_absolute_url() for term in Term.objects.published()]
    return urls


def test_every_public_page_answers_in_every_language_with_one_h1(client, glossary_content):
    urls = public_urls()
    assert len(urls) > 100
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert len(re.findall(r"<h1[\s>]", html)) == 1, url
        assert re.search(r"<title>[^<]+</title>", html), url
        assert '<meta name="description" content="' in html, url
        assert '<link rel="canonical"' in html and 'hreflang="x-default"' in html, url
        assert f'<html lang="{url[1:3]}">' in html, url


HOSTILE_PATHS = [
    "/fr/termes/%00/", "/fr/termes/..%2F..%2Fetc%2Fpasswd/", "/fr/termes/" + "a" * 5000 + "/",
    "/it/termini/%E2%80%AE/", "/fr/termes/<script>/", "/en/terms/%ff%fe/", "/xx/", "/fr/%",
    "/fr/categories/%F0%9F%92%A9/", "/en/terms/net-promoter-score/?q=%00&page=-1",
    "/fr/?lang=<script>", "/sitemap.xml?p=abc", "/sitemap.xml?p=99999", "/robots.txt?x=%00",
    "/api/v1/terms/%00/", "/api/v1/terms/?lang=%ff", "/static/../settings.py", "//evil.example/",
    "/fr/termes/net-promoter-score", "/fr/termes/NET-PROMOTER-SCORE/",
]  # fmt: skip


@pytest.mark.parametrize("path", HOSTILE_PATHS)
def test_no_hostile_path_or_query_string_causes_a_server_error(glossary_content, path):
    client = Client(raise_request_exception=False)
    response = client.get(path)
    assert response.status_code < 500, path


def run_manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key not in {"LANGUAGE", "LC_ALL", "LC_MESSAGES"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_site_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = run_manage("check", env={"DJANGO_DEBUG": "0"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_malformed_boolean_setting_is_a_clear_error():
    result = run_manage("check", env={"DJANGO_DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be a boolean" in result.stderr


def test_site_starts_with_a_secret_key_and_debug_off():
    env = {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "k3y-" + "0123456789abcdef" * 4}
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        # On PostgreSQL the deploy checks ask for the settings of a site on more than one
        # app server (tests/test_deploy_check.py): the README's recipe sets both.
        env |= {"SEARCH_URL": "postgres", "CACHE_URL": "db://"}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LANG": "it_IT.UTF-8"}, "it"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LANGUAGE": "it:fr", "LANG": "fr_FR.UTF-8"}, "it"),
        ({"LC_ALL": "fr_CA.UTF-8", "LANG": "en_GB.UTF-8"}, "fr"),
    ],
)
def test_commands_speak_the_terminals_language(environ, expected):
    sys.path.insert(0, str(ROOT))
    from manage import terminal_language

    assert terminal_language(environ) == expected


def test_a_command_error_is_shown_in_the_terminals_language():
    result = run_manage(
        "createeditor", "bad name!", "--password", "x",
        env={"DJANGO_DEBUG": "1", "LANG": "it_IT.UTF-8", "CI": "true"},
    )  # fmt: skip
    assert result.returncode != 0
    assert "Nome utente 'bad name!' non valido" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "path",
    [
        "/admin/glossary/term/?status=%00",
        "/admin/glossary/term/?q=a%00b",
        "/admin/articles/article/?status__exact=%00",
        "/admin/glossary/term/translations/?lang=%00",
    ],
)
def test_nul_bytes_in_admin_query_strings_are_a_400_not_a_database_error(superuser, path):
    # PostgreSQL rejects NUL bytes in text: without the guard these were 500s there.
    client = Client(raise_request_exception=False)
    client.force_login(superuser)
    response = client.get(path)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


@pytest.mark.django_db
def test_a_nul_byte_in_an_api_slug_is_a_404_not_a_database_error():
    client = Client(raise_request_exception=False)
    assert client.get("/api/v1/terms/a%00b/?lang=fr").status_code == 404
