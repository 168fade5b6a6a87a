"""A private copy of a cached aggregate, cheaper than `copy.deepcopy` and as safe.

The copy shares only values that cannot change (str, int, UUID, datetime, enum members,
frozen dataclasses and tuples made of such values); every list, dict and set is copied
afresh, and anything else goes to `copy.deepcopy`. One memo is used throughout, as
deepcopy does, so two references to one container stay one container in the copy.
"""

from __future__ import annotations

import dataclasses
from copy import deepcopy
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar
from uuid import UUID

from domain.protected import Erased

T = TypeVar("T")

_ATOMS: frozenset[type] = frozenset({
    str, int, float, bool, bytes, complex, type(None), UUID, date, datetime, time, timedelta, Decimal, Erased,
})
_frozen: dict[type, bool] = {}


def copy_aggregate(aggregate: T) -> T:
    """A copy that shares no mutable object with `aggregate`."""
    cls = type(aggregate)
    memo: dict[int, Any] = {}
    copy = cls.__new__(cls)
    memo[id(aggregate)] = copy
    copy.__dict__.update({name: _copy(value, memo) for name, value in aggregate.__dict__.items()})
    return copy


def is_immutable(value: Any) -> bool:
    cls = type(value)
    if cls in _ATOMS or isinstance(value, Enum):
        return True
    if cls is tuple or cls is frozenset:
        return all(is_immutable(v) for v in value)
    if _is_frozen_dataclass(cls):
        held = vars(value).values() if hasattr(value, "__dict__") else (
            getattr(value, f.name) for f in dataclasses.fields(value)
        )
        return all(is_immutable(v) for v in held)
    return False


def _copy(value: Any, memo: dict[int, Any]) -> Any:
    cls = type(value)
    if cls in _ATOMS:
        return value
    if id(value) in memo:
        return memo[id(value)]
    if cls is list:
        copied: Any = []
        memo[id(value)] = copied
        copied.extend(_copy(v, memo) for v in value)
    elif cls is dict:
        copied = {}
        memo[id(value)] = copied
        copied.update((_copy(k, memo), _copy(v, memo)) for k, v in value.items())
    elif cls is set and all(is_immutable(v) for v in value):
        copied = set(value)
        memo[id(value)] = copied
    elif is_immutable(value):
        return value
    else:
        return deepcopy(value, memo)
    _keep_alive(value, memo)
    return copied


def _keep_alive(value: Any, memo: dict[int, Any]) -> None:
    """As deepcopy does: keep the originals alive while the memo holds their ids."""
    memo.setdefault(id(memo), []).append(value)


def _is_frozen_dataclass(cls: type) -> bool:
    try:
        return _frozen[cls]
    except KeyError:
        params = getattr(cls, "__dataclass_params__", None)
        _frozen[cls] = params is not None and params.frozen
        return _frozen[cls]
