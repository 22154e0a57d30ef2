"""The README's production recipe, for real: the site's own settings with debug off, a fresh
SQLite database and STATIC_ROOT, the recipe's commands, then gunicorn with kb/gunicorn.conf.py
on a free port of 127.0.0.1. Every stylesheet, script, icon and image the main pages reference
must answer 200 (hashed static files with a year-long, immutable cache lifetime), with the
security headers on every page and /healthz answering over plain HTTP.

The server is started once for the module and always stopped, whatever happens.
"""

import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
EMBED_ANCESTORS = "https://a.example https://b.example"
HASHED = re.compile(r"\.[0-9a-f]{12}\.\w+$")
ONE_YEAR = 365 * 24 * 3600


def production_environment(base: Path, port: int) -> dict[str, str]:
    """The developer's environment without the test run's settings, plus the recipe's."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "KB_", "GUNICORN_"))
        and key not in {"DATABASE_URL", "SEARCH_INDEX_DIR", "CACHE_DIR", "PORT"}
        and key not in {"WEB_CONCURRENCY", "FORWARDED_ALLOW_IPS", "LANGUAGE", "LC_ALL"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="kb.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=f"sqlite:///{base / 'db.sqlite3'}",
        DJANGO_STATIC_ROOT=str(base / "static"),
        SEARCH_INDEX_DIR=str(base / "search"),
        CACHE_DIR=str(base / "cache"),
        NPS_EMBED_FRAME_ANCESTORS=EMBED_ANCESTORS,
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
    )
    return environment


def manage(environment: dict, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finish(process: subprocess.Popen) -> None:
    output, _ = process.communicate(timeout=300)
    assert process.returncode == 0, f"{' '.join(process.args[1:])} failed:\n{output}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, port: int, log: Path) -> None:
        self.port, self.log = port, log

    def get(self, path: str, https: bool = True, **headers: str) -> http.client.HTTPResponse:
        """One request, redirects not followed; `https` says so as the HTTPS proxy would."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        if https:
            headers.setdefault("X-Forwarded-Proto", "https")
        headers.setdefault("Accept-Language", "en")
        connection.request(
            "GET", path, headers={k.replace("_", "-"): v for k, v in headers.items()}
        )
        response = connection.getresponse()
        response.body = response.read()
        connection.close()
        return response


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    base = tmp_path_factory.mktemp("production")
    port = free_port()
    environment = production_environment(base, port)
    # The recipe's commands, collectstatic alongside the database ones (they share nothing).
    collecting = manage(environment, "collectstatic", "--noinput")
    for command in (["migrate", "--noinput"], ["load_glossary"], ["load_articles"]):
        finish(manage(environment, *command))
    finish(manage(environment, "rebuild_index", "--noinput"))
    finish(collecting)
    assert (base / "static" / "staticfiles.json").exists()

    log = base / "gunicorn.log"
    with open(log, "w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "kb/gunicorn.conf.py", "kb.wsgi"],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the workers stop with it
        )
    try:
        running = Server(port, log)
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, f"gunicorn exited:\n{log.read_text()}"
            try:
                if running.get("/healthz", https=False).status == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, f"gunicorn did not answer:\n{log.read_text()}"
            time.sleep(0.2)
        yield running
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class References(HTMLParser):
    """The URLs of a page's stylesheets, icons, scripts and images."""

    LINK_TYPES = {"stylesheet", "icon", "apple-touch-icon", "preload", "modulepreload", "manifest"}

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "link" and self.LINK_TYPES & set((attributes.get("rel") or "").split()):
            self.urls.append(attributes["href"])
        elif tag in {"script", "img"} and attributes.get("src"):
            self.urls.append(attributes["src"])


def references(html: str) -> list[str]:
    parser = References()
    parser.feed(html)
    return parser.urls


def page(server: Server, path: str) -> http.client.HTTPResponse:
    response = server.get(path)
    assert response.status == 200, (path, response.status, response.body[:500])
    return response


