"""Keep every language index equal to the database.

Saving or deleting a term schedules its id; after the transaction commits, each language
index re-reads the term from the database *under that index's write lock* and writes what
it finds (a document if the term is published with text in that language, else a delete).
Reading after commit and inside the lock is what keeps concurrent processes consistent: for
any term, the last process to take the lock reads a state at least as new as the last
commit, so no update is lost and no deleted term leaves an orphan.

A write that still fails (lock timeout, disk error) is logged with its traceback and its ids
go to a small per-language journal (<index>.pending); the next successful write to that
index, `search_check --fix` or `rebuild_index` replays it. Nothing is silently dropped.
"""

import fcntl
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import signals
from django.utils import translation
from haystack import connections
from haystack.signals import BaseSignalProcessor

from glossary.models import Term
from kb.core.languages import language_codes

logger = logging.getLogger("glossary.search")

ATTEMPTS = 3


class TermSignalProcessor(BaseSignalProcessor):
    """Schedules index updates for saved or deleted terms, run after the commit."""

    def setup(self) -> None:
        signals.post_save.connect(self.term_changed, sender=Term)
        signals.post_delete.connect(self.term_changed, sender=Term)

    def teardown(self) -> None:
        signals.post_save.disconnect(self.term_changed, sender=Term)
        signals.post_delete.disconnect(self.term_changed, sender=Term)

    def term_changed(self, sender, instance: Term, **kwargs) -> None:
        schedule([instance.pk])


class _Batch:
    """The term ids saved in one transaction, indexed together by one after-commit call."""

    def __init__(self, ids: set[int]) -> None:
        self.ids = ids
        self.done = False

    def run(self) -> None:
        self.done = True
        sync_terms(sorted(self.ids))


def schedule(term_ids: Iterable[int]) -> None:
    """Re-index these terms in every language once the current transaction commits.

    All the saves of one transaction share one after-commit write per language (loading the
    glossary saves dozens of terms in one transaction). Ids whose savepoint was rolled back
    may stay in the batch: harmless, since each id is re-read from the database.
    """
    ids = {int(pk) for pk in term_ids if pk is not None}
    if not ids:
        return
    connection = transaction.get_connection()
    batch = getattr(connection, "_glossary_search_batch", None)
    if (
        batch is not None
        and not batch.done
        and connection.in_atomic_block
        and any(entry[1] == batch.run for entry in connection.run_on_commit)
    ):
        batch.ids |= ids
        return
    batch = _Batch(ids)
    connection._glossary_search_batch = batch
    transaction.on_commit(batch.run, robust=True)


def term_index():
    return connections["default"].get_unified_index().get_index(Term)


def backend(language: str):
    return connections[language].get_backend()


def _journal(language: str) -> Path | None:
    path = getattr(backend(language), "path", None)
    return Path(f"{path.rstrip('/')}.pending") if path else None


def _remember(language: str, ids: Iterable[int]) -> None:
    journal = _journal(language)
    if journal is None:
        return
    journal.parent.mkdir(parents=True, exist_ok=True)
    with open(journal, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.write("".join(f"{pk}\n" for pk in ids))


def _take_pending(language: str) -> set[int]:
    journal = _journal(language)
    if journal is None or not journal.exists():
        return set()
    with open(journal, "r+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        ids = {int(line) for line in handle.read().split() if line.isdigit()}
        handle.seek(0)
        handle.truncate()
    return ids


def pending_ids(language: str) -> set[int]:
    journal = _journal(language)
    if journal is None or not journal.exists():
        return set()
    return {int(line) for line in journal.read_text().split() if line.isdigit()}


def sync_terms(term_ids: Iterable[int], languages: Iterable[str] | None = None) -> bool:
    """Make each language index agree with the database for these terms.

    Returns True when every language was written; failures are logged, journaled and
    retried later (never raised to the visitor whose save already committed).
    """
    ok = True
    for language in languages or language_codes():
        ids = set(term_ids)
        for attempt in range(1, ATTEMPTS + 1):
            try:
                ids |= _take_pending(language)
                _write(language, ids)
                break
            except Exception:
                if attempt == ATTEMPTS:
                    logger.exception(
                        "Search index %s: could not index terms %s; queued for retry",
                        language,
                        sorted(ids),
                    )
                    _remember(language, ids)
                    ok = False
                else:
                    logger.warning(
                        "Search index %s: attempt %d failed, retrying", language, attempt
                    )
                    time.sleep(0.2 * attempt)
    return ok


def _write(language: str, ids: set[int]) -> None:
    """Under the index lock: read the terms from the database and write or delete them."""
    engine = backend(language)
    index = term_index()
    identifier = f"{Term._meta.app_label}.{Term._meta.model_name}.%s"
    if not hasattr(engine, "write"):  # another haystack engine: its own update/remove
        terms = list(index.index_queryset(using=language).filter(pk__in=ids))
        if terms:
            engine.update(index, terms)
        for pk in ids - {term.pk for term in terms}:
            engine.remove(identifier % pk)
        return
    with engine.write_lock():
        terms = list(index.index_queryset(using=language).filter(pk__in=ids))
        gone = [identifier % pk for pk in ids - {term.pk for term in terms}]
        engine.write_unlocked(index, terms, gone)


@dataclass
class CheckReport:
    language: str
    missing: list[int] = field(default_factory=list)  # in the database, not in the index
    stale: list[int] = field(default_factory=list)  # in both, with different text
    orphaned: list[str] = field(default_factory=list)  # in the index only
    pending: list[int] = field(default_factory=list)  # failed writes waiting for a retry

    @property
    def ok(self) -> bool:
        return not (self.missing or self.stale or self.orphaned or self.pending)


def check(language: str) -> CheckReport:
    """Compare one language index with the database (Whoosh: reads every stored document)."""
    from glossary.search.engine import stored_documents

    index = term_index()
    report = CheckReport(language)
    expected = {}
    with translation.override(language):
        for term in index.index_queryset(using=language):
            expected[term.pk] = index.prepare(term)["fingerprint"]
    found = stored_documents(language)
    for pk, print_ in expected.items():
        if pk not in found:
            report.missing.append(pk)
        elif found[pk] != print_:
            report.stale.append(pk)
    for pk in found:
        if pk not in expected:
            report.orphaned.append(f"glossary.term.{pk}")
    report.pending = sorted(pending_ids(language))
    return report


def fix(report: CheckReport) -> bool:
    """Repair what `check` found, in one write per language."""
    ids = {*report.missing, *report.stale, *report.pending}
    ids |= {int(identifier.rsplit(".", 1)[1]) for identifier in report.orphaned}
    return sync_terms(ids, [report.language]) if ids else True


def rebuild(language: str) -> int:
    """Rebuild one language index from the database; returns the number of documents."""
    engine = backend(language)
    index = term_index()
    _take_pending(language)  # a rebuild supersedes every queued retry
    queryset = index.index_queryset(using=language)
    if hasattr(engine, "rebuild"):
        return engine.rebuild(index, queryset.iterator(chunk_size=2000))
    engine.clear()
    engine.update(index, list(queryset))
    return queryset.count()
