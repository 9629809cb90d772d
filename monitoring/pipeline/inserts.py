"""Rows of one model written with one INSERT per batch, without the ORM's compiler.

A poll stores twenty items and as many sightings: Django's bulk_create spent more
CPU compiling those two statements (one call chain per field of every row:
pre_save, get_db_prep_save, placeholder) than the database spent running them, a
fifth of a worker's CPU per source. The same statement is built here once per
batch: columns from the model's own fields (never typed by hand), each value
converted only when its field needs a conversion for this database (dates on
SQLite, JSON, UUIDs), and the new primary keys read back with RETURNING, in the
order of the rows, as bulk_create does.

Same contract as bulk_create: no save() or signals; defaults were applied when the
objects were built; a foreign key given as an object is read from it.
`ignore_conflicts=True` is "ON CONFLICT DO NOTHING" (and then, as bulk_create, no
primary key is set, since the rows skipped return none); with `returning` (a field
name) it answers that field's values for the rows actually written, so that the
caller knows which were skipped without reading them back.
"""

from operator import attrgetter

from django.db import connections, models, router
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init

# Fields whose Python value every backend takes as it is (the driver adapts it).
_PLAIN = (
    models.CharField,
    models.TextField,
    models.BooleanField,
    models.IntegerField,
    models.FloatField,
    models.ForeignKey,
)


def insert(objs: list, *, ignore_conflicts: bool = False, returning: str = "") -> list | None:
    """INSERT these objects of one model, setting their primary keys; the `returning`
    field's values of the rows written (None when this database cannot say)."""
    if not objs:
        return []
    model = type(objs[0])
    meta = model._meta
    alias = router.db_for_write(model)
    connection = connections[alias]
    pk = meta.pk
    fields = [f for f in meta.concrete_fields if not (f is pk and f.db_returning)]
    if len(fields) < len(meta.concrete_fields) and any(obj.pk is not None for obj in objs):
        raise ValueError("insert() writes new rows: the database gives their keys")
    # One C call reads a row's values; only the fields that need it are converted.
    values_of = attrgetter(*[f.attname for f in fields])
    convert = [(i, c) for i, f in enumerate(fields) if (c := converter(f, connection))]
    relations = [f for f in fields if f.is_relation]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    can_return = connection.features.can_return_rows_from_bulk_insert
    keys = not ignore_conflicts and can_return
    written = meta.get_field(returning) if returning and can_return else None
    suffix = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
    if keys:
        suffix += f" RETURNING {quote(pk.column)}"
    elif written is not None:
        suffix += f" RETURNING {quote(written.column)}"
    answer = [] if written is not None else None
    size = max(1, connection.ops.bulk_batch_size(fields, objs))
    table = quote(meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(objs), size):
            batch = objs[start : start + size]
            params = []
            for obj in batch:
                for field in relations:
                    # Sighting(item=item) built before item had its key: read it now.
                    if getattr(obj, field.attname) is None and field.is_cached(obj):
                        related = field.get_cached_value(obj)
                        setattr(obj, field.attname, related.pk if related else None)
                values = values_of(obj)
                if len(fields) == 1:
                    values = (values,)
                if convert:
                    values = list(values)
                    for i, conv in convert:
                        values[i] = conv(values[i])
                params.extend(values)
            values = ", ".join([row] * len(batch))
            # Names from the model, values as parameters.
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {values}{suffix}", params)  # noqa: S608
            if keys:
                rows = cursor.fetchall()
                for obj, (key,) in zip(batch, rows, strict=True):
                    obj.pk = key
                if written is not None:
                    answer += [getattr(obj, written.attname) for obj in batch]
            elif written is not None:
                answer += [written.to_python(value) for (value,) in cursor.fetchall()]
            for obj in batch:
                obj._state.adding = False
                obj._state.db = alias
    return answer


def converter(field, connection):
    """None when the driver takes the field's value as it is, else a function."""
    if isinstance(field, models.DateTimeField):
        if connection.vendor == "postgresql":
            return None  # the driver takes an aware datetime as it is
        adapt = connection.ops.adapt_datetimefield_value
        return lambda value: None if value is None else adapt(value)
    if isinstance(field, _PLAIN):
        return None
    return lambda value: field.get_db_prep_save(value, connection)


def new_row(model, **values):
    """model(**values) for a new row given by its fields' attnames (item_id, not item):
    the same object, built for a third of Model.__init__'s CPU (a poll builds forty,
    and __init__ handles positional values, related objects, properties, deferred
    fields and signals, none of which a row stored by insert() has). Fields left out
    take their defaults, as in __init__; with init signals listened to, __init__ runs."""
    if pre_init.has_listeners(model) or post_init.has_listeners(model):
        return model(**values)
    known = _defaults.get(model)
    if known is None:
        fields = [(f.attname, f.get_default) for f in model._meta.concrete_fields]
        known = _defaults[model] = (fields, frozenset(name for name, _ in fields))
    fields, names = known
    if not values.keys() <= names:
        raise TypeError(f"{model.__name__}: {sorted(values)} are not all field attnames")
    obj = model.__new__(model)
    obj._state = ModelState()
    row = obj.__dict__
    for name, default in fields:
        row[name] = values[name] if name in values else default()
    return obj


# model -> ([(attname, its default)], attnames): the models' own metadata, no data
_defaults: dict = {}
