"""Pickled caches of what the matcher derives from the library and the examples."""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO


def digest(parts: Iterable[str]) -> str:
    """A digest of some texts in order; each is prefixed with its length, so that no two lists of
    texts run together into the same bytes."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8")
        hasher.update(f"{len(data)}:".encode())
        hasher.update(data)
    return hasher.hexdigest()


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
    with _replacing(path) as handle:
        pickle.dump(value, handle, protocol=5)


def write_text(path: Path, text: str) -> None:
    with _replacing(path) as handle:
        handle.write(text.encode("utf-8"))


@contextmanager
def _replacing(path: Path) -> Iterator[BinaryIO]:
    """A temporary file beside `path` that replaces it once written whole.

    The temporary name is unique: two processes that build the same cache at once (the desk and the
    command line, two evaluation runs) each write their own file, and the last complete one wins.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    tmp_path = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            yield handle
        tmp_path.replace(path)
    finally:
        tmp_path.unlink(missing_ok=True)
