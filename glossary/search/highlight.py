"""Showing why a hit matched: its matched words in <mark>, the synonym that matched, and the
words of a corrected query spelled as the glossary spells them. The same for every engine.
"""

import re
from functools import lru_cache
from html import escape

from django.utils.safestring import SafeString, mark_safe

from glossary.search.analysis import WORD_PATTERN, WORDS, analyze, word_forms
from kb.core.collation import fold


def highlight(text: str, query: str, language: str) -> SafeString:
    """`text`, escaped, with the words matching `query` (after folding/stemming) in <mark>."""
    return Highlighter(query, language).html(text)


class Highlighter:
    """Marks the words of texts that match one query; each distinct word is judged once."""

    def __init__(self, query: str, language: str) -> None:
        self.language = language
        self.forms = {form for word_forms_ in analyze(query, language) for form in word_forms_}
        self.folded = {fold(word) for word in query.split()}
        self.verdicts: dict[str, bool] = {}

    def matches(self, word: str) -> bool:
        verdict = self.verdicts.get(word)
        if verdict is None:
            folded, forms = _word_keys(word, self.language)
            verdict = folded in self.folded or not self.forms.isdisjoint(forms)
            self.verdicts[word] = verdict
        return verdict

    def html(self, text: str) -> SafeString:
        out = []
        position = 0
        for match in WORDS.finditer(text):
            if self.matches(match.group()):
                out.append(escape(text[position : match.start()]))
                out.append(f"<mark>{escape(match.group())}</mark>")
                position = match.end()
        out.append(escape(text[position:]))
        return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above

    def count(self, text: str) -> int:
        return sum(self.matches(word) for word in WORDS.findall(text))


@lru_cache(maxsize=200_000)  # bounded, as word_forms: hits show words visitors never typed
def _word_keys(word: str, language: str) -> tuple[str, tuple[str, ...]]:
    """(`word` folded, its index forms): what a query's words are compared with. Cached
    across queries: folding and stemming the words of every hit shown was most of a search's
    time in Python."""
    return fold(word), word_forms(word.lower(), language)


def decorate(hits: list, query: str) -> None:
    """Set each hit's name_html, summary_html and, when only another name matched (not the
    name nor the acronym), matched_synonym: the admitted label that matched the most words,
    else the deprecated one (then matched_deprecated is set)."""
    markers = {code: Highlighter(query, code) for code in {hit.language for hit in hits}}
    folded_words = {fold(word) for word in query.split()}
    for hit in hits:
        marker = markers[hit.language]
        hit.name_html = marker.html(hit.name)
        hit.summary_html = marker.html(hit.summary)
        acronym_matches = bool(hit.acronym) and fold(hit.acronym) in folded_words
        if "<mark>" not in hit.name_html and not acronym_matches:
            # The synonym that matched the most words ("virtual agents": "Virtual agent").
            for labels, deprecated in ((hit.synonyms, False), (hit.deprecated, True)):
                marks = {label: marker.count(label) for label in labels}
                best = max(marks, key=marks.get, default="")
                if best and marks[best]:
                    hit.matched_synonym, hit.matched_deprecated = best, deprecated
                    break


def restore_accents(candidate: str, hits: list) -> str:
    """`candidate`'s folded words as the hits write them ("numero vert" -> "numéro vert")."""
    spelled: dict[str, str] = {}
    for hit in hits:
        for text in (hit.name, hit.acronym, *hit.synonyms, hit.summary):
            for word in re.findall(WORD_PATTERN, text):
                spelled.setdefault(fold(word), word.lower() if not word.isupper() else word)
    return " ".join(spelled.get(fold(word), word) for word in candidate.split())
