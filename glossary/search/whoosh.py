"""The Whoosh engine: one index directory per language, managed by haystack.

Documents come from haystack's index definition (glossary/search_indexes.py) and are written
by the backend of glossary.search.backends (analysed, under a per-index file lock, one
segment per rebuild). Searches skip haystack's query layer: one cached searcher per thread
and hand-built queries take a few ms; autocomplete reads a sorted table of the index's
labels (glossary.search.labels).

Writes are safe across processes: `index` re-reads each term from the database *under the
index's write lock* and writes what it finds, so the last process to take the lock writes a
state at least as new as the last commit: no update is lost, no deleted term leaves an
orphan. A write that still fails (lock timeout, disk error) is logged with its traceback
and its ids go to a small per-language journal (<index>.pending); the next successful write
to that index, `search_check --fix` or `rebuild_index` replays it. Nothing is dropped.
"""

import fcntl
import logging
import time
from collections.abc import Iterable
from itertools import islice, product
from pathlib import Path

from django.apps import apps
from django.utils import translation
from haystack import connections
from haystack.constants import DJANGO_CT
from haystack.utils import get_model_ct
from whoosh import query as wq
from whoosh.collectors import TopCollector

from glossary.models import Term
from glossary.search import labels
from glossary.search.analysis import word_forms
from glossary.search.backends import GlossaryWhooshSearchBackend
from glossary.search.engine import TERM, Hit, SearchEngine
from kb.core.collation import fold
from kb.core.languages import language_codes

logger = logging.getLogger("glossary.search")

ATTEMPTS = 3
# "Did you mean": close words tried per unknown word, and combinations of them tried at most.
CORRECTIONS = 3
MAX_COMBINATIONS = 27
# Fields analysed with the language's stemmer; the acronym field is folded only.
TEXT_FIELDS = ("name", "labels", "deprecated", "summary", "text")


