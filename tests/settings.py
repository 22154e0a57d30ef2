"""Settings of a test run (pytest-django's DJANGO_SETTINGS_MODULE, see pyproject.toml).

Tests run with debug off, like production, so the settings require a secret key. Search indexes,
the shared file cache and STATIC_ROOT of a test session live in temporary directories, never in
the developer's var/. The environment is set before the site's settings read it, and commands the
tests start as subprocesses inherit it.
"""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-not-a-secret")
# The test run makes the directories; the commands it starts inherit them (same indexes, same
# cache), whatever SEARCH_INDEX_DIR or CACHE_DIR the developer's shell has.
if os.environ.get("KB_TEST_RUN_PID") is None:
    os.environ["KB_TEST_RUN_PID"] = str(os.getpid())
    for variable, prefix in (
        ("SEARCH_INDEX_DIR", "kb-search-tests-"),
        ("CACHE_DIR", "kb-cache-"),
        ("DJANGO_STATIC_ROOT", "kb-static-"),
    ):
        os.environ[variable] = tempfile.mkdtemp(prefix=prefix)
        atexit.register(shutil.rmtree, os.environ[variable], ignore_errors=True)

from kb.settings import *  # noqa: E402, F403

# Tests ask for pages over plain HTTP (tests/test_production.py checks the redirect to HTTPS
# with the real settings).
SECURE_SSL_REDIRECT = False
# Templates resolve {% static %} without a collectstatic: the hashed, compressed storage of
# production needs its manifest (tests/test_production.py builds one). STATIC_ROOT is the
# run's empty folder (above), not the developer's var/static.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
