"""Whatever an editor pastes into a definition or an article, no script reaches a visitor.

Each payload goes through the real pages (Markdown, nh3, auto-linking, template), and the
rendered text is then parsed like a browser would: only harmless elements and attributes,
and only http(s)/mailto/relative links, may remain.
"""

import re
from html.parser import HTMLParser

import pytest

from kb.articles.models import Article
from kb.core.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '"><script>alert(1)</script>',
    "<scr<script>ipt>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;script&#x3A;alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="  javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="VBScript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="https://ok.example/" onclick="alert(1)">x</a>',
    '<a href="https://ok.example/" title=\'" onmouseover=alert(1) x="\'>x</a>',
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](javascript&#58;alert(1))",
    "[click](data:text/html,<script>alert(1)</script>)",
    "[click][evil]\n\n[evil]: javascript:alert(1)",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '![x" onerror="alert(1)](https://ok.example/x.png)',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<div style="position:fixed;inset:0;background:red">x</div>',
    "<style>body{display:none}</style>",
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<base href="https://evil.example/">',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>x</details>",
    "<body onload=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<!--<img src=x onerror=alert(1)>-->",
    "<template><script>alert(1)</script></template>",
    '<a href="javascript:alert(1)">NPS</a> and the NPS',
]
SAFE_SCHEMES = ("http:", "https:", "mailto:")
# Markup the auto-linker adds around terms (after sanitizing).
AUTOLINK_ATTRIBUTES = {"class", "href", "aria-describedby", "role", "id"}


class DangerFinder(HTMLParser):
    """Collects everything a browser could run or that could restyle the page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"element <{tag}>")
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | AUTOLINK_ATTRIBUTES | {"rel"}
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "srcdoc", "src"} or name not in allowed:
                self.problems.append(f"attribute {name} on <{tag}>")
            if name == "href" and value:
                # Browsers ignore white space and control characters inside a scheme.
                compact = re.sub(r"[\x00-\x20]", "", value).lower()
                scheme = re.match(r"^([a-z][a-z0-9+.-]*):", compact)
                if scheme and not compact.startswith(SAFE_SCHEMES):
                    self.problems.append(f"href {value!r}")

    handle_startendtag = handle_starttag


def problems_in(fragment):
    finder = DangerFinder()
    finder.feed(fragment)
    finder.close()
    return finder.problems


def between(html, start, end):
    return html.split(start, 1)[1].split(end, 1)[0]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_nothing_dangerous_survives_in_a_term_definition(client, nps_term, make_term, payload):
    make_term("hostile", fr={"name": "Hostile", "slug": "hostile", "definition": payload})
    response = client.get("/fr/termes/hostile/")
    assert response.status_code == 200
    definition = between(response.content.decode(), '<div class="definition">', "</article>")
    assert problems_in(definition) == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_nothing_dangerous_survives_in_an_article_body(client, nps_term, payload):
    article = Article.objects.create(
        key="hostile",
        title_fr="Hostile",
        slug_fr="hostile",
        body_fr=f"Le NPS.\n\n{payload}",
        status=Article.Status.PUBLISHED,
    )
    response = client.get(article.get_absolute_url("fr"))
    assert response.status_code == 200
    body = between(response.content.decode(), '<div class="article-body">', "</article>")
    assert problems_in(body) == []


def test_safe_markdown_keeps_its_links_and_formatting(client, make_term):
    make_term(
        "friendly",
        fr={"name": "Amical", "slug": "amical",
            "definition": "**Gras** et [un lien](https://example.com/a?b=1&c=2)."},
    )  # fmt: skip
    html = client.get("/fr/termes/amical/").content.decode()
    assert "<strong>Gras</strong>" in html
    assert 'href="https://example.com/a?b=1&amp;c=2"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


@pytest.mark.parametrize("page", ["term", "article"])
def test_hostile_titles_and_summaries_are_escaped_everywhere(client, make_term, page):
    hostile = '</title><script>alert(1)</script>"><img src=x onerror=alert(1)>'
    if page == "term":
        make_term("t", fr={"name": hostile, "slug": "t", "summary": hostile, "definition": "x"})
        path = "/fr/termes/t/"
    else:
        article = Article.objects.create(
            key="a", title_fr=hostile, slug_fr="a", summary_fr=hostile, body_fr="x",
            status=Article.Status.PUBLISHED,
        )  # fmt: skip
        path = article.get_absolute_url("fr")
    html = client.get(path).content.decode()
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert "&lt;/title&gt;&lt;script&gt;" in html
    # Inside JSON-LD, "<" is written \u003c so the script element cannot be closed early.
    assert "\\u003c/title\\u003e" in html
