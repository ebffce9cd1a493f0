"""Deleting aggregate rows whose counters all reached zero (after an erasure or a replaced answer).

A row of zeros and a missing row mean the same to every reader; deleting the zeros makes an aggregate table a
function of the stored ratings alone, so "erased" and "never arrived" are equal row for row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, bindparam, delete
from sqlalchemy.orm import Session


def delete_zero_rows(session: Session, table: Table, key_columns: Sequence[str], keys: Sequence[Sequence[Any]],
                     counters: Sequence[ColumnElement[int]]) -> None:
    """Delete the rows of ``table`` matching any of ``keys`` (values of ``key_columns``, which may be a prefix
    of the primary key) whose ``counters`` (columns of ``table``) are all zero. Concurrent writers are safe: a row
    a concurrent transaction incremented no longer matches once that transaction commits."""
    if not keys:
        return
    stmt = delete(table).where(
        and_(*(table.c[name] == bindparam(f"k_{name}") for name in key_columns)),
        *(counter == 0 for counter in counters),
    )
    session.execute(stmt, [{f"k_{name}": value for name, value in zip(key_columns, key, strict=True)}
                           for key in keys])
