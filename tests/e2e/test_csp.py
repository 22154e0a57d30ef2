"""The Content-Security-Policy and Permissions-Policy in a real browser: the site's pages, the
admin and the API docs run under them without a single violation (Chromium reports each one
in the console)."""

import pytest
from playwright.sync_api import expect

from tests.search_fixtures import rebuild_all

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

PASSWORD = "csp-check-4821"


@pytest.fixture
def glossary(transactional_db):
    from glossary.content import load

    load()


@pytest.fixture
def content(glossary):
    rebuild_all()  # for the header search's suggestions


@pytest.fixture
def admin_user(transactional_db, django_user_model):
    django_user_model.objects.create_superuser("admin", "admin@example.com", PASSWORD)


@pytest.fixture
def complaints(page):
    """What the browser says about the policies: violations, unknown features, page errors."""
    found = []

    def listen(message):
        if "Content Security Policy" in message.text or "Permissions-Policy" in message.text:
            found.append(f"{page.url}: {message.text}")

    page.on("console", listen)
    page.on("pageerror", lambda error: found.append(f"{page.url}: {error}"))
    return found


def test_the_public_pages_run_under_the_policy(page, live_server, content, complaints):
    page.goto(f"{live_server.url}/en/")
    expect(page.locator("h1")).to_be_visible()
    page.locator("#header-search-q").type("toll")  # autocomplete: script and fetch
    expect(page.locator("#header-search-q-suggestions [role=option]").first).to_be_visible()

    page.goto(f"{live_server.url}/en/terms/net-promoter-score/")
    expect(page.locator("h1")).to_contain_text("Net Promoter Score")

    page.goto(f"{live_server.url}/en/tools/nps/")
    page.fill("#id_promoters", "60")
    page.fill("#id_passives", "25")
    page.type("#id_detractors", "15")  # the result and chart arrive from the server
    expect(page.locator("output.nps-score")).to_have_text("+45")
    page.wait_for_load_state("networkidle")
    assert complaints == []


def test_the_admin_runs_under_the_policy(page, live_server, glossary, admin_user, complaints):
    from glossary.models import Term

    term = Term.objects.get(key="net-promoter-score")
    page.goto(f"{live_server.url}/admin/login/?next=/admin/glossary/term/{term.pk}/change/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"**/admin/glossary/term/{term.pk}/change/")
    # modeltranslation's tabs (jQuery UI) are built by script.
    tabs = page.locator(".ui-tabs-nav a")
    expect(tabs.first).to_be_visible()
    tabs.nth(1).click()
    page.goto(f"{live_server.url}/admin/glossary/term/?q=score")
    expect(page.locator("#result_list")).to_be_visible()
    page.goto(f"{live_server.url}/admin/glossary/term/{term.pk}/history/")
    page.wait_for_load_state("networkidle")
    assert complaints == []


def test_the_api_docs_run_under_the_policy(page, live_server, complaints):
    page.goto(f"{live_server.url}/api/v1/docs")
    operation = page.locator(".opblock-summary").first
    operation.click()  # its icons are data: images, which only this page allows
    page.locator("button.try-out__btn").first.click()
    page.locator("button.execute").first.click()
    expect(page.locator(".live-responses-table tbody .response-col_status").first).to_contain_text(
        "200"
    )
    assert complaints == []
