"""The embeddable calculator may be framed by other sites; every other page may not."""

import pytest
from django.urls import reverse
from django.utils import translation


def url(name: str, language: str = "en") -> str:
    with translation.override(language):
        return reverse(name)


def frame_ancestors(response) -> str | None:
    """The frame-ancestors directive of the response's Content-Security-Policy."""
    for directive in response.get("Content-Security-Policy", "").split(";"):
        name, _space, value = directive.strip().partition(" ")
        if name == "frame-ancestors":
            return value
    return None


@pytest.mark.django_db
class TestFraming:
    @pytest.mark.parametrize("language", ["fr", "it", "en"])
    def test_the_embed_can_be_framed_by_any_site_by_default(self, client, language):
        response = client.get(url("nps:embed", language))
        assert response.status_code == 200
        assert "X-Frame-Options" not in response
        assert frame_ancestors(response) == "*"

    def test_the_embed_keeps_the_rest_of_the_sites_policy(self, client):
        # NPS_EMBED_FRAME_ANCESTORS is read from the environment at start-up:
        # tests/test_production.py sets it and checks the header of a running server.
        policy = client.get(url("nps:embed"))["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "object-src 'none'" in policy

    def test_the_embed_keeps_its_headers_on_errors_and_uploads(self, client):
        response = client.get(url("nps:embed") + "?promoters=x")
        assert response.status_code == 400
        assert "X-Frame-Options" not in response
        posted = client.post(url("nps:embed"), {"mode": "csv"})
        assert posted.status_code == 400
        assert "X-Frame-Options" not in posted

    @pytest.mark.parametrize(
        "path",
        [
            "/en/",
            "/en/tools/nps/",
            "/fr/outils/nps/?promoters=1",
            "/en/terms/",
            "/api/v1/openapi.json",
        ],
    )
    def test_every_other_page_refuses_to_be_framed(self, client, path):
        response = client.get(path)
        assert response["X-Frame-Options"] == "DENY"
        assert frame_ancestors(response) == "'none'"


@pytest.mark.django_db
class TestEmbedPage:
    def test_the_embed_has_no_site_chrome(self, client):
        html = client.get(url("nps:embed") + "?promoters=3&passives=1&detractors=1").content
        html = html.decode()
        assert 'class="site-header"' not in html
        assert 'class="site-footer"' not in html
        assert html.count("<h1") == 1
        assert '<output class="nps-score">+40</output>' in html
        assert "nps/nps.js" in html  # which reports its height to the parent page

    def test_the_embed_form_stays_inside_the_frame(self, client):
        html = client.get(url("nps:embed", "fr")).content.decode()
        assert 'action="/fr/outils/nps/integrer/" target="_self"' in html

    def test_the_calculator_offers_a_copy_paste_snippet(self, client):
        html = client.get(url("nps:calculator", "it")).content.decode()
        assert (
            "&lt;iframe src=&quot;http://testserver/it/strumenti/nps/incorpora/&quot;" in html
            or ('&lt;iframe src="http://testserver/it/strumenti/nps/incorpora/"' in html)
        )
        assert "nps-embed-height" in html


@pytest.mark.django_db
@pytest.mark.parametrize("margin", ["1e1", "5.00001", "0100"])
def test_the_embeds_margin_box_never_ends_in_a_500(client, margin):
    # These three used to end in a 500 (the planner's int(None)); 0100 is read as 100.
    query = {"promoters": "60", "passives": "25", "detractors": "15", "margin": margin}
    response = client.get(url("nps:embed"), query)
    html = response.content.decode()
    if margin == "0100":
        assert response.status_code == 200
        assert "For a margin of error of ±100 points" in html
    else:
        assert response.status_code == 400
        assert "The margin must be a number of points" in html
