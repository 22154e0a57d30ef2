"""Autocomplete on Whoosh: the labels of one index, sorted by the folded form of their words.

A prefix of one or two letters matches thousands of postings, and Whoosh scores every one
of them: 8 ms for two letters at 10,000 terms, and up to 400 ms when a three-letter prefix
expands to a hundred words. Here any prefix is two binary searches in a sorted list, then
a walk over the labels that have a word starting with it.

The table is built from the index's stored fields (no database query, so it shows exactly
what the index holds), once per index version and shared by the threads of a process:
about 0.25 s and a few MB at 10,000 terms, after which a lookup takes well under 1 ms.
"""

import re
import threading
from bisect import bisect_left
from collections.abc import Iterable
from heapq import nsmallest

from glossary.search.analysis import WORD_PATTERN
from kb.core.collation import fold

KEPT_FIELDS = ("django_id", "name", "acronym", "synonyms", "slug", "url")
TERM_CT = "glossary.term"
_AFTER_ANY_WORD = "\U0010ffff"


class LabelTable:
    """Every name, acronym and synonym of an index's documents, found by word prefixes."""

    def __init__(self, documents: Iterable[dict]) -> None:
        self.documents: list[dict] = []
        rows = []
        for fields in documents:
            if fields.get("django_ct", TERM_CT) != TERM_CT:
                continue  # autocomplete offers terms only: other kinds have no labels
            number = len(self.documents)
            self.documents.append({name: fields.get(name) or "" for name in KEPT_FIELDS})
            synonyms = (fields.get("synonyms") or "").split("\n")
            labels = dict.fromkeys([fields.get("name"), fields.get("acronym"), *synonyms])
            for preference, label in enumerate(filter(None, labels)):
                words = label_words(label)
                for word in set(words):
                    rows.append((word, preference, label, words, number))
        rows.sort()
        self.rows = rows
        self.words = [row[0] for row in rows]

    def find(self, prefixes: list[str], limit: int) -> list[tuple[str, dict]]:
        """Up to `limit` (label, stored fields) pairs, one per document.

        A label qualifies when each prefix starts one of its words. Each document shows its
        first qualifying label in the order name, acronym, synonyms;
        documents are ordered by `label_rank` of that label.
        """
        if not prefixes:
            return []
        rarest = max(prefixes, key=len)  # the longest prefix has the fewest words to walk
        start = bisect_left(self.words, rarest)
        end = bisect_left(self.words, rarest + _AFTER_ANY_WORD, start)
        first, others = prefixes[0], [prefix for prefix in prefixes if prefix != rarest]
        preferred: dict[int, tuple] = {}
        for position in range(start, end):
            _word, preference, label, words, number = self.rows[position]
            if others and not has_every_prefix(words, others):
                continue
            if number not in preferred or preference < preferred[number][0]:
                preferred[number] = (preference, label, words)
        ranked = (
            (label_rank(label, words, first), label, number)
            for number, (_preference, label, words) in preferred.items()
        )
        return [
            (label, self.documents[number]) for _rank, label, number in nsmallest(limit, ranked)
        ]


def label_words(label: str) -> tuple[str, ...]:
    return tuple(fold(word) for word in re.findall(WORD_PATTERN, label))


def has_every_prefix(words: tuple[str, ...], prefixes: list[str]) -> bool:
    """Each prefix starts one of the (folded) words."""
    return all(any(word.startswith(prefix) for word in words) for prefix in prefixes)


def label_rank(label: str, words: tuple[str, ...], first: str) -> tuple:
    """Sort key of suggestions: labels starting with the first typed word, then shorter."""
    return (not (words and words[0].startswith(first)), len(label), label)


_tables: dict[str, tuple[tuple, LabelTable]] = {}
_lock = threading.Lock()


def table_for(path: str, searcher) -> LabelTable:
    """The label table of the index version `searcher` reads (built on first use)."""
    version = index_version(searcher.reader())
    cached = _tables.get(path)
    if cached is not None and cached[0] == version:
        return cached[1]
    with _lock:  # one build per process and version, even when threads ask together
        cached = _tables.get(path)
        if cached is None or cached[0] != version:
            cached = (version, LabelTable(searcher.all_stored_fields()))
            _tables[path] = cached
    return cached[1]


def index_version(reader) -> tuple:
    """What changes whenever the index does: its generation and its segments' ids.

    (The generation alone can repeat when an index directory is deleted and recreated.)
    """
    segments = []
    for leaf, _offset in reader.leaf_readers():
        segment = leaf.segment() if hasattr(leaf, "segment") else None
        segments.append(segment.segment_id() if segment is not None else "")
    return reader.generation(), tuple(segments)
