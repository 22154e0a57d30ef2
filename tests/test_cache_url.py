"""CACHE_URL picks the shared cache (kb/core/cache_url.py): the file cache of the machine by
default, Redis or the database for a site on more than one machine."""

import shutil
import socket
import subprocess
import time

import pytest
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import override_settings

from kb.core import generation
from kb.core.cache_url import cache_from_url

FILE = "django.core.cache.backends.filebased.FileBasedCache"
REDIS = "django.core.cache.backends.redis.RedisCache"
DATABASE = "django.core.cache.backends.db.DatabaseCache"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("", {"BACKEND": FILE, "LOCATION": "/srv/kb/cache"}),
        ("  ", {"BACKEND": FILE, "LOCATION": "/srv/kb/cache"}),
        ("file:///var/cache/kb", {"BACKEND": FILE, "LOCATION": "/var/cache/kb"}),
        ("redis://127.0.0.1:6379/0", {"BACKEND": REDIS, "LOCATION": "redis://127.0.0.1:6379/0"}),
        ("redis://cache.internal", {"BACKEND": REDIS, "LOCATION": "redis://cache.internal"}),
        (
            "rediss://:s3cret@cache.internal:6380/2",
            {"BACKEND": REDIS, "LOCATION": "rediss://:s3cret@cache.internal:6380/2"},
        ),
        ("db://", {"BACKEND": DATABASE, "LOCATION": "kb_cache"}),
        ("db://site_cache", {"BACKEND": DATABASE, "LOCATION": "site_cache"}),
        ("db:///site_cache", {"BACKEND": DATABASE, "LOCATION": "site_cache"}),
        ("locmem://", {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}),
    ],
)
def test_each_cache_url_gives_its_django_cache(url, expected):
    assert cache_from_url(url, default_dir="/srv/kb/cache") == expected


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("memcached://127.0.0.1:11211", "unknown kind of cache"),
        ("/var/cache/kb", "unknown kind of cache"),
        ("redis://", "needs a host"),
        ("redis://127.0.0.1:6379/zero", "must be a number"),
        ("redis://127.0.0.1:http/0", "Port could not be cast"),
        ("redis://127.0.0.1:99999/0", "Port out of range"),
        ("db://drop table;", "letters, digits and _"),
        ("file://relative/dir", "absolute path"),
    ],
)
def test_a_bad_cache_url_is_refused_with_a_message_naming_the_variable(url, reason):
    with pytest.raises(ImproperlyConfigured) as refused:
        cache_from_url(url, default_dir="/tmp/x")
    message = str(refused.value)
    assert message.startswith("CACHE_URL=")
    assert reason in message
    assert "redis://host:port/db" in message  # says what would be right


def test_the_message_never_shows_a_password():
    with pytest.raises(ImproperlyConfigured) as refused:
        cache_from_url("redis://:hunter2@cache.internal:6379/x", default_dir="/tmp/x")
    assert "hunter2" not in str(refused.value)
    assert "redis://:***@cache.internal" in str(refused.value)


def test_the_site_reads_cache_url_from_the_environment():
    """The settings module itself, in a fresh interpreter, with a bad and a good value."""
    import os
    import sys

    def settings_with(url: str) -> subprocess.CompletedProcess:
        code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
        return subprocess.run(
            [sys.executable, "-c", f"import django; django.setup(); {code}"],
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "kb.settings", "CACHE_URL": url},
            capture_output=True,
            text=True,
            timeout=60,
        )

    good = settings_with("redis://127.0.0.1:6379/1")
    assert good.stdout.strip() == REDIS, good.stderr
    bad = settings_with("memcache://x")
    assert bad.returncode != 0
    assert "ImproperlyConfigured: CACHE_URL='memcache://x' is not a cache URL" in bad.stderr


def exercise(alias: str) -> None:
    """What the site asks of its cache: the content generation and a stored page."""
    cache = caches[alias]
    cache.clear()
    cache.set("kb:test", {"html": "<p>é</p>"}, 60)
    assert cache.get("kb:test") == {"html": "<p>é</p>"}
    assert cache.add("kb:test", "other") is False
    cache.delete("kb:test")
    assert cache.get("kb:test") is None


@pytest.mark.django_db(transaction=True)
def test_the_database_cache_works_once_its_table_is_made():
    shared = {"shared": cache_from_url("db://kb_test_cache", default_dir="")}
    with override_settings(CACHES={**caches.settings, **shared}):
        call_command("createcachetable", "--database", "default", verbosity=0)
        exercise("shared")


# --- A real Redis, when Debian's redis-server is installed ---------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    workdir = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(workdir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert process.poll() is None, "redis-server exited"
                assert time.monotonic() < deadline, "redis-server did not answer"
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_redis_holds_the_cache_and_the_content_generation(redis_url):
    shared = cache_from_url(redis_url, default_dir="")
    with override_settings(CACHES={"default": shared, "other": shared}):
        exercise("default")
        # Two processes (here two connections) see one generation: a bump on one is seen by both.
        before = generation.current()
        assert caches["other"].get(generation.GENERATION_KEY) == before
        caches["other"].set(generation.GENERATION_KEY, "moved-elsewhere", None)
        assert generation.current() == "moved-elsewhere"
        generation.bump()
        assert caches["other"].get(generation.GENERATION_KEY) not in (before, "moved-elsewhere")


def test_pages_are_cached_in_redis(redis_url, client, nps_term, settings):
    from kb import settings as kb_settings

    settings.PAGE_CACHE_VIEWS = kb_settings.PAGE_CACHE_VIEWS
    with override_settings(CACHES={"default": cache_from_url(redis_url, default_dir="")}):
        caches["default"].clear()
        path = nps_term.get_absolute_url("en")
        first = client.get(path)
        second = client.get(path)
        assert second.content == first.content and second["ETag"] == first["ETag"]
        nps_term.summary_en = "Changed in Redis."
        nps_term.save()
        assert b"Changed in Redis." in client.get(path).content
