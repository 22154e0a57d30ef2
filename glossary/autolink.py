"""Link glossary terms where they first appear in a text (term definitions, kb articles).

`autolink(html, language)` takes sanitized HTML (kb.core.markdown.render_markdown output)
and links the first occurrence of each published term's name, acronym or synonym in
`language` to the term's page, with the term's summary as a tooltip shown on hover and on
keyboard focus (pure CSS; the link points to the tooltip with aria-describedby).

Rules: never inside headings, links, code or preformatted text; a term never links to
itself (`exclude_term_id`); each term is linked once; the longest label wins ("Net Promoter
Score" before "Promoter"); labels match whole words only, accented letters counting as
letters ("Numéros" does not contain "Numéro"). Names and admitted labels of several words
match whatever their case (one-word labels, often everyday words, never link);
acronyms keep their case, so the French word "ces" is not taken for CES (customer effort
score).

The HTML is parsed with html.parser and written back escaped; no regular expression ever
runs over markup. One compiled pattern per language is cached in the process and rebuilt
(one query for all languages) after any term or label is saved or deleted, in any process
sharing the cache: the links generation (`links_generation()`, a narrower generation than the
content's, kept by kb/core/generation.py) moves, and also keys rendered definitions.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from glossary.models import Term, TermLabel
from kb.core import generation
from kb.core.languages import language_codes

# Text inside these elements is never linked.
SKIPPED_ELEMENTS = frozenset(
    {"a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "kbd", "samp", "script", "style",
     "textarea", "button", "svg", "math", "title"}
)  # fmt: skip
VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
     "track", "wbr"}
)  # fmt: skip
MIN_LABEL_LENGTH = 2
_LINKS_KEY = "glossary:autolink:generation"

# The glossary's content: changes to these move the content generation, which keys the cached
# pages. (Declared here because this module is imported by the app's ready().)
generation.track(
    "glossary.term",
    "glossary.termlabel",
    "glossary.termsource",
    "glossary.termrelation",
    "glossary.category",
)


@dataclass(frozen=True)
class LinkTarget:
    term_id: int
    urls: dict[str, str]  # page language -> the term's URL in that language
    summary: str  # in the text's language


@dataclass(frozen=True)
class Linker:
    """The labels of one language, compiled into one pattern."""

    language: str
    pattern: re.Pattern | None
    exact: dict[str, LinkTarget]  # acronyms, matched with their case
    folded: dict[str, LinkTarget]  # names and synonyms, matched case-insensitively

    def target_for(self, matched: str) -> LinkTarget | None:
        normalized = _normalize_space(matched)
        return self.exact.get(normalized) or self.folded.get(normalized.casefold())


def autolink(
    html_text: str,
    language: str,
    *,
    url_language: str | None = None,
    exclude_term_id: int | None = None,
    id_prefix: str = "term-tip",
) -> str:
    """Return `html_text` with the first occurrence of each term linked.

    `language` is the language of the text (whose labels are looked for); links lead to the
    term pages in `url_language` (default: the same). `id_prefix` keeps the tooltip ids
    unique when a page links several texts.
    """
    if not html_text:
        return html_text
    linker = linker_for(language)
    if linker.pattern is None:
        return html_text
    rewriter = _Rewriter(
        linker,
        url_language=url_language or language,
        exclude_term_id=exclude_term_id,
        id_prefix=id_prefix,
    )
    rewriter.feed(html_text)
    rewriter.close()
    return "".join(rewriter.out)


# --- The cache ----------------------------------------------------------------------------------

_linkers: dict[str, Linker] = {}
_seen_generation: list[str | None] = [None]


def linker_for(language: str) -> Linker:
    """The cached Linker of `language`; all languages are rebuilt together in one query."""
    # The generation lives in Django's cache so that, with a shared cache backend, a term
    # saved in one process also invalidates the patterns of the others.
    now = links_generation()
    if now != _seen_generation[0]:
        _linkers.clear()
        _seen_generation[0] = now
    linker = _linkers.get(language)
    if linker is None:
        _linkers.update(build_linkers())
        linker = _linkers.get(language) or Linker(language, None, {}, {})
    return linker


def links_generation() -> str:
    """Moves whenever the linked labels may have changed: keys whatever holds auto-links."""
    return generation.current(_LINKS_KEY)


def invalidate() -> None:
    """Forget the compiled patterns (called whenever a term changes)."""
    _linkers.clear()
    generation.bump(_LINKS_KEY)


@receiver(post_save, sender=Term, dispatch_uid="glossary.autolink.term_saved")
@receiver(post_delete, sender=Term, dispatch_uid="glossary.autolink.term_deleted")
@receiver(post_save, sender=TermLabel, dispatch_uid="glossary.autolink.label_saved")
@receiver(post_delete, sender=TermLabel, dispatch_uid="glossary.autolink.label_deleted")
def _term_changed(**kwargs) -> None:
    invalidate()
    # A page rendered between the save and the commit could cache the old text: once more.
    transaction.on_commit(invalidate)


def linkable_labels(term: Term, language: str) -> list[str]:
    """The admitted labels that may become links: several words ("Centre d'appels") or an
    abbreviation. A one-word label is often an everyday word as well ("Demande", "Pratica",
    "Deal" for a ticket or an opportunity): in running text it would link nearly every
    sentence to the wrong page. The preferred name always links."""
    return [
        label.text
        for label in term.labels.all()
        if label.language == language
        and label.status == TermLabel.Status.ADMITTED
        and (
            len(label.text.split()) > 1
            or label.type == TermLabel.Type.ABBREVIATION
            or _looks_like_acronym(label.text)
        )
    ]


def build_linkers() -> dict[str, Linker]:
    """Compile the labels of every published term, one Linker per language (one query)."""
    terms = list(Term.objects.published().prefetch_related("labels").order_by("pk"))
    codes = language_codes()
    linkers = {}
    for language in codes:
        # label -> (priority, target); a label shared by two terms of the same priority is
        # ambiguous and links nowhere.
        exact: dict[str, tuple[int, LinkTarget | None]] = {}
        folded: dict[str, tuple[int, LinkTarget | None]] = {}
        for term in terms:
            name = term.text("name", language)
            if not name:
                continue
            target = LinkTarget(
                term_id=term.pk,
                urls={code: term.get_absolute_url(code) for code in codes},
                summary=term.text("summary", language),
            )
            acronym = term.text("acronym", language)
            labels = [(name, 0), *((label, 2) for label in linkable_labels(term, language))]
            if acronym:
                _add(exact, _normalize_space(acronym), 1, target)
            for label, priority in labels:
                label = _normalize_space(label)
                if _looks_like_acronym(label):
                    _add(exact, label, priority, target)
                else:
                    _add(folded, label.casefold(), priority, target)
        exact_targets = {k: t for k, (_p, t) in exact.items() if t and len(k) >= MIN_LABEL_LENGTH}
        folded_targets = {k: t for k, (_p, t) in folded.items() if t and len(k) >= MIN_LABEL_LENGTH}
        linkers[language] = Linker(
            language, _compile(exact_targets, folded_targets), exact_targets, folded_targets
        )
    return linkers


def _add(labels: dict, label: str, priority: int, target: LinkTarget) -> None:
    current = labels.get(label)
    if current is None or priority < current[0]:
        labels[label] = (priority, target)
    elif priority == current[0] and current[1] and current[1].term_id != target.term_id:
        labels[label] = (priority, None)


def _looks_like_acronym(label: str) -> bool:
    """GRC, CRC, IVR, e-CRM, VoC: short labels with two capitals keep their case."""
    return len(label) <= 6 and sum(char.isupper() for char in label) >= 2


def _normalize_space(text: str) -> str:
    return " ".join(text.replace("’", "'").split())


def _label_regex(label: str) -> str:
    # Any run of white space between words; typographic and straight apostrophes alike.
    words = [re.escape(word).replace("'", "['’]") for word in label.split(" ")]
    return r"\s+".join(words)


def _compile(exact: dict[str, LinkTarget], folded: dict[str, LinkTarget]) -> re.Pattern | None:
    alternatives = [(label, _label_regex(label)) for label in exact]
    alternatives += [(label, f"(?i:{_label_regex(label)})") for label in folded]
    if not alternatives:
        return None
    # Longest first: the regex engine takes the first alternative that matches at a position.
    alternatives.sort(key=lambda item: (-len(item[0]), item[0]))
    body = "|".join(regex for _label, regex in alternatives)
    # \w is Unicode-aware: accented letters are letters, so boundaries respect them.
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)")


# --- The HTML rewriter --------------------------------------------------------------------------


class _Rewriter(HTMLParser):
    def __init__(
        self, linker: Linker, *, url_language: str, exclude_term_id: int | None, id_prefix: str
    ) -> None:
        super().__init__(convert_charrefs=True)
        self.linker = linker
        self.url_language = url_language
        self.linked: set[int] = set() if exclude_term_id is None else {exclude_term_id}
        self.id_prefix = id_prefix
        self.out: list[str] = []
        self.open: list[str] = []
        self.skip_depth = 0
        self.count = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(_start_tag(tag, attrs))
        if tag in VOID_ELEMENTS:
            return
        self.open.append(tag)
        if tag in SKIPPED_ELEMENTS:
            self.skip_depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(_start_tag(tag, attrs, self_closing=tag not in VOID_ELEMENTS))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_ELEMENTS:
            return
        self.out.append(f"</{tag}>")
        if tag not in self.open:
            return
        while self.open:
            closed = self.open.pop()
            if closed in SKIPPED_ELEMENTS:
                self.skip_depth -= 1
            if closed == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            self.out.append(html.escape(data, quote=False))
        else:
            self.out.append(self.link_text(data))

    def link_text(self, text: str) -> str:
        parts = []
        position = 0
        for match in self.linker.pattern.finditer(text):
            target = self.linker.target_for(match.group(0))
            if target is None or target.term_id in self.linked:
                continue
            self.linked.add(target.term_id)
            parts.append(html.escape(text[position : match.start()], quote=False))
            parts.append(self.link(match.group(0), target))
            position = match.end()
        parts.append(html.escape(text[position:], quote=False))
        return "".join(parts)

    def link(self, text: str, target: LinkTarget) -> str:
        url = html.escape(target.urls.get(self.url_language) or target.urls[self.linker.language])
        label = html.escape(text, quote=False)
        if not target.summary:
            return f'<a class="term-link" href="{url}">{label}</a>'
        self.count += 1
        tip_id = f"{self.id_prefix}-{self.count}"
        return (
            f'<span class="term-ref"><a class="term-link" href="{url}" '
            f'aria-describedby="{tip_id}">{label}</a>'
            f'<span class="term-tip" role="tooltip" id="{tip_id}">'
            f"{html.escape(target.summary, quote=False)}</span></span>"
        )


def _start_tag(tag: str, attrs: list[tuple[str, str | None]], self_closing: bool = False) -> str:
    rendered = "".join(
        f" {name}" if value is None else f' {name}="{html.escape(value)}"' for name, value in attrs
    )
    return f"<{tag}{rendered}{' /' if self_closing else ''}>"
