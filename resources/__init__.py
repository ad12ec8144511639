"""Data files shipped with the app (law library, guides, classification guide, styles), read through one helper."""

from __future__ import annotations

from functools import cache
from importlib import resources as _resources
from importlib.abc import Traversable


def resource_dir(*parts: str) -> Traversable:
    """A folder or file below resources/, wherever the app is installed or bundled."""
    node = _resources.files(__name__)
    for part in parts:
        node = node.joinpath(part)
    return node


@cache
def read_text(*parts: str) -> str:
    return resource_dir(*parts).read_text(encoding="utf-8")


@cache
def resource_names(*parts: str) -> frozenset[str]:
    """File names in a folder below resources/ (empty when the folder does not exist)."""
    node = resource_dir(*parts)
    return frozenset(child.name for child in node.iterdir()) if node.is_dir() else frozenset()
