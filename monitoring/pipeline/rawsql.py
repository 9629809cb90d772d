"""The poll's small statements, written once from the models and run without the ORM.

A poll runs a dozen small statements (the sightings already seen, the items known by
URL or content, the source's new state, its lease, its log). Each cost the ORM more
CPU to build (queryset cloning, lookups, compiler) than PostgreSQL spent running it
(README, bench poll, run 5). Here the tables and columns still come from
the models (never typed by hand), the values go as parameters, and what comes back is
converted by the database backend's own converters (dates on SQLite), as the ORM
does: the same rows, for less work. See inserts.py for the INSERTs.
"""

from django.db import DatabaseError, connections, router

from monitoring.pipeline.inserts import converter


def _connection(model):
    return connections[router.db_for_write(model)]


def table(model) -> str:
    connection = _connection(model)
    return connection.ops.quote_name(model._meta.db_table)


def column(model, name: str) -> str:
    connection = _connection(model)
    return connection.ops.quote_name(model._meta.get_field(name).column)


def param(model, name: str, value):
    """`value` as the database stores the field (a UUID on SQLite is its hex)."""
    field = model._meta.get_field(name)
    return field.get_db_prep_value(value, _connection(model), prepared=False)


def placeholders(values) -> str:
    """The placeholders of an IN list (never empty: callers skip an empty set)."""
    return ", ".join(["%s"] * len(values))


def cursor(model):
    """A cursor on `model`'s database, for a statement of several tables."""
    return _connection(model).cursor()


def _read(field, connection):
    """None when the database's value is the ORM's, else the function converting it."""
    col = field.get_col(field.model._meta.db_table)
    found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
    if not found:
        return None

    def read(value):
        for convert in found:
            value = convert(value, col, connection)
        return value

    return read


def reader(model, name: str):
    """The function turning a value of this field read by raw SQL into the ORM's."""
    return _read(model._meta.get_field(name), _connection(model)) or (lambda value: value)


def select(model, names: list[str], where: str, params) -> list[tuple]:
    """Rows of these fields of `model` matching `where` (SQL with %s parameters)."""
    connection = _connection(model)
    meta = model._meta
    fields = [meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    sql = f"SELECT {columns} FROM {quote(meta.db_table)} WHERE {where}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    readers = [_read(f, connection) for f in fields]
    if not any(readers):
        return rows
    return [
        tuple(v if read is None else read(v) for read, v in zip(readers, row, strict=True))
        for row in rows
    ]


def load(model, where: str, params, order_by: str = "") -> list:
    """Instances of `model` matching `where`, every concrete field loaded."""
    names = [f.attname for f in model._meta.concrete_fields]
    if order_by:
        where = f"{where} ORDER BY {order_by}"
    alias = router.db_for_write(model)
    return [model.from_db(alias, names, row) for row in select(model, names, where, params)]


def load_any(model, wheres: list[tuple[str, list]]) -> list:
    """Instances of `model` matching any of `wheres` ((SQL, params) pairs), each once,
    by primary key: one statement, each condition its own SELECT.

    Not `w1 OR w2`: PostgreSQL plans an OR of two IN lists with both indexes only
    when the table has statistics, and scans the whole table when it has none yet
    (a new table before autovacuum's first ANALYZE: 2 ms a poll at 6,000 items, and
    growing with them). Each IN list alone is read from its index either way.
    """
    names = [f.attname for f in model._meta.concrete_fields]
    pk = column(model, model._meta.pk.name)
    first, *others = wheres
    columns = ", ".join(column(model, name) for name in names)
    where = first[0] + "".join(
        f" UNION ALL SELECT {columns} FROM {table(model)} WHERE {other}"  # noqa: S608
        for other, _ in others
    )
    params = [p for _, ps in wheres for p in ps]
    alias = router.db_for_write(model)
    seen, found = set(), []
    for row in select(model, names, f"{where} ORDER BY {pk}", params):
        obj = model.from_db(alias, names, row)
        if obj.pk not in seen:  # found under both keys
            seen.add(obj.pk)
            found.append(obj)
    return found


def update(obj, names: list[str]) -> None:
    """UPDATE these fields of `obj`'s row, as save(update_fields=...) does (and as
    it, an error when the row is gone), without signals nor the compiler."""
    model = type(obj)
    key = column(model, model._meta.pk.name)
    if not update_where(model, {n: getattr(obj, n) for n in names}, f"{key} = %s", [obj.pk]):
        raise DatabaseError("Save with update_fields did not affect any rows.")


def update_where(model, values: dict, where: str, params) -> int:
    """SET these fields (attname -> value) on the rows matching `where`."""
    connection = _connection(model)
    meta = model._meta
    quote = connection.ops.quote_name
    sets, args = [], []
    for name, value in values.items():
        field = meta.get_field(name)
        convert = converter(field, connection)
        sets.append(f"{quote(field.column)} = %s")
        args.append(value if convert is None else convert(value))
    sql = f"UPDATE {quote(meta.db_table)} SET {', '.join(sets)} WHERE {where}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*args, *params])
        return cursor.rowcount