class WhooshEngine(SearchEngine):
    def backend(self, language: str) -> GlossaryWhooshSearchBackend:
        return connections[language].get_backend()

    def term_index(self):
        """Haystack's index definition of terms (glossary.search_indexes.TermIndex)."""
        return connections["default"].get_unified_index().get_index(Term)

    def other_indexes(self) -> dict[str, object]:
        """{model label: index} of the other kinds of content (kb/articles/search_indexes.py)."""
        indexes = connections["default"].get_unified_index().get_indexes()
        return {get_model_ct(model): index for model, index in indexes.items() if model is not Term}

    # --- Reading -------------------------------------------------------------------------------

    def find(self, query, language, offset, limit, kind=None):
        searcher = self.backend(language).searcher()
        reader = searcher.reader()
        clauses, acronyms = [], []
        for raw in query.split():
            acronym = ("acronym", fold(raw))
            forms = word_forms(raw.lower(), language)
            if forms:
                # Only the terms the index has: each absent one is an empty branch that the
                # matcher would still visit for every document (a fifth of a query's time).
                terms = [(name, form) for name in TEXT_FIELDS for form in forms]
                present = [wq.Term(*term) for term in [*terms, acronym] if term in reader]
                if not present:
                    return 0, []  # a word no document has: no document has every word
                clauses.append(_union(present))
            elif acronym in reader:
                acronyms.append(wq.Term(*acronym))  # a stop word may be an acronym ("IT")
        if not clauses:
            if not acronyms:
                return 0, []
            clauses = [_union(acronyms)]
        # One pass that scores and counts: the default collector skips low-scoring blocks
        # and swaps in pruned matchers, so counting would need a second full pass.
        if kind is not None:
            clauses.append(wq.Term(DJANGO_CT, _model_of_kind(kind)))
        collector = TopCollector(limit=offset + limit, usequality=False, replace=0)
        searcher.search_with_collector(wq.And(clauses), collector)
        results = collector.results()
        hits = [_hit(results[i].fields(), language) for i in range(offset, len(results.top_n))]
        return len(results), hits

    def complete(self, prefixes, language, limit):
        backend = self.backend(language)
        table = labels.table_for(backend.path, backend.searcher())
        return [(label, _hit(fields, language)) for label, fields in table.find(prefixes, limit)]

    def correct(self, query, language, max_edits):
        searcher = self.backend(language).searcher()
        corrector = searcher.corrector("vocabulary")
        options = []
        for raw in query.split():
            folded = fold(raw)
            if searcher.doc_frequency("vocabulary", folded):
                options.append([raw])
                continue
            found = corrector.suggest(folded, limit=CORRECTIONS, maxdist=max_edits, prefix=1)
            options.append(found or [raw])
        # The closest words first; among equally close ones, the combination that names one
        # term ("nmuero vret": "numéro vert", a name, rather than "numéro vie").
        combinations = list(islice(product(*options), MAX_COMBINATIONS))
        for words in combinations:
            together = wq.And([wq.Term("vocabulary", fold(word)) for word in words])
            if len(words) == 1 or searcher.search(together, limit=1).scored_length():
                return " ".join(words)
        return " ".join(combinations[0])

    def documents(self, language):
        term = get_model_ct(Term)
        return {
            int(fields["django_id"]): fields.get("fingerprint", "")
            for fields in self.backend(language).searcher().all_stored_fields()
            if fields.get(DJANGO_CT, term) == term
        }

    def expected_documents(self, language):
        index = self.term_index()
        with translation.override(language):
            return {
                term.pk: index.prepare(term)["fingerprint"]
                for term in index.index_queryset(using=language)
            }

    def ping(self):
        # The per-thread searcher is opened once and only re-checks the index's table of
        # contents; reading the document count touches the open segment files.
        for language in language_codes():
            self.backend(language).searcher().doc_count()

    # --- Writing -------------------------------------------------------------------------------

    def index(self, term_ids, languages=None):
        return self.index_documents(get_model_ct(Term), term_ids, languages)

    def index_documents(self, label, ids, languages=None):
        ok, wanted = True, set(ids)
        for language in languages or language_codes():
            ids = set(wanted)
            for attempt in range(1, ATTEMPTS + 1):
                try:
                    ids |= self._take_pending(language, label)
                    self._write(language, label, ids)
                    break
                except Exception:
                    if attempt == ATTEMPTS:
                        logger.exception(
                            "Search index %s: could not index %s %s; queued for retry",
                            language,
                            "terms" if label == get_model_ct(Term) else label,
                            sorted(ids),
                        )
                        self._remember(language, ids, label)
                        ok = False
                    else:
                        logger.warning(
                            "Search index %s: attempt %d failed, retrying", language, attempt
                        )
                        time.sleep(0.2 * attempt)
        return ok

    def _index_of(self, label: str):
        return self.term_index() if label == get_model_ct(Term) else self.other_indexes()[label]

    def _write(self, language: str, label: str, ids: set[int]) -> None:
        """Under the index lock: read the rows from the database and write or delete them."""
        backend, index = self.backend(language), self._index_of(label)
        with backend.write_lock():
            rows = list(index.index_queryset(using=language).filter(pk__in=ids))
            gone = [f"{label}.{pk}" for pk in ids - {row.pk for row in rows}]
            backend.write_unlocked(index, rows, gone)

    def rebuild(self, language):
        indexes = [self.term_index(), *self.other_indexes().values()]
        for label in [get_model_ct(Term), *self.other_indexes()]:
            self._take_pending(language, label)  # a rebuild supersedes every queued retry
        documents = (
            (index, row)
            for index in indexes
            for row in index.index_queryset(using=language).iterator(chunk_size=2000)
        )
        return self.backend(language).rebuild(None, documents)

    # --- The journal of failed writes ------------------------------------------------------------

    def _journal(self, language: str, label: str = "") -> Path:
        """The journal of failed writes: <index>.pending for terms, <index>.<label>.pending."""
        other = f".{label}" if label and label != get_model_ct(Term) else ""
        return Path(f"{self.backend(language).path.rstrip('/')}{other}.pending")

    def _remember(self, language: str, ids: Iterable[int], label: str = "") -> None:
        journal = self._journal(language, label)
        journal.parent.mkdir(parents=True, exist_ok=True)
        with open(journal, "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            handle.write("".join(f"{pk}\n" for pk in ids))

    def _take_pending(self, language: str, label: str = "") -> set[int]:
        journal = self._journal(language, label)
        if not journal.exists():
            return set()
        with open(journal, "r+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            ids = _ids(handle.read())
            handle.seek(0)
            handle.truncate()
        return ids

    def pending(self, language):
        journal = self._journal(language)
        if not journal.exists():
            return set()
        return _ids(journal.read_text())


def _ids(journal: str) -> set[int]:
    return {int(line) for line in journal.split() if line.isdigit()}


def _union(queries: list) -> wq.Or:
    """An Or matched as a tree of unions: Whoosh's automatic choice preloads an array the
    size of the whole index for each clause on small indexes (slower for a top-10)."""
    query = wq.Or(queries)
    query.matcher_type = wq.Or.DEFAULT_MATCHER
    return query


def _model_of_kind(kind: str) -> str:
    """The model label ("articles.article") whose documents are hits of `kind`."""
    indexes = connections["default"].get_unified_index().get_indexes()
    for model, index in indexes.items():
        if getattr(index, "kind", TERM if model is Term else None) == kind:
            return get_model_ct(model)
    raise ValueError(f"unknown kind of search result {kind!r}")


def _kind_of(label: str) -> str:
    if label in ("", get_model_ct(Term)):
        return TERM
    return connections["default"].get_unified_index().get_index(apps.get_model(label)).kind


def _hit(fields: dict, language: str) -> Hit:
    return Hit.from_stored(
        int(fields["django_id"]), language, _kind_of(fields.get(DJANGO_CT, "")), fields
    )
