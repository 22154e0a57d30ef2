"""The NPS calculator in a real browser: typing, no JavaScript, CSV upload, languages, embed."""

import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]


def test_the_result_follows_the_typing(page, live_server):
    page.goto(f"{live_server.url}/en/tools/nps/")
    page.fill("#id_promoters", "60")
    page.fill("#id_passives", "25")
    page.type("#id_detractors", "15")
    expect(page.locator("output.nps-score")).to_have_text("+45")
    expect(page.locator(".nps-interval")).to_contain_text("+29.3 to +58.0")
    # The address now holds the calculation, ready to share.
    page.wait_for_function("location.search.includes('detractors=15')")

    page.fill("#id_passives", "abc")
    expect(page.locator("#id_passives ~ .error")).to_contain_text("“abc” is not a number")
    page.fill("#id_passives", "25")
    expect(page.locator(".error")).to_have_count(0)


def test_the_form_works_without_javascript(page_without_javascript, live_server):
    page = page_without_javascript
    page.goto(f"{live_server.url}/en/tools/nps/")
    page.fill("#id_promoters", "3")
    page.fill("#id_passives", "3")
    page.fill("#id_detractors", "2")
    page.click("form.nps-form button[type=submit]")
    expect(page.locator("output.nps-score")).to_have_text("+13")
    assert "promoters=3" in page.url
    expect(page.locator("#id_promoters")).to_have_value("3")
    expect(page.locator("svg.nps-chart")).to_have_count(1)


def test_a_csv_upload_shows_its_preview(page, live_server):
    page.goto(f"{live_server.url}/en/tools/nps/?mode=csv")
    page.set_input_files(
        "#id_file",
        files=[
            {
                "name": "survey.csv",
                "mimeType": "text/csv",
                "buffer": b"id;Score;comment\n1;9;top\n2;10;\n3;6;bof\n",
            }
        ],
    )
    page.click("form.nps-form button[type=submit]")
    expect(page.locator("output.nps-score")).to_have_text("+33")
    expect(page.locator(".nps-preview table tbody tr")).to_have_count(3)
    expect(page.locator("#id_column")).to_have_value("Score")


def test_a_wide_csv_scrolls_inside_its_preview_not_the_page(page, live_server):
    header = ";".join(f"Question {number}" for number in range(120))
    rows = "\n".join(";".join(str((row + col) % 11) for col in range(120)) for row in range(5))
    page.set_viewport_size({"width": 400, "height": 800})
    page.goto(f"{live_server.url}/en/tools/nps/?mode=csv")
    page.set_input_files(
        "#id_file",
        files=[
            {"name": "wide.csv", "mimeType": "text/csv", "buffer": f"{header}\n{rows}\n".encode()}
        ],
    )
    page.click("form.nps-form button[type=submit]")
    expect(page.locator(".nps-preview table")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_switching_language_keeps_the_calculation(page, live_server):
    page.goto(f"{live_server.url}/en/tools/nps/?promoters=60&passives=25&detractors=15&decimals=1")
    page.click(".language-switcher a[hreflang=fr]")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert "/fr/outils/nps/" in page.url
    expect(page.locator("output.nps-score")).to_have_text("+45,0")
    expect(page.locator(".nps-n")).to_contain_text("Sur 100 réponses")


@pytest.fixture
def other_origin(tmp_path):
    """A page on another origin (another port) that embeds the calculator with the snippet."""
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_embed_works_inside_another_sites_iframe(page, live_server, other_origin):
    folder, origin = other_origin
    embed = f"{live_server.url}/en/tools/nps/embed/"
    (folder / "host.html").write_text(
        f"""<!doctype html><html><body><h1>Partner page</h1>
<iframe src="{embed}" title="NPS" width="600" height="200" data-nps-embed></iframe>
<script>addEventListener("message",function(e){{var d=e.data;if(d&&d.type==="nps-embed-height"){{
document.querySelectorAll("iframe[data-nps-embed]").forEach(function(f){{
if(f.contentWindow===e.source){{f.style.height=d.height+"px";}}}});}}}});</script>
</body></html>""",
        encoding="utf-8",
    )
    page.goto(f"{origin}/host.html")
    frame = page.frame_locator("iframe[data-nps-embed]")
    expect(frame.locator("h1")).to_have_text("NPS calculator")
    frame.locator("#id_promoters").fill("8")
    frame.locator("#id_passives").fill("1")
    frame.locator("#id_detractors").fill("1")
    expect(frame.locator("output.nps-score")).to_have_text("+70")
    # The frame asked its parent for room to show the result.
    page.wait_for_function(
        "parseInt(document.querySelector('iframe').style.height || '0', 10) > 600"
    )
