"""Layering: no Qt in reception/ or db/; db/ never reaches up into reception services or ui."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _imports(folder: str) -> list[tuple[str, str]]:
    found = []
    for path in (ROOT / folder).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found += [(str(path.relative_to(ROOT)), alias.name) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                found += [(str(path.relative_to(ROOT)), node.module)]
    return found


def test_domain_and_db_have_no_qt():
    offenders = [
        (f, m)
        for folder in ("reception", "db")
        for f, m in _imports(folder)
        if m.split(".")[0] in ("PySide6", "PyQt5", "PyQt6", "shiboken6")
    ]
    assert offenders == []


def test_domain_and_db_do_not_import_ui():
    offenders = [(f, m) for folder in ("reception", "db") for f, m in _imports(folder) if m.split(".")[0] == "ui"]
    assert offenders == []


def test_db_does_not_import_services():
    allowed = {"reception.textsearch", "reception.config"}
    offenders = [(f, m) for f, m in _imports("db") if m.startswith("reception") and m not in allowed]
    assert offenders == []


def test_layer_check_sees_imports():
    # Guard against the walker silently finding nothing.
    assert any(m == "PySide6.QtWidgets" for _, m in _imports("ui"))
