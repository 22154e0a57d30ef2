"""Two app servers, for real (issue 11): the README's production recipe run twice, as two
machines would run it, sharing only what a site on more than one machine shares.

- One PostgreSQL database, created for this module from DATABASE_URL's server and dropped at
  the end, with the content loaded once: SEARCH_URL=postgres, so search lives in it too.
- One Redis (CI_REDIS_URL, which .ci/run starts): CACHE_URL=redis://..., the cache that holds
  the content generation, the cached pages and the rendered definitions.
- Everything else is each server's own: its static root (its own collectstatic), its Whoosh
  directory and its file-cache directory, which must stay unused.

Each server serves a term page and a search for it first, so the page is in the shared cache.
A third process then runs `glossary_import` with a file made by `glossary_export` in which that
term's English name and definition changed: both servers must show the change, on the term page
and in the search results, within 2 seconds of the import's end. The measured delays are
printed (and recorded as the test's `propagation_seconds` property).

Runs only on PostgreSQL with a Redis given in CI_REDIS_URL (`redis://127.0.0.1:6379/0`): it
says why it is skipped otherwise. The Redis database named there should be a scratch one: the
test adds keys to it, as the site would (they expire or become unreachable, none is deleted).
"""

import http.client
import importlib.util
import json
import os
import random
import signal
import string
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from hashlib import md5
from pathlib import Path

import dj_database_url
import pytest

from tests.test_production import ROOT, finish, free_port, manage, production_environment

DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("CI_REDIS_URL", "").strip()
# The host the load balancer passes on to both servers: one site, one set of cached pages.
HOST = "glossary.example"
TERM = "churn"
TERM_PAGE = f"/en/terms/{TERM}/"
# Not the term's exact name, which redirects to the term page: a list of results.
SEARCH_PAGE = "/en/search/?q=churn+customers"
# What the issue asks: a change visible on every server within this many seconds.
PROPAGATION_LIMIT = 2.0
# Settings of the developer's shell or of the test run that would change what the servers do.
NOT_INHERITED = {"CACHE_URL", "SEARCH_URL", "SEARCH_ENGINE", "PAGE_CACHE", "CI_REDIS_URL"}

ON_POSTGRESQL = DATABASE_URL.startswith(("postgres://", "postgresql://"))
NEEDS_POSTGRESQL = (
    "a PostgreSQL database (DATABASE_URL=postgres://..., as CI's PostgreSQL pass sets)"
)
NEEDS_REDIS = "a Redis (CI_REDIS_URL=redis://127.0.0.1:6379/0: .ci/run starts one for that pass)"
on_postgresql = pytest.mark.skipif(
    not ON_POSTGRESQL, reason=f"two app servers share {NEEDS_POSTGRESQL}"
)
with_redis = pytest.mark.skipif(
    not (ON_POSTGRESQL and REDIS_URL),
    reason="two app servers share "
    + " and ".join(
        need for need, ok in ((NEEDS_POSTGRESQL, ON_POSTGRESQL), (NEEDS_REDIS, REDIS_URL)) if not ok
    ),
)
pytestmark = on_postgresql


# --- The shared database -------------------------------------------------------------------


