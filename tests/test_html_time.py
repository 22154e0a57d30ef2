"""Every <time datetime> on the site holds a value HTML accepts (a date, or a date and time
whose fraction of a second has at most three digits), not Python's isoformat with microseconds."""

import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from kb.articles.models import Article

LANGUAGES = ["fr", "it", "en"]
# HTML's valid date string and valid global date and time string (WHATWG, "Dates and times").
VALID_DATETIME = re.compile(
    r"\d{4,}-\d\d-\d\d"
    r"([T ]\d\d:\d\d(:\d\d(\.\d{1,3})?)?(Z|[+-]\d\d:?\d\d)?)?"
)


@pytest.fixture
def articles(glossary_content):
    call_command("load_articles", verbosity=0)
    return Article.objects.published()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_article_page_dates_its_update_with_a_valid_time_element(client, articles, language):
    assert articles.exists()
    for article in articles:
        # A save gives updated_at microseconds, as editing an article in the admin does.
        html = client.get(article.get_absolute_url(language)).content.decode()
        values = re.findall(r'<time[^>]*\sdatetime="([^"]*)"', html)
        assert values, article.key
        for value in values:
            assert VALID_DATETIME.fullmatch(value), (article.key, value)


def test_the_time_element_gives_the_moment_of_the_update_to_the_second(client, articles):
    article = articles.first()
    html = client.get(article.get_absolute_url("en")).content.decode()
    moment = f"{timezone.localtime(article.updated_at):%Y-%m-%dT%H:%M:%S%z}"
    assert f'datetime="{moment}"' in html
