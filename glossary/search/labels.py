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

from glossary.search.analysis import WORD_PATTERN, fold

KEPT_FIELDS = ("django_id", "name", "acronym", "synonyms", "slug", "url")
_AFTER_ANY_WORD = "\U0010ffff"


class LabelTable:
    """Every name, acronym and synonym of an index's documents, found by word prefixes."""

    def __init__(self, documents: Iterable[dict]) -> None:
        self.documents: list[dict] = []
        rows = []
        for fields in documents:
            number = len(self.documents)
            self.documents.append({name: fields.get(name) or "" for name in KEPT_FIELDS})
            synonyms = (fields.get("synonyms") or "").split("\n")
            labels = dict.fromkeys([fields.get("name"), fields.get("acronym"), *synonyms])
            for label in filter(None, labels):
                words = tuple(fold(word) for word in re.findall(WORD_PATTERN, label))
                for word in set(words):
                    rows.append((word, len(label), label, words, number))
        rows.sort()
        self.rows = rows
        self.words = [row[0] for row in rows]

    def find(self, prefixes: list[str], limit: int) -> list[tuple[str, dict]]:
        """Up to `limit` (label, stored fields) pairs, one per document.

        A label qualifies when each prefix starts one of its words. The best label of each
        document wins: one that starts with the first prefix, then the shortest.
        """
        if not prefixes:
            return []
        rarest = max(prefixes, key=len)  # the longest prefix has the fewest words to walk
        start = bisect_left(self.words, rarest)
        end = bisect_left(self.words, rarest + _AFTER_ANY_WORD, start)
        first, others = prefixes[0], [prefix for prefix in prefixes if prefix != rarest]
        best: dict[int, tuple] = {}
        for position in range(start, end):
            _word, length, label, words, number = self.rows[position]
            if others and not all(any(w.startswith(p) for w in words) for p in others):
                continue
            rank = (not (words and words[0].startswith(first)), length, label)
            if number not in best or rank < best[number]:
                best[number] = rank
        chosen = nsmallest(limit, best.items(), key=lambda item: item[1])
        return [(rank[2], self.documents[number]) for number, rank in chosen]


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
