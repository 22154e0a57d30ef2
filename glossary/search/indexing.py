"""Index writes follow the database: saving or deleting a term, or one of its labels,
schedules its id, and after the transaction commits the search engine re-reads it
(SearchEngine.index).

Writing after the commit, never inside the request's transaction, is what lets the engine
read a committed state; all the saves of one transaction share one write per language.

An engine whose documents live in the database (`transactional = True`: the PostgreSQL
engine) is written at once instead, inside the saving transaction: its documents commit or
roll back with the content, so they can never drift from it.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import signals
from haystack.signals import BaseSignalProcessor
from haystack.utils import get_model_ct

from glossary.models import Term, TermLabel
from glossary.search.engine import get_engine

TERM_LABEL = "glossary.term"


class TermSignalProcessor(BaseSignalProcessor):
    """Schedules index updates for saved or deleted terms, and for the rows of every other
    indexed model (knowledge-base articles), run after the commit."""

    def models(self) -> list:
        """Every indexed model but terms (their labels are watched instead: see setup)."""
        indexes = self.connections["default"].get_unified_index().get_indexes()
        return [model for model in indexes if model is not Term]

    def setup(self) -> None:
        for model in (Term, *self.models()):
            signals.post_save.connect(self.row_changed, sender=model)
            signals.post_delete.connect(self.row_changed, sender=model)
        # A term's labels are searched with it: editing one re-indexes the term.
        signals.post_save.connect(self.label_changed, sender=TermLabel)
        signals.post_delete.connect(self.label_changed, sender=TermLabel)

    def teardown(self) -> None:
        for model in (Term, *self.models()):
            signals.post_save.disconnect(self.row_changed, sender=model)
            signals.post_delete.disconnect(self.row_changed, sender=model)
        signals.post_save.disconnect(self.label_changed, sender=TermLabel)
        signals.post_delete.disconnect(self.label_changed, sender=TermLabel)

    def row_changed(self, sender, instance, **kwargs) -> None:
        schedule([instance.pk], get_model_ct(sender))

    def label_changed(self, sender, instance: TermLabel, **kwargs) -> None:
        schedule([instance.term_id])


class _Batch:
    """The ids saved in one transaction, per model, indexed together by one after-commit
    call."""

    def __init__(self) -> None:
        self.ids: dict[str, set[int]] = {}
        self.done = False

    def run(self) -> None:
        self.done = True
        engine = get_engine()
        for label, ids in self.ids.items():
            if label == TERM_LABEL:
                engine.index(sorted(ids))
            else:
                engine.index_documents(label, sorted(ids))


def schedule(ids: Iterable[int], label: str = "") -> None:
    """Re-index these rows (terms by default; else of the model `label`, e.g.
    "articles.article") in every language once the current transaction commits.

    All the saves of one transaction share one after-commit write per language (loading the
    glossary saves dozens of terms in one transaction). Ids whose savepoint was rolled back
    may stay in the batch: harmless, since each id is re-read from the database.
    """
    wanted = {int(pk) for pk in ids if pk is not None}
    if not wanted:
        return
    label = label or TERM_LABEL
    engine = get_engine()
    if getattr(engine, "transactional", False):
        # Same transaction, same connection: a failed write fails the save.
        if label == TERM_LABEL:
            engine.index(sorted(wanted))
        else:
            engine.index_documents(label, sorted(wanted))
        return
    connection = transaction.get_connection()
    batch = getattr(connection, "_glossary_search_batch", None)
    if not (
        batch is not None
        and not batch.done
        and connection.in_atomic_block
        and any(entry[1] == batch.run for entry in connection.run_on_commit)
    ):
        batch = _Batch()
        connection._glossary_search_batch = batch
        transaction.on_commit(batch.run, robust=True)
    batch.ids.setdefault(label, set()).update(wanted)
