"""Inserting many rows of one model at once, each with its history row (the audit trail), for imports.

The ORM's bulk_create prepares every value of every row through its field, tens of microseconds a row and
as much again for django-simple-history's rows. Here the caller gives per-row values the database takes
as they are (whole numbers, text, None), the columns shared by every row once (prepared by their field),
and every other column takes its field's default (auto_now fields: the time of the insert). PostgreSQL
takes the rows by binary COPY, their ids drawn from the table's sequence first (text COPY formats each
timestamp in Python, several times slower); other databases (SQLite 3.35+) by multi-row
``INSERT ... RETURNING``. (psycopg binds a long INSERT's parameters in Python: slow.)
"""

from collections.abc import Mapping, Sequence
from itertools import chain
from operator import itemgetter

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, models
from django.utils import timezone

MAX_PARAMS = 32_000  # per statement: PostgreSQL's protocol allows 65,535
MAX_ROWS = 2_000


def insert_with_history(model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[object]], *,
                        shared: Mapping[str, object] | None = None, user: AbstractBaseUser,
                        reason: str) -> list[int]:
    """Insert ``rows`` (values of ``columns``, field attnames) with ``shared`` values, and a "+" history row
    each by ``user`` for ``reason``; returns the new ids in the order of ``rows``."""
    now = timezone.now()
    shared = dict(shared or {})
    fields = {f.attname: f for f in model._meta.concrete_fields if not f.primary_key}
    unknown = set(columns) | set(shared)
    unknown -= fields.keys()
    if unknown:
        raise ValueError(f"{model.__name__} has no field {', '.join(sorted(unknown))}")
    for name, field in fields.items():
        if name not in shared and name not in columns:
            is_auto = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
            shared[name] = now if is_auto else field.get_default()
    constants = tuple(fields[name].get_db_prep_save(value, connection) for name, value in shared.items())
    names = [*columns, *shared]
    ids = _insert(model._meta.db_table, [fields[name] for name in names], rows, last=constants,
                  returning=model._meta.pk)

    history: type[models.Model] = model.history.model  # type: ignore[attr-defined]  # added by HistoricalRecords
    kept = {f.attname for f in history._meta.concrete_fields}
    positions = [index for index, name in enumerate(names) if name in kept]
    stamp = (history._meta.get_field("history_date").get_db_prep_save(now, connection), reason, "+", user.pk)
    history_fields = [history._meta.get_field(name) for name in
                      ("id", *(names[i] for i in positions), "history_date", "history_change_reason", "history_type",
                       "history_user_id")]
    if len(positions) == len(names):  # the usual case: history keeps every column
        _insert(history._meta.db_table, history_fields, rows, first=ids, last=(*constants, *stamp), returning=None)
    else:
        pick = itemgetter(*positions) if len(positions) > 1 else lambda row: (row[positions[0]],)
        _insert(history._meta.db_table, history_fields, [pick((*row, *constants)) for row in rows], first=ids,
                last=stamp, returning=None)
    return ids


def _insert(table: str, fields: Sequence[models.Field], rows: Sequence[Sequence[object]], *,
            first: Sequence[object] | None = None, last: Sequence[object] = (),
            returning: models.Field | None) -> list[int]:
    """Insert ``rows`` as values of ``fields``, each preceded by its value in ``first`` (if given) and followed
    by the values ``last``; the new values of ``returning`` (the primary key, then not in ``fields``), in order."""
    if connection.vendor == "postgresql":
        return _copy(table, fields, rows, first=first, last=last, returning=returning)
    full = [(*row, *last) for row in rows] if first is None else [
        (head, *row, *last) for head, row in zip(first, rows, strict=True)]
    quote = connection.ops.quote_name
    columns = [field.column for field in fields]
    size = max(1, min(MAX_ROWS, MAX_PARAMS // len(columns)))
    head = f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) VALUES "
    tail = f" RETURNING {quote(returning.column)}" if returning else ""
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(full), size):
            chunk = full[start:start + size]
            cursor.execute(head + ", ".join([one] * len(chunk)) + tail, list(chain.from_iterable(chunk)))
            if returning:
                ids.extend(row[0] for row in cursor.fetchall())
    return ids


def _copy(table: str, fields: Sequence[models.Field], rows: Sequence[Sequence[object]], *,
          first: Sequence[object] | None, last: Sequence[object], returning: models.Field | None) -> list[int]:
    """PostgreSQL: the ids from the primary key's sequence, then every row by one binary COPY."""
    quote = connection.ops.quote_name
    ids: list[int] = []
    if not rows:
        return ids
    with connection.cursor() as cursor:
        if returning:
            # The sequence's name first: pg_get_serial_sequence in the select list would run once per row.
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [quote(table), returning.column])
            sequence = cursor.fetchone()[0]
            cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, len(rows)])
            ids = [row[0] for row in cursor.fetchall()]
            fields, first = [returning, *fields], ids
        sql = f"COPY {quote(table)} ({', '.join(quote(f.column) for f in fields)}) FROM STDIN (FORMAT BINARY)"
        with cursor.cursor.copy(sql) as copy:  # the psycopg cursor under Django's wrapper
            # Binary values must have the column's exact type: "varchar(200)" is varchar, "integer" int4.
            copy.set_types([field.db_type(connection).split("(")[0] for field in fields])  # type: ignore[union-attr]
            write = copy.write_row
            if first is None:
                for row in rows:
                    write((*row, *last))
            else:
                for head, row in zip(first, rows, strict=True):
                    write((head, *row, *last))
    return ids
