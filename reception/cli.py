"""The `reception` command: no sub-command starts the staff desktop; sub-commands script the rest."""

from __future__ import annotations

import argparse
import importlib
import sys
import time

from reception.config import resolve_db_url

_PROCESS_START = time.perf_counter()

DESCRIPTION = """信访接待与释法系统 (petition reception and law explanation desk)

不带子命令时启动接待人员桌面程序。 / Without a sub-command the staff desktop starts."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reception", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        help="数据库地址 / database URL (默认 default: 用户数据目录中的 SQLite 文件; 也可用环境变量 RECEPTION_DB_URL)",
    )
    commands = parser.add_subparsers(dest="command", title="子命令 / sub-commands", metavar="COMMAND")

    db_cmd = commands.add_parser("db", help="数据库维护 / database maintenance")
    db_actions = db_cmd.add_subparsers(dest="db_action", metavar="ACTION", required=True)
    db_actions.add_parser("upgrade", help="升级数据库结构到最新版本 / apply schema migrations")
    db_actions.add_parser("where", help="显示数据库位置 / show where the database is")
    return parser


def _db_command(args: argparse.Namespace) -> int:
    from db.session import current_revision, open_database

    url = resolve_db_url(args.db)
    if args.db_action == "where":
        print(url)
        return 0
    database = open_database(url, upgrade=False)
    changed = database.upgrade()
    revision = current_revision(database.engine)
    print(f"数据库已是最新结构 / schema up to date: {revision}" if not changed else f"已升级 / upgraded to {revision}")
    database.dispose()
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "db":
        return _db_command(args)
    # The desktop is the composition root's job; imported lazily so scripted commands never load Qt.
    app_module = importlib.import_module("ui.app")
    return app_module.run_staff_app(resolve_db_url(args.db), _PROCESS_START)


if __name__ == "__main__":
    sys.exit(main())
