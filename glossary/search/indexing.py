"""Index writes follow the database: saving or deleting a term, or one of its labels,
schedules its id, and after the transaction commits the search engine re-reads it
(SearchEngine.index).

Writing after the commit, never inside the request's transaction, is what lets the engine
read a committed state; all the saves of one transaction share one write per language.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import signals
from haystack.signals import BaseSignalProcessor

from glossary.models import Term, TermLabel
from glossary.search.engine import get_engine


class TermSignalProcessor(BaseSignalProcessor):
    """Schedules index updates for saved or deleted terms, run after the commit."""

    def setup(self) -> None:
        signals.post_save.connect(self.term_changed, sender=Term)
        signals.post_delete.connect(self.term_changed, sender=Term)
        # A term's labels are searched with it: editing one re-indexes the term.
        signals.post_save.connect(self.label_changed, sender=TermLabel)
        signals.post_delete.connect(self.label_changed, sender=TermLabel)

    def teardown(self) -> None:
        signals.post_save.disconnect(self.term_changed, sender=Term)
        signals.post_delete.disconnect(self.term_changed, sender=Term)
        signals.post_save.disconnect(self.label_changed, sender=TermLabel)
        signals.post_delete.disconnect(self.label_changed, sender=TermLabel)

    def term_changed(self, sender, instance: Term, **kwargs) -> None:
        schedule([instance.pk])

    def label_changed(self, sender, instance: TermLabel, **kwargs) -> None:
        schedule([instance.term_id])


class _Batch:
    """The term ids saved in one transaction, indexed together by one after-commit call."""

    def __init__(self, ids: set[int]) -> None:
        self.ids = ids
        self.done = False

    def run(self) -> None:
        self.done = True
        get_engine().index(sorted(self.ids))


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
