"""Document content to JSON and back, so a reprint is built from exactly what was issued."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import types
import typing


def _plain(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def dumps(content: object) -> str:
    return json.dumps(_plain(content), ensure_ascii=False, sort_keys=True)


def _build(kind: object, value: object) -> object:
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = [k for k in typing.get_args(kind) if k is not type(None)]
        return None if value is None else _build(options[0], value)
    if origin is tuple:
        args = typing.get_args(kind)
        item_kind = args[0] if len(args) == 2 and args[1] is Ellipsis else object
        if len(args) > 1 and args[1] is not Ellipsis:
            return tuple(_build(k, v) for k, v in zip(args, value, strict=True))
        return tuple(_build(item_kind, v) for v in value)
    if kind is dt.datetime:
        return dt.datetime.fromisoformat(value)
    if kind is dt.date:
        return dt.date.fromisoformat(value)
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        # A field added after a document was issued is missing from its snapshot: it keeps its default.
        return kind(
            **{
                f.name: _build(hints[f.name], value[f.name])
                for f in dataclasses.fields(kind)
                if f.init and f.name in value
            }
        )
    return value


def loads(cls: type, text: str) -> object:
    return _build(cls, json.loads(text))
