"""Test-run environment, loaded by pytest before pytest-django imports the settings.

Tests run with debug off, like production, and the settings then require a secret key; a
conftest.py would be read too late, so this module is registered as a pytest11 plugin.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-not-a-secret")
