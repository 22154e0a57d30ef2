"""Settings of a test run (pytest-django's DJANGO_SETTINGS_MODULE, see pyproject.toml).

Tests run with debug off, like production, so the settings require a secret key. Search indexes
and the shared file cache of a test session live in temporary directories, never in the
developer's var/. The environment is set before the site's settings read it, and commands the
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
    for variable, prefix in (("SEARCH_INDEX_DIR", "kb-search-tests-"), ("CACHE_DIR", "kb-cache-")):
        os.environ[variable] = tempfile.mkdtemp(prefix=prefix)
        atexit.register(shutil.rmtree, os.environ[variable], ignore_errors=True)

from kb.settings import *  # noqa: E402, F403
