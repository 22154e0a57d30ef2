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
from pathlib import Path

from django.utils import translation
from haystack import connections
from haystack.utils import get_model_ct
from whoosh import query as wq
from whoosh.collectors import TopCollector

from glossary.models import Term
from glossary.search import labels
from glossary.search.analysis import word_forms
from glossary.search.backends import GlossaryWhooshSearchBackend
from glossary.search.engine import Hit, SearchEngine
from kb.core.collation import fold
from kb.core.languages import language_codes

logger = logging.getLogger("glossary.search")

ATTEMPTS = 3
# Fields analysed with the language's stemmer; the acronym field is folded only.
TEXT_FIELDS = ("name", "labels", "deprecated", "summary", "text")


class WhooshEngine(SearchEngine):
    def backend(self, language: str) -> GlossaryWhooshSearchBackend:
        return connections[language].get_backend()

    def term_index(self):
        """Haystack's index definition of terms (glossary.search_indexes.TermIndex)."""
        return connections["default"].get_unified_index().get_index(Term)

    # --- Reading -------------------------------------------------------------------------------

    def find(self, query, language, offset, limit):
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
        words = []
        for raw in query.split():
            folded = fold(raw)
            if searcher.doc_frequency("vocabulary", folded):
                words.append(raw)
                continue
            found = corrector.suggest(folded, limit=1, maxdist=max_edits, prefix=1)
            words.append(found[0] if found else raw)
        return " ".join(words)

    def documents(self, language):
        return {
            int(fields["django_id"]): fields.get("fingerprint", "")
            for fields in self.backend(language).searcher().all_stored_fields()
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
        ok = True
        for language in languages or language_codes():
            ids = set(term_ids)
            for attempt in range(1, ATTEMPTS + 1):
                try:
                    ids |= self._take_pending(language)
                    self._write(language, ids)
                    break
                except Exception:
                    if attempt == ATTEMPTS:
                        logger.exception(
                            "Search index %s: could not index terms %s; queued for retry",
                            language,
                            sorted(ids),
                        )
                        self._remember(language, ids)
                        ok = False
                    else:
                        logger.warning(
                            "Search index %s: attempt %d failed, retrying", language, attempt
                        )
                        time.sleep(0.2 * attempt)
        return ok

    def _write(self, language: str, ids: set[int]) -> None:
        """Under the index lock: read the terms from the database and write or delete them."""
        backend, index = self.backend(language), self.term_index()
        with backend.write_lock():
            terms = list(index.index_queryset(using=language).filter(pk__in=ids))
            gone = [f"{get_model_ct(Term)}.{pk}" for pk in ids - {term.pk for term in terms}]
            backend.write_unlocked(index, terms, gone)

    def rebuild(self, language):
        index = self.term_index()
        self._take_pending(language)  # a rebuild supersedes every queued retry
        queryset = index.index_queryset(using=language)
        return self.backend(language).rebuild(index, queryset.iterator(chunk_size=2000))

    # --- The journal of failed writes ------------------------------------------------------------

    def _journal(self, language: str) -> Path:
        return Path(f"{self.backend(language).path.rstrip('/')}.pending")

    def _remember(self, language: str, ids: Iterable[int]) -> None:
        journal = self._journal(language)
        journal.parent.mkdir(parents=True, exist_ok=True)
        with open(journal, "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            handle.write("".join(f"{pk}\n" for pk in ids))

    def _take_pending(self, language: str) -> set[int]:
        journal = self._journal(language)
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


def _hit(fields: dict, language: str) -> Hit:
    return Hit(
        pk=int(fields["django_id"]),
        name=fields.get("name") or "",
        acronym=fields.get("acronym") or "",
        slug=fields.get("slug") or "",
        url=fields.get("url") or "",
        language=language,
        summary=fields.get("summary") or "",
        synonyms=[s for s in (fields.get("synonyms") or "").split("\n") if s],
        deprecated=[s for s in (fields.get("deprecated") or "").split("\n") if s],
    )