def check_assets(server: Server, path: str) -> list[str]:
    """Fetch everything the page at `path` references (and what its stylesheets reference)."""
    html = page(server, path).body.decode()
    urls = references(html)
    assert urls, path
    fetched = []
    while urls:
        url = urls.pop()
        assert not urlsplit(url).netloc, f"{path} loads {url} from another site"
        response = server.get(url, Accept_Encoding="gzip")
        assert response.status == 200, (path, url, response.status)
        if url.startswith("/static/"):
            assert HASHED.search(url), f"{url} has no content hash in its name"
            assert response.getheader("Cache-Control") == (
                f"max-age={10 * ONE_YEAR}, public, immutable"
            ), url
        if url.endswith((".css", ".js")):
            assert response.getheader("Content-Encoding") == "gzip", url
        if url.endswith(".css"):
            text = server.get(url).body.decode()
            for target in re.findall(r"""url\(\s*["']?([^"')]+)["']?\s*\)""", text):
                if not target.startswith(("data:", "#")):
                    urls.append(urljoin(url, target.split("#")[0].split("?")[0]))
        fetched.append(url)
    return fetched


# --- The recipe serves ---------------------------------------------------------------------


def test_the_access_log_goes_to_stdout(server):
    server.get("/healthz", https=False)
    assert '"GET /healthz HTTP/1.1" 200' in server.log.read_text()


def test_plain_http_is_redirected_to_https(server):
    response = server.get("/en/", https=False)
    assert response.status == 301
    assert response.getheader("Location") == f"https://127.0.0.1:{server.port}/en/"


def test_the_health_check_answers_over_plain_http_and_is_never_cached(server):
    response = server.get("/healthz", https=False)
    assert response.status == 200
    assert json.loads(response.body) == {"database": "ok", "search": "ok", "cache": "ok"}
    assert "no-store" in response.getheader("Cache-Control")


def test_the_home_page_and_everything_it_loads(server):
    response = server.get("/")
    assert response.status == 302 and response.getheader("Location") == "/en/"
    fetched = check_assets(server, "/en/")
    assert "/favicon.ico" in fetched
    assert any(re.search(r"/static/kb/site\.[0-9a-f]{12}\.css$", url) for url in fetched)


@pytest.mark.parametrize(
    "path",
    [
        "/fr/termes/net-promoter-score/",
        "/en/tools/nps/",
        "/it/strumenti/nps/incorpora/",
        "/admin/login/",
        "/api/v1/docs",
    ],
)
def test_every_asset_of_the_main_pages_is_served(server, path):
    check_assets(server, path)


def test_the_favicon_is_at_the_root(server):
    response = server.get("/favicon.ico")
    assert response.status == 200
    assert response.getheader("Content-Type") == "image/x-icon"
    assert response.body[:4] == b"\x00\x00\x01\x00"


def test_a_missing_page_is_a_404_page_not_an_error(server):
    response = server.get("/en/no-such-page/")
    assert response.status == 404
    assert b"/static/kb/site." in response.body


# --- Security headers ----------------------------------------------------------------------


def directives(response) -> dict[str, str]:
    policy = response.getheader("Content-Security-Policy") or ""
    parts = [part.strip().partition(" ") for part in policy.split(";") if part.strip()]
    return {name: value for name, _space, value in parts}


@pytest.mark.parametrize("path", ["/en/", "/en/terms/net-promoter-score/", "/admin/login/"])
def test_every_page_has_the_security_headers(server, path):
    response = page(server, path)
    policy = directives(response)
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert policy["form-action"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe" not in response.getheader("Content-Security-Policy")
    assert response.getheader("Strict-Transport-Security") == (
        f"max-age={ONE_YEAR}; includeSubDomains"
    )
    permissions = response.getheader("Permissions-Policy")
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"):
        assert f"{feature}=()" in permissions
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("Referrer-Policy") == "same-origin"
    assert response.getheader("X-Frame-Options") == "DENY"


def test_the_embed_may_be_framed_by_the_sites_the_environment_names(server):
    response = page(server, "/en/tools/nps/embed/")
    policy = directives(response)
    assert policy["frame-ancestors"] == EMBED_ANCESTORS
    assert policy["script-src"] == "'self'"
    assert response.getheader("X-Frame-Options") is None


def test_only_the_api_docs_allow_data_images(server):
    assert directives(page(server, "/api/v1/docs"))["img-src"] == "'self' data:"
    assert directives(page(server, "/en/"))["img-src"] == "'self'"
