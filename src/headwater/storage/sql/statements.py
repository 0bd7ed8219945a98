"""Dialect-specific statements: upserts, insert-or-ignore, inserts that return their ids.

Statements run on the hot path (a step's batch) are built once per shape and cached, so a batch
costs SQLAlchemy a cache lookup, not a compile; rows go through ``executemany``.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa

_UPSERTS: dict[tuple[str, str, tuple[str, ...], tuple[str, ...]], Any] = {}


def _upsert_statement(dialect: str, table: sa.Table, keys: tuple[str, ...], columns: tuple[str, ...]) -> Any:
    cache_key = (dialect, table.name, keys, columns)
    stmt = _UPSERTS.get(cache_key)
    if stmt is not None:
        return stmt
    if dialect == "mysql":
        from sqlalchemy.dialects.mysql import insert as mysql_insert

        my = mysql_insert(table)
        stmt = my.on_duplicate_key_update({c: my.inserted[c] for c in columns})
    elif dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        pg = pg_insert(table)
        stmt = pg.on_conflict_do_update(index_elements=list(keys), set_={c: pg.excluded[c] for c in columns})
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        lite = sqlite_insert(table)
        stmt = lite.on_conflict_do_update(
            index_elements=list(keys), set_={c: lite.excluded[c] for c in columns}
        )
    _UPSERTS[cache_key] = stmt
    return stmt


def upsert_many(
    conn: sa.Connection, table: sa.Table, keys: Sequence[str], rows: Sequence[Mapping[str, Any]]
) -> None:
    """Insert each row, or update its non-key columns on the row with the same unique ``keys``.

    Rows are grouped by the columns they set (one ``executemany`` per group), in the given order:
    give them sorted by key so that concurrent writers lock rows in one order."""
    key_tuple = tuple(keys)
    groups: dict[tuple[str, ...], list[Mapping[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(c for c in row if c not in key_tuple), []).append(row)
    for columns, group in groups.items():
        if conn.dialect.name == "sqlite":
            names = key_tuple + columns
            sql = _sqlite_upsert_sql(table.name, key_tuple, columns)
            _sqlite_executemany(conn, sql, [tuple(row[c] for c in names) for row in group])
        else:
            conn.execute(_upsert_statement(conn.dialect.name, table, key_tuple, columns), group)


@functools.cache
def _sqlite_upsert_sql(table: str, keys: tuple[str, ...], columns: tuple[str, ...]) -> str:
    names = ", ".join(f'"{c}"' for c in keys + columns)
    marks = ", ".join("?" for _ in keys + columns)
    updates = ", ".join(f'"{c}" = excluded."{c}"' for c in columns)
    conflict = ", ".join(f'"{c}"' for c in keys)
    return (
        f'INSERT INTO "{table}" ({names}) VALUES ({marks}) ON CONFLICT ({conflict}) DO UPDATE SET {updates}'
    )


def sqlite_rows(conn: sa.Connection, sql: str, params: tuple[Any, ...]) -> list[Any]:
    """Rows of a SELECT run straight on the sqlite3 connection of ``conn`` (for reads of many rows,
    where SQLAlchemy's per-row work would dominate)."""
    dbapi_connection = conn.connection.driver_connection
    assert isinstance(dbapi_connection, sqlite3.Connection)
    try:
        return dbapi_connection.execute(sql, params).fetchall()
    except sqlite3.Error as exc:
        raise sa.exc.DBAPIError.instance(sql, params, exc, sqlite3.Error) from exc


def select_all(conn: sa.Connection, query: sa.Select[Any], many: bool) -> Sequence[Any]:
    """The rows of ``query``; when ``many`` (a whole table) on SQLite, read straight from sqlite3."""
    if many and conn.dialect.name == "sqlite":  # many rows: skip SQLAlchemy's per-row work
        return sqlite_rows(conn, str(query.compile(dialect=conn.dialect)), ())
    return conn.execute(query).all()


def _sqlite_executemany(conn: sa.Connection, sql: str, params: list[tuple[Any, ...]]) -> Any:
    """``executemany`` straight on the sqlite3 connection, inside ``conn``'s transaction (the hot path
    skips SQLAlchemy's per-statement work); errors come out as SQLAlchemy's, as from ``execute``."""
    dbapi_connection = conn.connection.driver_connection
    assert isinstance(dbapi_connection, sqlite3.Connection)
    cursor = dbapi_connection.cursor()
    try:
        return cursor.executemany(sql, params) if len(params) != 1 else cursor.execute(sql, params[0])
    except sqlite3.Error as exc:
        raise sa.exc.DBAPIError.instance(sql, params, exc, sqlite3.Error) from exc
    finally:
        cursor.close()


def upsert(conn: sa.Connection, table: sa.Table, keys: Mapping[str, Any], values: Mapping[str, Any]) -> None:
    """Insert a row, or update ``values`` on the row with these unique ``keys``."""
    upsert_many(conn, table, list(keys), [{**keys, **values}])


def insert_event_rows(conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` (dicts with the same keys, in the same order, into a table with an
    autoincrement ``id``); return their ids in order.

    SQLite: straight on the sqlite3 connection. The caller holds the write lock (``BEGIN
    IMMEDIATE``), so the rows get consecutive ids ending at the connection's last rowid. In memory, one
    multi-row INSERT per 500 rows; on a file, an ``executemany`` of one-row INSERTs (measured on SQLite
    3.40, 10-row batches: ~75 against ~105 us in memory, ~195 against ~240 us on a file; giving the ids
    explicitly was slower in both). Elsewhere: one INSERT ... RETURNING where the driver can, a row at
    a time where it cannot."""
    if conn.dialect.name != "sqlite":
        return insert_returning_ids(conn, table, rows)
    columns = tuple(rows[0])
    if conn.engine.url.database in (None, "", ":memory:"):
        ids: list[int] = []
        for start in range(0, len(rows), _SQLITE_ROWS_PER_INSERT):
            chunk = rows[start : start + _SQLITE_ROWS_PER_INSERT]
            sql = _sqlite_insert_sql(table.name, columns, len(chunk))
            last = _sqlite_execute(conn, sql, [v for row in chunk for v in row.values()]).lastrowid
            assert last is not None  # set by every INSERT
            ids.extend(range(last - len(chunk) + 1, last + 1))
        return ids
    _sqlite_executemany(conn, _sqlite_insert_sql(table.name, columns, 1), [tuple(r.values()) for r in rows])
    [(last,)] = sqlite_rows(conn, "SELECT last_insert_rowid()", ())
    return list(range(last - len(rows) + 1, last + 1))


_SQLITE_ROWS_PER_INSERT = 500  # x 8 columns: well under SQLite's 32,766 parameters per statement


@functools.lru_cache(maxsize=1024)
def _sqlite_insert_sql(table: str, columns: tuple[str, ...], count: int) -> str:
    row = "(" + ", ".join("?" for _ in columns) + ")"
    names = ", ".join(f'"{c}"' for c in columns)
    return f'INSERT INTO "{table}" ({names}) VALUES ' + ", ".join([row] * count)


def _sqlite_execute(conn: sa.Connection, sql: str, params: list[Any]) -> sqlite3.Cursor:
    """One statement straight on the sqlite3 connection of ``conn``, inside its transaction."""
    dbapi_connection = conn.connection.driver_connection
    assert isinstance(dbapi_connection, sqlite3.Connection)
    try:
        return dbapi_connection.execute(sql, params)
    except sqlite3.Error as exc:
        raise sa.exc.DBAPIError.instance(sql, params, exc, sqlite3.Error) from exc


def insert_ignore(conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows``, skipping any that collide with a unique key."""
    if not rows:
        return
    name = conn.dialect.name
    if name == "mysql":
        conn.execute(sa.insert(table).prefix_with("IGNORE"), rows)
    elif name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        conn.execute(pg_insert(table).on_conflict_do_nothing(), rows)
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        conn.execute(sqlite_insert(table).on_conflict_do_nothing(), rows)


def insert_returning_ids(conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` in one statement where the driver can; return their ids in order."""
    if conn.dialect.insert_executemany_returning_sort_by_parameter_order:
        stmt = sa.insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return [row[0] for row in conn.execute(stmt, rows)]
    ids: list[int] = []
    for row in rows:
        key = conn.execute(sa.insert(table), row).inserted_primary_key
        assert key is not None
        ids.append(int(key[0]))
    return ids
