"""Markdown to safe HTML: whatever an editor pastes, no script reaches a visitor."""

import markdown
import nh3

# What definitions and articles may use (headings from h2: the page title is the only h1);
# everything else (script, style, iframe, event handlers, javascript: URLs) is removed by nh3
# (the Rust ammonia sanitizer).
ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "h2", "h3", "h4", "h5", "h6", "a", "abbr", "sup", "sub",
    "table", "thead", "tbody", "tr", "th", "td", "dl", "dt", "dd", "span",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str) -> str:
    """Render Markdown `text` to sanitized HTML (empty string for empty input)."""
    if not text:
        return ""
    html = markdown.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
