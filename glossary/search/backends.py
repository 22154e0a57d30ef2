"""Haystack's Whoosh engine, corrected for this site.

What differs from haystack.backends.whoosh_backend, and why:
- each connection has a LANGUAGE; its text fields use that language's analyzer
  (glossary.search.analysis), and documents are prepared with that language active, so
  modeltranslation fields give that language's text;
- errors are raised, never swallowed (haystack logs and drops them when SILENTLY_FAIL, and
  its AsyncWriter retries a locked index in a thread whose failures nobody sees);
- every write takes a per-index file lock first (fcntl, so it holds across processes and
  is released if a process dies), waiting with retries; Whoosh's own lock is then free;
- `rebuild` writes all documents with one writer and replaces the index in one commit, in
  one segment (haystack's update_index commits every batch: many segments, slow searches);
- documents reach Whoosh already analysed (lists of terms), which skips a token object per
  word;
- no spelling pass on every query: suggestions are computed only when nothing is found;
- searchers are cached per thread and refreshed, not reopened for each query.
"""

import errno
import fcntl
import logging
import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.utils import translation
from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SkipDocument
from haystack.utils import get_identifier
from whoosh import writing
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import ID as WHOOSH_ID
from whoosh.fields import STORED, TEXT, Schema

from glossary.search.analysis import (
    WordTokenizer,
    folding_analyzer,
    language_analyzer,
)

logger = logging.getLogger("glossary.search")

# Fields analysed without stemming: acronyms ("CRM" is not a word) and the words offered by
# "did you mean" (real words, not stems).
FOLDED_FIELDS = {"acronym", "vocabulary"}


class IndexLockTimeout(Exception):
    """Another process held the index's write lock for longer than SEARCH_LOCK_TIMEOUT."""