def _admin_connection():
    """A connection to DATABASE_URL's server, in autocommit, to create and drop databases."""
    import psycopg

    config = dj_database_url.parse(DATABASE_URL)
    return psycopg.connect(
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


@pytest.fixture(scope="module")
def database_url():
    """The URL of a new, empty database on DATABASE_URL's server, dropped afterwards."""
    name = f"kb_two_servers_{os.getpid()}"
    with _admin_connection() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    config = dj_database_url.parse(DATABASE_URL)
    user = config["USER"] + (f":{config['PASSWORD']}" if config["PASSWORD"] else "")
    address = f"{config['HOST'] or '127.0.0.1'}:{config['PORT'] or 5432}"
    try:
        yield f"postgres://{user}@{address}/{name}"
    finally:
        with _admin_connection() as connection:
            # WITH (FORCE): a server still holding a connection must not keep it alive.
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def environment(base: Path, database: str, port: int = 0, **settings: str) -> dict[str, str]:
    """One machine's environment: the production recipe (tests/test_production.py), with its
    own directories under `base` and the shared database; `settings` add the shared parts."""
    base.mkdir(parents=True, exist_ok=True)
    values = production_environment(base, port or free_port())
    for name in NOT_INHERITED:
        values.pop(name, None)
    values.update(
        DATABASE_URL=database,
        DJANGO_ALLOWED_HOSTS=f"{HOST},127.0.0.1,localhost",
        **settings,
    )
    return values


def shared(redis_url: str) -> dict[str, str]:
    return {"SEARCH_URL": "postgres", "CACHE_URL": redis_url}


def deploy_warnings(values: dict[str, str]) -> str:
    """What `manage.py check --deploy` prints (warnings do not fail it)."""
    process = manage(values, "check", "--deploy")
    output, _ = process.communicate(timeout=120)
    assert process.returncode == 0, output
    return output


# --- The two servers -----------------------------------------------------------------------


class AppServer:
    """One gunicorn, started with kb/gunicorn.conf.py and the environment of its machine."""

    def __init__(self, name: str, values: dict[str, str], base: Path) -> None:
        self.name, self.values, self.base = name, values, base
        self.port = int(values["GUNICORN_BIND"].rsplit(":", 1)[1])
        self.log = base / "gunicorn.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log, "w") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "kb/gunicorn.conf.py", "kb.wsgi"],
                cwd=ROOT,
                env=self.values,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: the workers stop with it
            )

    def wait_until_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while True:
            assert self.process.poll() is None, f"{self.name} exited:\n{self.log.read_text()}"
            try:
                if self.get("/healthz").status == 200:
                    return
            except OSError:
                pass
            assert time.monotonic() < deadline, f"{self.name} silent:\n{self.log.read_text()}"
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def get(self, path: str) -> http.client.HTTPResponse:
        """A GET as the HTTPS proxy in front of both servers sends it: same Host, same scheme."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request(
            "GET",
            path,
            headers={"Host": HOST, "X-Forwarded-Proto": "https", "Accept-Language": "en"},
        )
        response = connection.getresponse()
        response.body = response.read().decode()
        connection.close()
        return response

    def page(self, path: str) -> str:
        response = self.get(path)
        assert response.status == 200, (self.name, path, response.status, response.body[:500])
        return response.body


@pytest.fixture(scope="module")
def site(database_url, tmp_path_factory):
    """The content loaded once into the shared database, then two servers on it."""
    if not REDIS_URL:
        pytest.skip(with_redis.kwargs["reason"])
    if importlib.util.find_spec("glossary.search.postgres") is None:
        pytest.skip("the PostgreSQL search engine (SEARCH_URL=postgres, issue 11) is not there yet")
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=5).ping()
    except redis.RedisError as error:
        pytest.fail(f"CI_REDIS_URL={REDIS_URL} does not answer: {error}")

    base = tmp_path_factory.mktemp("two-servers")
    machines = {
        name: environment(base / name, database_url, **shared(REDIS_URL))
        for name in ("server-a", "server-b", "loader")
    }
    # Each server collects its own static files while the loader fills the database.
    collecting = [manage(machines[name], "collectstatic", "--noinput") for name in machines]
    loader = machines["loader"]
    for command in (["migrate", "--noinput"], ["load_glossary"], ["load_articles"]):
        finish(manage(loader, *command))
    finish(manage(loader, "rebuild_index", "--noinput"))
    for process in collecting:
        finish(process)

    servers = [AppServer(name, machines[name], base / name) for name in ("server-a", "server-b")]
    with ExitStack() as stack:
        for server in servers:
            stack.callback(server.stop)
            server.start()
        for server in servers:
            server.wait_until_ready()
        yield {"servers": servers, "machines": machines, "base": base}


# --- The tests -----------------------------------------------------------------------------


def _marker() -> str:
    """A word no content holds, so that finding it proves the change arrived."""
    return "Twoserver" + "".join(random.choices(string.ascii_lowercase, k=8))  # noqa: S311


def _changed_export(machine: dict[str, str], path: Path, marker: str) -> tuple[str, str]:
    """glossary_export's JSON backup, with TERM's English name and definition changed; the
    new name and a word of the new definition, as the term page shows them."""
    finish(manage(machine, "glossary_export", "--format", "json", "--output", str(path)))
    document = json.loads(path.read_text(encoding="utf-8"))
    (term,) = [term for term in document["terms"] if term["key"] == TERM]
    name = f"{term['en']['name']} {marker}"
    sentence = f"Checked on two servers ({marker.lower()}def)."
    term["en"]["name"] = name
    term["en"]["definition"] = f"{term['en']['definition']}\n\n{sentence}"
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    return name, f"{marker.lower()}def"


def _cached_page_keys(path: str) -> list[bytes]:
    """The Redis keys of the page at `path` (kb/core/pagecache.py: kb:page:<gen>:<lang>:<md5>)."""
    import redis

    digest = md5(f"https://{HOST}{path}".encode(), usedforsecurity=False).hexdigest()
    return redis.Redis.from_url(REDIS_URL).keys(f"*kb:page:*:en:{digest}")


def _poll(server: AppServer, path: str, expected: tuple[str, ...], since: float):
    """(seconds from `since` to the end of the first answer holding every `expected` text, or
    None if none did within PROPAGATION_LIMIT; the requests made)."""
    requests = 0
    while time.monotonic() - since <= PROPAGATION_LIMIT:
        body = server.page(path)
        requests += 1
        if all(text in body for text in expected):
            return time.monotonic() - since, requests
        time.sleep(0.02)
    return None, requests


@with_redis
def test_a_change_imported_by_a_third_process_shows_on_both_servers_within_two_seconds(
    site, capsys, record_property
):
    servers = site["servers"]
    marker = _marker()
    # Both servers serve the page and the search first: the page is stored in the shared cache
    # (and served from it by the second server), the search runs on the shared database.
    for server in servers:
        for path in (TERM_PAGE, SEARCH_PAGE):
            body = server.page(path)
            assert "Churn" in body and marker not in body, (server.name, path)
    cached_before = set(_cached_page_keys(TERM_PAGE))
    assert cached_before, "the term page was not stored in the shared cache"
    for server in servers:
        body = server.page(TERM_PAGE)
        assert marker not in body

    loader, changed = site["machines"]["loader"], site["base"] / "changed.json"
    new_name, definition_word = _changed_export(loader, changed, marker)
    finish(manage(loader, "glossary_import", str(changed)))
    imported = time.monotonic()

    # Each page polled on its own thread, so that a slow answer from one server does not
    # delay the look at the other; delays are counted from the import's end.
    checks = {
        (server.name, "term page"): (server, TERM_PAGE, (new_name, definition_word))
        for server in servers
    } | {(server.name, "search"): (server, SEARCH_PAGE, (marker,)) for server in servers}
    with ThreadPoolExecutor(len(checks)) as pool:
        futures = {
            check: pool.submit(_poll, server, path, expected, imported)
            for check, (server, path, expected) in checks.items()
        }
        delays = {check: future.result() for check, future in futures.items()}

    report = ", ".join(
        f"{name} {page}: {'stale' if delay is None else f'{delay:.3f} s'} ({requests} requests)"
        for (name, page), (delay, requests) in delays.items()
    )
    record_property("propagation_seconds", report)
    with capsys.disabled():
        print(f"\nTwo servers, propagation after glossary_import: {report}")
    missing = [f"{name} {page}" for (name, page), (delay, _) in delays.items() if delay is None]
    assert not missing, f"still stale after {PROPAGATION_LIMIT} s: {missing} ({report})"
    # The changed page is stored again, under the new content generation.
    assert set(_cached_page_keys(TERM_PAGE)) - cached_before


@with_redis
def test_the_servers_keep_nothing_in_their_own_cache_and_search_directories(site):
    for server in site["servers"]:
        for directory in ("cache", "search"):
            folder = server.base / directory
            held = [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []
            assert not held, f"{server.name} wrote to its local {directory}: {held[:5]}"


@with_redis
def test_the_two_server_settings_pass_the_deploy_check(site):
    output = deploy_warnings(site["machines"]["server-a"])
    assert "core.W001" not in output and "core.W002" not in output, output


def test_the_deploy_check_warns_a_postgresql_site_left_on_the_per_machine_defaults(
    database_url, tmp_path
):
    """No CACHE_URL, no SEARCH_URL: the file cache and Whoosh of one machine (kb/core/checks.py)."""
    pytest.importorskip("kb.core.checks", reason="the deploy check (issue 11) is not there yet")
    output = deploy_warnings(environment(tmp_path, database_url))
    assert "(core.W001)" in output and "CACHE_URL=redis://" in output, output
    assert "(core.W002)" in output and "SEARCH_URL=postgres" in output, output
