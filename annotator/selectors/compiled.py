"""Querysets whose SQL Django builds once per process and database, then only runs with new values.

Building SQL from a queryset (joins, subqueries, annotations) costs a request more CPU than the database
needs to run it: about 1 ms against 0.1 ms for an access check. The queries every API request makes (the
token's user, the object and the caller's role in its project) are written as ordinary ``values_list``
querysets whose lookups take placeholder values; Django compiles each on first use for each database alias,
and later calls send the same SQL with the caller's values, through the same field converters as the ORM.
"""

import functools
from collections.abc import Callable, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet

_BIGINT_MIN, _BIGINT_MAX = -(2**63), 2**63 - 1
_INT_PLACEHOLDER = -(2**62)  # far from any id, offset or score a caller passes
_STR_PLACEHOLDER = "\x1ecompiled-query-{}\x1e"


@dataclass(frozen=True, slots=True)
class _Plan:
    sql: str
    # Each query parameter: the caller's value of that name (True, name) or a constant of the queryset (False, v).
    parameters: tuple[tuple[bool, Any], ...]
    converters: Mapping[int, tuple[Sequence[Callable[..., Any]], Any]]


class CompiledQuery:
    """A ``values_list`` queryset, built by ``build(**placeholders)``, compiled once per database alias.

    ``parameters`` names each value the queryset takes and its type (int or str). The values may appear
    only as plain equality lookups (``pk=id``, ``key=key``): a lookup that rewrites its value (``icontains``)
    is refused when the query is compiled, since the placeholder would not be found among the parameters,
    and an int beyond a 64-bit column's range matches no row.
    """

    def __init__(self, build: Callable[..., QuerySet[Any]], **parameters: type) -> None:
        unsupported = [name for name, kind in parameters.items() if kind not in (int, str)]
        if unsupported:
            raise TypeError(f"compiled query parameters are int or str: {', '.join(unsupported)}")
        self._build = build
        self._parameters = parameters
        self._plans: dict[str, _Plan] = {}

    def rows(self, *, using: str = DEFAULT_DB_ALIAS, **values: Any) -> list[tuple[Any, ...]]:
        """The query's rows for these values, converted like ``values_list`` converts them."""
        if values.keys() != self._parameters.keys():
            raise TypeError(f"expected the values {sorted(self._parameters)}, got {sorted(values)}")
        for name, kind in self._parameters.items():
            if type(values[name]) is not kind:
                raise TypeError(f"{name} must be {kind.__name__}, got {type(values[name]).__name__}")
            if kind is int and not _BIGINT_MIN <= values[name] <= _BIGINT_MAX:
                return []  # equal to no column value, as the ORM answers (the databases would refuse it)
        plan = self._plans.get(using) or self._compile(using)
        connection = connections[using]
        parameters = [values[value] if named else value for named, value in plan.parameters]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql" and connection.connection.prepare_threshold is not None:
                rows = _fetch_prepared(connection, cursor, plan.sql, parameters)
            else:
                cursor.execute(plan.sql, parameters)
                rows = cursor.fetchall()
        if not plan.converters:
            return rows
        # As compiler.apply_converters does, but with this thread's connection, not the compiling thread's.
        converted = []
        for row in rows:
            values_out = list(row)
            for position, (functions, expression) in plan.converters.items():
                value = values_out[position]
                for function in functions:
                    value = function(value, expression, connection)
                values_out[position] = value
            converted.append(tuple(values_out))
        return converted

    def first(self, *, using: str = DEFAULT_DB_ALIAS, **values: Any) -> tuple[Any, ...] | None:
        """The first row, or None; the queryset should be sliced to one row (``[:1]``)."""
        rows = self.rows(using=using, **values)
        return rows[0] if rows else None

    def _compile(self, using: str) -> _Plan:
        placeholders: dict[str, Any] = {}
        for index, (name, kind) in enumerate(self._parameters.items()):
            placeholders[name] = _INT_PLACEHOLDER - index if kind is int else _STR_PLACEHOLDER.format(index)
        names_of = {(type(value), value): name for name, value in placeholders.items()}
        compiler = self._build(**placeholders).query.get_compiler(using=using)
        sql, raw_parameters = compiler.as_sql()
        parameters: list[tuple[bool, Any]] = []
        for value in raw_parameters:
            name = names_of.get((type(value), value))
            if name is not None:
                parameters.append((True, name))
                continue
            if isinstance(value, str) and "\x1ecompiled-query-" in value:
                raise ValueError(f"a lookup rewrites a compiled query's value: {value!r}")
            parameters.append((False, value))
        missing = set(self._parameters) - {value for named, value in parameters if named}
        if missing:
            raise ValueError(f"the compiled query does not use {sorted(missing)} as a plain lookup value")
        columns = [column for column, _, _ in compiler.select[: compiler.col_count]]
        plan = _Plan(sql, tuple(parameters), compiler.get_converters(columns))
        self._plans[using] = plan
        return plan


@functools.cache
def _native_timestamp_loader() -> tuple[int, type]:
    """timestamptz's oid and psycopg's own text loader for it."""
    import psycopg  # only on PostgreSQL

    oid = psycopg.postgres.types["timestamptz"].oid
    return oid, psycopg.adapters.get_loader(oid, psycopg.pq.Format.TEXT)


def _fetch_prepared(connection: Any, django_cursor: Any, sql: str, parameters: list[Any]) -> list[tuple[Any, ...]]:
    """The rows of ``sql`` run as a prepared statement of the connection's PostgreSQL session.

    Django sends every query with its values inlined, so PostgreSQL plans each anew: for the access checks
    planning costs several times the execution. A prepared statement is planned once per connection (a
    generic plan after five runs). It runs on a psycopg cursor with server-side binding, next to Django's
    cursor (which opened and health-checked the connection), logged in debug and with its errors translated
    as for any query. Prepared statements need the connection's prepare_threshold (settings.py sets it unless
    DB_PREPARED_STATEMENTS=0: behind a transaction-mode pooler older than PgBouncer 1.21).

    Timestamps are read with psycopg's own loader (in C with psycopg[binary]): Django registers a Python
    loader so that values carry its time zone object; psycopg's gives the same instants in the session's
    zone (UTC, as Django sets it). On a 60-span list the Python loader cost more than the query."""
    import psycopg  # only on PostgreSQL

    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.adapters.register_loader(*_native_timestamp_loader())
        logged = getattr(django_cursor, "debug_sql", None)  # the debug wrapper, when queries are logged
        with logged(sql, parameters) if logged else nullcontext():
            cursor.execute(sql, parameters, prepare=True)
        return cursor.fetchall()


@functools.cache
def _attnames(model: type[Model]) -> tuple[str, ...]:
    return tuple(field.attname for field in model._meta.concrete_fields)


def columns(model: type[Model], path: str = "") -> list[str]:
    """The lookups of every concrete column of ``model``, reached through ``path`` ("article__project")."""
    prefix = f"{path}__" if path else ""
    return [prefix + name for name in _attnames(model)]


def instances(row: Sequence[Any], *models: type[Model], using: str = DEFAULT_DB_ALIAS) -> list[Any]:
    """Instances of ``models`` read one after another from the start of ``row``, each from its
    ``columns(model)`` values, as the ORM loads them; None where the primary key is NULL (an outer join
    found nothing). Columns after the last model's are left to the caller."""
    found: list[Model | None] = []
    start = 0
    for model in models:
        names = _attnames(model)
        values = row[start:start + len(names)]
        start += len(names)
        found.append(None if values[names.index(model._meta.pk.attname)] is None
                     else model.from_db(using, names, values))
    return found
