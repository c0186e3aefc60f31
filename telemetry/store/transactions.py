"""Write transactions that wait for a busy database and commit all or nothing, and the ids they insert."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlite_utils import Database
from sqlite_utils.db import Table

from game.errors import TelemetryError


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


def inserted_id(table: Table) -> int:
    """The integer id of the row ``table.insert`` just wrote (sqlite-utils types ``last_pk`` loosely as Any).

    Our ids are ``INTEGER PRIMARY KEY`` columns, which SQLite makes the rowid itself.
    """
    if table.last_rowid is None:
        raise TelemetryError(f"an insert into {table.name} gave no row id",
                             remedy="This is a bug in Proprio; please report it.")
    return table.last_rowid