@contextmanager
def file_lock(path: Path, timeout: float):
    """Hold an exclusive fcntl lock on `path`, waiting up to `timeout` seconds (with backoff)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+")  # noqa: SIM115 - closed in finally
    try:
        deadline = time.monotonic() + timeout
        delay = 0.005
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as error:
                if error.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    raise IndexLockTimeout(f"{path}: still locked after {timeout:.0f} s") from None
                time.sleep(delay)
                delay = min(delay * 2, 0.25)
        yield
    finally:
        handle.close()  # closing releases the lock


def rebuild_codec() -> W3Codec:
    """Whoosh's codec without per-term length statistics, for full rebuilds.

    Those statistics (shortest and longest document of each posting block) only sharpen
    the block-skipping estimates of a top-N search, which this site does not use (its
    searches count every match); computing them took a quarter of a rebuild's commit.
    Documents' field lengths, which scoring needs, are still written. Whoosh pickles the
    codec into the index: Whoosh's own class, so the index never names a module of ours.
    """
    codec = W3Codec()
    codec.length_stats = False
    return codec


class GlossaryWhooshSearchBackend(WhooshSearchBackend):
    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        self.language = connection_options.get("LANGUAGE", connection_alias)
        # Never drop an error: callers log it and retry (glossary.search.indexing).
        self.silently_fail = False
        self.include_spelling = False
        self.lock_timeout = float(getattr(settings, "SEARCH_LOCK_TIMEOUT", 60))
        self._local = threading.local()

    # --- Schema ----------------------------------------------------------------------------

    def build_schema(self, fields):
        schema_fields = {
            ID: WHOOSH_ID(stored=True, unique=True),
            DJANGO_CT: WHOOSH_ID(stored=True),  # haystack's SearchQuerySet filters on it
            DJANGO_ID: STORED(),  # nothing searches by it (updates and deletes use ID)
        }
        content_field_name = ""
        for field in fields.values():
            name = field.index_fieldname
            if field.document:
                content_field_name = name
            if not field.indexed:
                schema_fields[name] = STORED()
            elif name in FOLDED_FIELDS:
                schema_fields[name] = TEXT(
                    analyzer=folding_analyzer(),
                    phrase=False,
                    stored=field.stored,
                    field_boost=field.boost,
                )
            else:
                schema_fields[name] = TEXT(
                    analyzer=language_analyzer(self.language),
                    phrase=False,
                    stored=field.stored,
                    field_boost=field.boost,
                )
        return content_field_name, Schema(**schema_fields)

    # --- Writing ---------------------------------------------------------------------------

    @property
    def lock_path(self) -> Path:
        return Path(f"{self.path.rstrip('/')}.lock")

    def write_lock(self):
        return file_lock(self.lock_path, self.lock_timeout)

    def _documents(self, index, iterable):
        """Prepared documents of `iterable`'s objects; with no `index`, `iterable` gives
        (index, object) pairs (a rebuild writes every kind of content)."""
        with translation.override(self.language):
            for obj in iterable:
                if index is None:
                    index_of_obj, obj = obj
                else:
                    index_of_obj = index
                try:
                    doc = index_of_obj.full_prepare(obj)
                except SkipDocument:
                    continue
                for key in doc:
                    doc[key] = self._from_python(doc[key])
                doc.pop("boost", None)
                yield self._analysed(doc)

    def _analysed(self, doc: dict) -> dict:
        """`doc` with its text fields given as term lists, the stored text kept aside.

        Whoosh indexes a list as already analysed; our analyzers' `words` builds it without
        a token object per word, which makes a rebuild about a fifth faster.
        """
        for name, field in self.schema.items():
            analyzer = getattr(field, "analyzer", None)
            if isinstance(analyzer, WordTokenizer) and isinstance(doc.get(name), str):
                if field.stored:
                    doc[f"_stored_{name}"] = doc[name]
                doc[name] = analyzer.words(doc[name])
        return doc

    # update, remove, clear and optimize: haystack's own commands (update_index, clear_index)
    # write through them, under the same lock.
    def update(self, index, iterable, commit=True):
        """Add or replace documents (one commit, under the write lock)."""
        self.write(index, iterable, [])

    def write(self, index, iterable, remove_ids) -> None:
        """Replace the documents of `iterable` and delete `remove_ids` in one commit."""
        with self.write_lock():
            self.write_unlocked(index, iterable, remove_ids)

    def write_unlocked(self, index, iterable, remove_ids) -> None:
        """`write` for a caller that already holds `write_lock()`."""
        if not self.setup_complete:
            self.setup()
        self.index = self.index.refresh()
        writer = self.index.writer(timeout=self.lock_timeout)
        try:
            for identifier in remove_ids:
                writer.delete_by_term(ID, identifier)
            for doc in self._documents(index, iterable):
                writer.update_document(**doc)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def rebuild(self, index, iterable) -> int:
        """Replace the whole index by `iterable`'s documents, written as one segment.

        Returns the number of documents written. Nothing changes if anything fails.
        """
        if not self.setup_complete:
            self.setup()
        with self.write_lock():
            writer = self.index.refresh().writer(
                timeout=self.lock_timeout, limitmb=256, codec=rebuild_codec()
            )
            count = 0
            try:
                for doc in self._documents(index, iterable):
                    writer.add_document(**doc)
                    count += 1
            except BaseException:
                writer.cancel()
                raise
            # CLEAR drops every existing segment: the new documents replace them atomically.
            writer.commit(mergetype=writing.CLEAR)
            self.index = self.index.refresh()
        return count

    def remove(self, obj_or_string, commit=True):
        self.write(None, [], [get_identifier(obj_or_string)])

    def clear(self, models=None, commit=True):
        if not self.setup_complete:
            self.setup()
        with self.write_lock():
            writer = self.index.writer(timeout=self.lock_timeout)
            writer.commit(mergetype=writing.CLEAR)

    def optimize(self):
        if not self.setup_complete:
            self.setup()
        with self.write_lock():
            self.index = self.index.refresh()
            self.index.optimize()

    # --- Reading ---------------------------------------------------------------------------

    def searcher(self):
        """A searcher on the latest committed index, cached per thread."""
        if not self.setup_complete:
            self.setup()
        searcher = getattr(self._local, "searcher", None)
        if searcher is None:
            searcher = self.index.searcher()
        elif not searcher.up_to_date():
            # Not searcher.refresh(): whoosh-ng 5.4's reader reuse keeps the segments that a
            # CLEAR commit removed (a rebuilt index then shows every document twice).
            searcher.close()
            searcher = self.index.refresh().searcher()
        self._local.searcher = searcher
        return searcher

    def segment_count(self) -> int:
        if not self.setup_complete:
            self.setup()
        return len(self.index.refresh()._segments())

    def size_bytes(self) -> int:
        return sum(entry.stat().st_size for entry in os.scandir(self.path) if entry.is_file())


class GlossaryWhooshEngine(WhooshEngine):
    backend = GlossaryWhooshSearchBackend
