"""Test-run environment, loaded by pytest before pytest-django imports the settings.

Tests run with debug off, like production, and the settings then require a secret key; a
conftest.py would be read too late, so this module is registered as a pytest11 plugin.
"""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-not-a-secret")

# Search indexes of a test session live in a temporary directory, never in the dev var/search/,
# and on Whoosh whatever SEARCH_URL the shell has.
os.environ["SEARCH_INDEX_DIR"] = tempfile.mkdtemp(prefix="kb-search-tests-")
os.environ.pop("SEARCH_URL", None)
atexit.register(shutil.rmtree, os.environ["SEARCH_INDEX_DIR"], ignore_errors=True)

# The shared file cache (auto-link generations) of a test session is temporary too.
os.environ["CACHE_DIR"] = tempfile.mkdtemp(prefix="kb-cache-tests-")
atexit.register(shutil.rmtree, os.environ["CACHE_DIR"], ignore_errors=True)
