"""The cache's JSON of records is byte for byte what `dataclasses.asdict` gave."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

import pytest
from helpers import SHIPPED

from osteo_cli.knowledge import cache, parse


def _asdict_json(value: Any) -> bytes:
    return json.dumps(dataclasses.asdict(value), default=dt.date.isoformat, separators=(",", ":")).encode()


def test_records_dump_as_asdict_did() -> None:
    kb, _ = parse(SHIPPED.read_bytes())
    assert kb is not None
    assert cache.dump_records(kb) == _asdict_json(kb)
    for section in cache.SECTIONS:
        for item in getattr(kb, section):
            assert cache.dump_records(item) == _asdict_json(item)
    head = {f: getattr(kb, f) for f in cache.HEAD}
    plain = {
        f: dataclasses.asdict(v) if dataclasses.is_dataclass(v) and not isinstance(v, type) else v
        for f, v in head.items()
    }
    assert (
        cache.dump_records({"fields": head})
        == json.dumps({"fields": plain}, default=dt.date.isoformat, separators=(",", ":")).encode()
    )


def test_anything_else_is_refused_as_json_refuses_it() -> None:
    with pytest.raises(TypeError):
        cache.dump_records({"x": object()})
