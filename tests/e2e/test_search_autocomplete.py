"""The header search box in a real browser: autocomplete by keyboard, and without JavaScript."""

import pytest
from playwright.sync_api import expect

from tests.search_fixtures import rebuild_all

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def indexed(transactional_db):
    """The real glossary, committed (the live server reads it from another thread) and indexed."""
    from glossary.content import load

    load()
    rebuild_all()


def test_suggestions_follow_the_typing_and_the_keyboard(page, live_server, indexed):
    page.goto(f"{live_server.url}/it/")
    box = page.locator("#header-search-q")
    expect(box).to_have_attribute("role", "combobox")
    box.type("numero v")
    options = page.locator("#header-search-q-suggestions [role=option]")
    expect(options.first).to_contain_text("Numero verde")
    expect(box).to_have_attribute("aria-expanded", "true")
    box.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    active = box.get_attribute("aria-activedescendant")
    assert active == options.first.get_attribute("id")
    box.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(options).to_have_count(0)
    box.press("ArrowDown")  # reopens the list
    expect(options.first).to_be_visible()
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url("**/it/termini/numero-verde/")


def test_a_synonym_suggestion_shows_the_preferred_name(page, live_server, indexed):
    page.goto(f"{live_server.url}/fr/")
    page.locator("#header-search-q").type("dialog")
    expect(page.locator("#header-search-q-suggestions")).to_contain_text("Dialogueur → Chatbot")


def test_the_search_box_works_without_javascript(page_without_javascript, live_server, indexed):
    page = page_without_javascript
    page.goto(f"{live_server.url}/en/")
    page.fill("#header-search-q", "promoters")
    page.press("#header-search-q", "Enter")
    page.wait_for_url("**/en/search/?q=promoters")
    expect(page.locator(".search-results mark").first).to_have_text("Promoter")
