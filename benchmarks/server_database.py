"""The visit list, ID lookup and free-text search on PostgreSQL at 1,000,000 visits, beside SQLite.

Takes the SQLite database that benchmarks/visit_list.py seeds (same rows, same key), copies it into a new
PostgreSQL database with `db.transfer` (what `reception db migrate-to` does, checks included), then runs
visit_list's measurements against both.

    python benchmarks/visit_list.py --db /tmp/rb1m.sqlite3          # seeds 1,000,000 visits once
    python benchmarks/server_database.py --sqlite /tmp/rb1m.sqlite3 --pg postgresql+psycopg://postgres@127.0.0.1:54329/postgres
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def copy_into_postgres(sqlite_path: str, admin_url: str, name: str) -> str:
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    from db.session import open_database
    from db.transfer import transfer

    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as connection:
        exists = connection.exec_driver_sql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'").scalar()
        if exists:
            return url
        connection.exec_driver_sql(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    source, target = open_database(f"sqlite:///{sqlite_path}"), open_database(url)
    started = time.perf_counter()
    checks = transfer(source, target)
    rows = sum(c.rows for c in checks)
    print(f"copied {rows:,} rows into PostgreSQL with per-table checks in {time.perf_counter() - started:.0f} s")
    source.dispose()
    target.dispose()
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sqlite", default="/tmp/rb1m.sqlite3")
    parser.add_argument("--pg", required=True, help="a PostgreSQL URL with the right to create databases")
    parser.add_argument("--name", default="reception_bench")
    args = parser.parse_args()
    os.environ.setdefault("RECEPTION_KEY_FILE", args.sqlite + ".key")
    if not Path(args.sqlite).exists():
        sys.exit(f"{args.sqlite} is missing: run benchmarks/visit_list.py --db {args.sqlite} first")
    url = copy_into_postgres(args.sqlite, args.pg, args.name)
    for label, target in (("SQLite", f"sqlite:///{args.sqlite}"), ("PostgreSQL", url)):
        print(f"\n== {label} ==", flush=True)
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from benchmarks.visit_list import measure; measure(sys.argv[1])",
                target,
            ],
            env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
            cwd=ROOT,
            check=True,
        )


if __name__ == "__main__":
    main()
