"""Where data lives and which database to open (platformdirs; --db or RECEPTION_DB_URL override)."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "reception"
APP_AUTHOR = "reception"
DB_URL_ENV = "RECEPTION_DB_URL"
DATA_DIR_ENV = "RECEPTION_DATA_DIR"


def data_dir() -> Path:
    """The per-user data folder (created on demand); RECEPTION_DATA_DIR overrides it, e.g. in tests."""
    override = os.environ.get(DATA_DIR_ENV)
    path = Path(override) if override else user_data_path(APP_NAME, APP_AUTHOR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_url() -> str:
    return f"sqlite:///{(data_dir() / 'reception.sqlite3').as_posix()}"


def resolve_db_url(cli_value: str | None = None) -> str:
    """The database URL: the --db option, then RECEPTION_DB_URL, then the embedded SQLite file."""
    if cli_value:
        return cli_value
    return os.environ.get(DB_URL_ENV) or default_db_url()
