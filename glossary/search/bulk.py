"""Writing a whole Whoosh index at once (rebuild_index): one segment, on two cores.

A rebuild has two halves of similar cost: reading and analysing the terms (database,
prepare, stemming) and Whoosh's posting writer (add_document, then the sorted commit).
With `procs` >= 2 the writer runs in a forked child process that receives the analysed
documents in batches through a pipe while this process reads the next ones, so the two
halves overlap. The child only touches the index files, never the database: it is safe
inside a transaction, and with SQLite in memory. Its failure is raised here, never lost.

Pure Whoosh and standard library: no Django import, so the codec below, which Whoosh
records in the index, can be unpickled anywhere.
"""

import multiprocessing
import traceback
from collections.abc import Iterable, Iterator

from whoosh import writing
from whoosh.codec.whoosh3 import W3Codec

BATCH_SIZE = 200  # documents per message: big enough to amortise pickling
CHILD_EXIT_TIMEOUT = 60  # seconds to wait for a child that was told to stop


class RebuildError(Exception):
    """The writer process failed; its message and traceback are in the text."""


class RebuildCodec(W3Codec):
    """Whoosh's codec without per-term length statistics, for full rebuilds.

    Those statistics (shortest and longest document of each posting block) only sharpen
    the block-skipping estimates of a top-N search, which this site does not use (its
    searches count every match); computing them took a quarter of a rebuild's commit.
    Documents' field lengths, which scoring needs, are still written.
    """

    length_stats = False


def write_all(index, documents: Iterable[dict], timeout: float, procs: int = 1) -> int:
    """Replace every document of `index` by `documents` (analysed), in one new segment.

    Returns the number of documents written. Nothing changes if anything fails.
    """
    if procs > 1 and "fork" in multiprocessing.get_all_start_methods():
        return _write_in_child(index, documents, timeout)
    return _write(index, documents, timeout)


def _write(index, documents: Iterable[dict], timeout: float) -> int:
    writer = index.writer(timeout=timeout, limitmb=256, codec=RebuildCodec())
    count = 0
    try:
        for doc in documents:
            writer.add_document(**doc)
            count += 1
    except BaseException:
        writer.cancel()
        raise
    # CLEAR drops every existing segment: the new documents replace them atomically.
    writer.commit(mergetype=writing.CLEAR)
    return count


def _write_in_child(index, documents: Iterable[dict], timeout: float) -> int:
    context = multiprocessing.get_context("fork")
    inbox, outbox = context.Pipe(duplex=False)  # documents: this process -> child
    result_in, result_out = context.Pipe(duplex=False)  # outcome: child -> this process
    child = context.Process(
        target=_child, args=(index, timeout, inbox, outbox, result_out), daemon=True
    )
    child.start()
    inbox.close()
    result_out.close()
    try:
        batch = []
        for doc in documents:
            batch.append(doc)
            if len(batch) >= BATCH_SIZE:
                outbox.send(batch)
                batch = []
        outbox.send(batch)
        outbox.send(None)  # the end: commit
    except BrokenPipeError:
        pass  # the child stopped reading: its outcome below says why
    except BaseException:
        outbox.close()  # the child sees the end of input without None and cancels
        child.join(CHILD_EXIT_TIMEOUT)
        raise
    outbox.close()
    try:
        outcome = result_in.recv()
    except EOFError:
        outcome = f"the writer process ended with exit code {child.exitcode} and no report"
    finally:
        child.join(CHILD_EXIT_TIMEOUT)
        result_in.close()
    if isinstance(outcome, int):
        return outcome
    raise RebuildError(outcome)


def _child(index, timeout, inbox, outbox, result) -> None:
    outbox.close()  # this process's copy: the parent's close must reach us as end of input
    try:
        count = _write(index, _received(inbox), timeout)
    except BaseException:
        inbox.close()
        result.send(traceback.format_exc())
    else:
        result.send(count)
    result.close()


def _received(inbox) -> Iterator[dict]:
    """Documents from the parent until its None; an early end of input is an error."""
    while True:
        try:
            batch = inbox.recv()
        except EOFError:
            raise RebuildError("the reading process stopped before the end") from None
        if batch is None:
            return
        yield from batch
