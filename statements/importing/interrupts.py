"""Ctrl-C during an import, at a point where stopping leaves the database clean.

    with InterruptBetweenArticles() as interrupts:
        importer = Importer(extractor=interrupts.extractor(), ...)
        importer.run(paths)      # KeyboardInterrupt, only ever at a safe point

A KeyboardInterrupt raised while a query or a COMMIT is on the wire leaves the psycopg
connection busy: the rollback that follows fails, its error replaces the interrupt, and
the run carries on with every later article failing ("another command is already in
progress"). Raised inside an article's transaction, it rolls back an article the summary
may have counted already. So SIGINT is raised at once only where no transaction is
open and no command is in flight (reading files, extracting); anywhere else it is held
and raised at the next safe point: when the query in flight has finished outside a
transaction, or before the next article is handed over by the extractor, after the
last one was committed (or rolled back). A dry run, one transaction rolled back at the
end, stops between articles too.
"""

import contextlib
import signal

from django.db import connection


def _idle() -> bool:
    """No transaction open and no command in flight on the default connection."""
    if connection.in_atomic_block:
        return False
    raw = connection.connection
    info = getattr(
        raw, "info", None
    )  # psycopg's; SQLite's calls finish before a signal
    if info is None:
        return True
    from psycopg.pq import TransactionStatus

    return info.transaction_status == TransactionStatus.IDLE


class _Extractor:
    """The importer's extractor, handing over results only while no Ctrl-C is held."""

    def __init__(self, interrupts, extractor=None):
        self.interrupts = interrupts
        self.inner = extractor

    def _extractor(self):
        if self.inner is None:
            # Built when first used, as the importer does: after the topics exist.
            from .service import get_extractor

            self.inner = get_extractor()
        return self.inner

    def pipe(self, texts, **kwargs):
        for result in self._extractor().pipe(texts, **kwargs):
            self.interrupts.stop_if_asked()
            yield result

    def extract(self, text):
        self.interrupts.stop_if_asked()
        return self._extractor().extract(text)


class InterruptBetweenArticles:
    """A context manager: inside it, SIGINT raises KeyboardInterrupt at safe points only.
    Give the importer `extractor()`, whose results stop coming once Ctrl-C is pressed."""

    def __init__(self):
        self.asked = False
        self._stack = None

    def extractor(self, extractor=None):
        return _Extractor(self, extractor)

    def stop_if_asked(self):
        if self.asked:
            raise KeyboardInterrupt

    def _on_sigint(self, signum, frame):
        self.asked = True
        if _idle():
            raise KeyboardInterrupt

    def _around_query(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if self.asked and _idle():
            raise KeyboardInterrupt
        return result

    def __enter__(self):
        self._stack = contextlib.ExitStack()
        previous = signal.signal(signal.SIGINT, self._on_sigint)
        self._stack.callback(signal.signal, signal.SIGINT, previous)
        self._stack.enter_context(connection.execute_wrapper(self._around_query))
        return self

    def __exit__(self, *exc):
        return self._stack.__exit__(*exc)
