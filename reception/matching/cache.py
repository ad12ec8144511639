"""Pickled caches of what the matcher derives from the library and the examples."""

from __future__ import annotations

import gc
import pickle
from pathlib import Path
from typing import Any


def read_pickle(path: Path) -> Any | None:  # noqa: ANN401
    """The cached object, or None when the file is missing or damaged (the caller rebuilds it).

    The garbage collector is paused while reading: unpickling creates some hundred thousand small
    objects, each batch of which would trigger a full collection, and that tripled the load time.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError, TypeError):
        return None
    finally:
        if enabled:
            gc.enable()


def write_pickle(path: Path, value: Any) -> None:  # noqa: ANN401
    """Write through a temporary file, so that a crash never leaves a half-written cache behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp_path = path.with_suffix(".tmp")
    with tmp_path.open("wb") as handle:
        pickle.dump(value, handle, protocol=5)
    tmp_path.replace(path)
