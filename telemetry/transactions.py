"""Write transactions that wait for a busy database and commit all or nothing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlite_utils import Database


@contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """One write transaction whose lock is taken up front (BEGIN IMMEDIATE).

    sqlite-utils commits each chunk of an ``insert_all`` on its own unless a transaction is
    already open; inside this one they become savepoints, so the whole block commits or
    none of it. IMMEDIATE takes the write lock at BEGIN, where the busy timeout applies: a
    deferred transaction that has read cannot wait for the lock later (SQLite answers
    SQLITE_BUSY at once) and its rows would be lost to a moment's contention.
    """
    if db.conn.in_transaction:  # a transaction left open (Python's implicit BEGIN): finish it with ours
        with db.conn:
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.conn.rollback()
        raise
    db.conn.commit()
