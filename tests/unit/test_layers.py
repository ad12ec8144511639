"""Layering ui → reception → db, with no exception: no Qt below ui/, and db/ imports nothing above it."""

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


def _imported_by_name(source: str) -> list[str]:
    """Modules named in importlib.import_module("…") or __import__("…"): imports the statement walk misses."""
    names = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        called = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        first = node.args[0]
        if called in ("import_module", "__import__") and isinstance(first, ast.Constant):
            names.append(str(first.value))
    return names


def test_domain_and_db_do_not_import_ui():
    # No exception for the command line either: the window is started by ui.desk.app (`reception-desk`).
    offenders = [(f, m) for folder in ("reception", "db") for f, m in _imports(folder) if m.split(".")[0] == "ui"]
    for folder in ("reception", "db"):
        for path in (ROOT / folder).rglob("*.py"):
            names = _imported_by_name(path.read_text(encoding="utf-8"))
            offenders += [(str(path.relative_to(ROOT)), m) for m in names if m.split(".")[0] == "ui"]
    assert offenders == []


def test_ui_check_sees_imports_by_name():
    # Guard against the by-name walker silently finding nothing (this is how cli.py once started the desk).
    source = 'import importlib\nimportlib.import_module("ui.desk.app")\n__import__("ui")'
    assert _imported_by_name(source) == ["ui.desk.app", "ui"]


def test_db_does_not_import_reception():
    offenders = [(f, m) for f, m in _imports("db") if m.split(".")[0] == "reception"]
    assert offenders == []


def test_layer_check_sees_imports():
    # Guard against the walker silently finding nothing.
    assert any(m == "PySide6.QtWidgets" for _, m in _imports("ui"))
