"""The `reception` command: scripted work on the database. The staff window is `reception-desk` (ui.app)."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from reception.config import DB_URL_ENV, data_dir, resolve_db_url

log = logging.getLogger("reception.cli")

# The same as reception.lawlib.lawfile.STATUSES, written out so that `--help` stays free of imports.
STATUS_CHOICES = ("现行有效", "已修改", "已废止", "待核实")

DESCRIPTION = """信访接待与释法系统 命令行 (petition reception and law explanation desk)

接待窗口请运行 reception-desk。 / The staff window is `reception-desk`."""
DESK_HINT = "要打开接待窗口，请运行：reception-desk（命令行用法见上）"
# Exit status of every failure the user can fix (bad input, a database that cannot be opened).
EXIT_USER_ERROR = 2
VISIT_HELP = "登记编号（如 XF20261120000001）或内部编号 / visit number as printed, or internal id"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reception", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        help="数据库地址 / database URL (默认 default: 用户数据目录中的 SQLite 文件; 也可用环境变量 RECEPTION_DB_URL)",
    )
    parser.add_argument(
        "--create",
        action="store_true",
        help="--db 指定的数据库文件不存在时新建（默认拒绝，以免路径写错时误建空库）/ create the database if missing",
    )
    parser.add_argument(
        "--user",
        metavar="NAME",
        help="以该账户登录（涉及个人信息或需要权限的操作必须登录；密码在提示时输入，或用环境变量 RECEPTION_PASSWORD）"
        " / log in as this account (also RECEPTION_USER)",
    )
    commands = parser.add_subparsers(dest="command", title="子命令 / sub-commands", metavar="COMMAND")

    content_cmd = commands.add_parser("content", help="普法内容与内容包（管理员）/ content and content packs")
    content_actions = content_cmd.add_subparsers(dest="content_action", metavar="ACTION", required=True)
    content_actions.add_parser("list", help="各内容文件的状态 / each content file's state")
    content_export = content_actions.add_parser("export", help="导出内容包 / export a content pack")
    content_export.add_argument("file", metavar="FILE.zip")
    content_import = content_actions.add_parser("import", help="导入内容包（先列出改动）/ import a content pack")
    content_import.add_argument("file", metavar="FILE.zip")
    content_import.add_argument("--yes", action="store_true", help="确认导入 / apply the changes")

    person_cmd = commands.add_parser("person", help="个人信息查阅复制（负责人）/ what the office holds about a person")
    person_actions = person_cmd.add_subparsers(dest="person_action", metavar="ACTION", required=True)
    person_export = person_actions.add_parser("export", help="导出为 PDF / export as PDF")
    person_export.add_argument("--id", required=True, metavar="身份证号", help="本人的身份证号 / the ID number")
    person_export.add_argument("--purpose", required=True, help="用途 / purpose, e.g. 本人申请查阅复制")
    person_export.add_argument("--out", required=True, metavar="F.pdf")
    person_export.add_argument("--json", metavar="F.json", help="另存一份数据文件 / also write the data as JSON")

    accounts_cmd = commands.add_parser("accounts", help="工作人员账户 / staff accounts")
    account_actions = accounts_cmd.add_subparsers(dest="accounts_action", metavar="ACTION", required=True)
    init = account_actions.add_parser("init", help="首次设置管理员账户 / create the first administrator")
    init.add_argument("--username", required=True)
    init.add_argument("--name", required=True, help="姓名 / display name")
    account_actions.add_parser("list", help="列出账户 / list accounts")
    add = account_actions.add_parser("add", help="新建账户 / add an account")
    add.add_argument("--username", required=True)
    add.add_argument("--name", required=True, help="姓名 / display name")
    add.add_argument("--role", required=True, choices=["接待员", "负责人", "管理员"])
    for action, text in (
        ("unlock", "解除锁定 / unlock"),
        ("disable", "停用 / disable"),
        ("enable", "启用 / enable"),
        ("reset-password", "重设密码 / reset the password"),
    ):
        account_actions.add_parser(action, help=text).add_argument("username")
    role = account_actions.add_parser("role", help="修改角色 / change the role")
    role.add_argument("username")
    role.add_argument("role", choices=["接待员", "负责人", "管理员"])

    db_cmd = commands.add_parser("db", help="数据库维护 / database maintenance")
    db_actions = db_cmd.add_subparsers(dest="db_action", metavar="ACTION", required=True)
    db_actions.add_parser(
        "upgrade", help="升级数据库结构到最新版本（文件不存在时新建）/ apply schema migrations, create if missing"
    )
    db_actions.add_parser("where", help="显示数据库位置 / show where the database is")
    migrate_to = db_actions.add_parser(
        "migrate-to",
        help="把本机数据库复制到新建的服务器数据库（如 PostgreSQL）并逐表校验 / copy into a new server database",
    )
    migrate_to.add_argument("url", metavar="URL", help="目标数据库地址，如 postgresql+psycopg://user@server/reception")

    law_cmd = commands.add_parser(
        "import-law",
        help="导入法律全文（.txt/.md/.docx）为新版本 / import an official law text as a new version",
    )
    law_cmd.add_argument("file", metavar="FILE", help="国家法律法规数据库下载的文本 / text as published")
    law_cmd.add_argument("--short-title", help="简称（默认去掉“中华人民共和国”）/ short title")
    law_cmd.add_argument("--effective", help="施行日期 YYYY-MM-DD（默认从正文“自……起施行”读取）/ effective date")
    law_cmd.add_argument("--status", default="现行有效", choices=STATUS_CHOICES, help="效力状态 / status")
    law_cmd.add_argument("--issuer", default="", help="制定机关 / issuing body")
    law_cmd.add_argument("--check", action="store_true", help="只检查不导入 / validate only, change nothing")

    laws_cmd = commands.add_parser(
        "laws", help="列出法律库中每部法律的版本和效力状态 / list the law library with status and warnings"
    )
    laws_cmd.add_argument("--json", action="store_true", help="输出 JSON / print JSON")
    laws_cmd.add_argument("--all", action="store_true", help="列出所有版本（含历史版本）/ every version")
    laws_actions = laws_cmd.add_subparsers(dest="laws_action", metavar="ACTION")
    diff = laws_actions.add_parser("diff", help="比较一部法律的两个版本 / compare two versions of a law")
    diff.add_argument("short_title", metavar="LAW", help="法律简称 / short title")
    diff.add_argument("--from", dest="old", metavar="YYYY-MM-DD", help="旧版本的施行日期（默认次新版本）")
    diff.add_argument("--to", dest="new", metavar="YYYY-MM-DD", help="新版本的施行日期（默认最新版本）")
    mark = laws_actions.add_parser(
        "mark", help="标记一部法律已修改、已废止、待核实或仍然有效 / mark a law amended, repealed or in force"
    )
    mark.add_argument("short_title", metavar="LAW", help="法律简称，如 环境保护法 / short title")
    mark.add_argument("--status", required=True, choices=STATUS_CHOICES, help="效力状态 / status")
    mark.add_argument("--by", default="", help="由什么取代，如 生态环境法典 / what replaced it")
    mark.add_argument("--date", default=None, help="修改或废止生效的日期 YYYY-MM-DD / from which day")
    mark.add_argument("--reason", default="", help="原因或依据 / reason and where it was verified")
    mark.add_argument("--version", default=None, help="哪个版本（施行日期，默认最新）/ version by effective date")
    mark.add_argument("--officer", default="", help="标记人 / who marks it")

    match_cmd = commands.add_parser(
        "match", help="为诉求描述匹配类型、主题、途径和法条 / classify a description and rank statutes"
    )
    match_cmd.add_argument(
        "text", metavar="TEXT", help="诉求描述；“-” 表示从标准输入逐行读取 / description, or - for stdin"
    )
    match_cmd.add_argument("--top", type=int, default=5, help="每个列表最多几项（默认5）/ items per list")
    match_cmd.add_argument("--json", action="store_true", help="输出 JSON（逐行输入时为 JSON Lines）/ print JSON")

    handout_cmd = commands.add_parser(
        "handout", help="出具告知书、回执或普法指南 PDF / produce a notice, receipt or guide as PDF"
    )
    kinds = handout_cmd.add_subparsers(dest="kind", metavar="KIND", required=True)
    notice = kinds.add_parser("notice", help="权利义务与救济途径告知书 / rights and remedy notice")
    notice.add_argument("--visit", required=True, metavar="NO", help=VISIT_HELP)
    notice.add_argument("--decision-date", metavar="YYYY-MM-DD", help="知道被争议决定的日期 / decision date")
    notice.add_argument("--date", metavar="YYYY-MM-DD", help="告知日期（默认今天）/ date of the notice")
    notice.add_argument(
        "--case",
        metavar="ID",
        help="适用情形（resources/remedies.toml 中的 id，如 criminal_victim；默认按途径和主题）/ remedy case",
    )
    receipt = kinds.add_parser("receipt", help="来访登记回执 / visit receipt")
    receipt.add_argument("--visit", required=True, metavar="NO", help=VISIT_HELP)
    receipt.add_argument("--receipt80", action="store_true", help="80毫米热敏小票 / 80 mm receipt roll")
    guide = kinds.add_parser("guide", help="普法指南 / topic guide")
    guide.add_argument("--topic", required=True, help="主题，如 劳动就业（写错时会列出全部主题）/ topic")
    guide.add_argument("--receipt80", action="store_true", help="80毫米热敏小票简版 / short 80 mm version")
    for sub in (notice, receipt, guide):
        sub.add_argument("--out", required=True, metavar="FILE", help="输出 PDF 文件 / output PDF file")
        sub.add_argument("--by", default="命令行", help="经办人或终端（记入出具记录）/ issued by")
        sub.add_argument(
            "--allow-placeholders",
            action="store_true",
            help="本单位信息未设置时仍然出具（文书上印出占位文字）/ print even with placeholder office details",
        )
    for sub in (notice, receipt):
        sub.add_argument("--full-id", action="store_true", help="显示完整身份证号 / print the full ID number")
    holidays_cmd = commands.add_parser(
        "holidays",
        help="录入或查看国务院公布的某年放假安排（用于期限计算）/ enter or list a year's official holiday schedule",
    )
    holiday_actions = holidays_cmd.add_subparsers(dest="holiday_action", required=True)
    holiday_actions.add_parser("list", help="列出已录入的年份 / list the years entered")
    holiday_set = holiday_actions.add_parser("set", help="录入一年的放假日和调休上班日 / enter one year")
    holiday_set.add_argument("year", type=int, help="年份 / year")
    holiday_set.add_argument(
        "--off", required=True, help="放假日，逗号分隔，可用区间 2027-10-01..2027-10-07 / days off"
    )
    holiday_set.add_argument("--work", default="", help="调休上班日，逗号分隔 / make-up working days")

    settings_cmd = commands.add_parser(
        "settings", help="查看或修改本单位信息（印在文书上的机关名称、地址等）/ show or change office settings"
    )
    settings_actions = settings_cmd.add_subparsers(dest="settings_action", metavar="ACTION", required=True)
    settings_get = settings_actions.add_parser("get", help="显示全部设置或其中一项 / show all settings or one")
    settings_get.add_argument("key", nargs="?", metavar="KEY", help="设置名或其中文名称，如 office_name 或 机关名称")
    settings_set = settings_actions.add_parser("set", help="修改一项设置 / change one setting")
    settings_set.add_argument("key", metavar="KEY", help="设置名或其中文名称，如 phone 或 联系电话")
    settings_set.add_argument("value", metavar="VALUE", help='新的值（清空请写 ""）/ new value')

    kiosk_cmd = commands.add_parser(
        "kiosk",
        help="启动大厅触摸屏（全屏），或修改触摸屏设置 / start the touch-screen kiosk, or change its settings",
    )
    kiosk_cmd.add_argument("--window", metavar="WxH", help="在普通窗口中按此大小运行，如 1080x1920 / run in a window")
    kiosk_cmd.add_argument("--set-pin", action="store_true", help="设置管理员退出密码（6到12位数字）/ set the exit PIN")
    kiosk_cmd.add_argument("--idle", type=int, metavar="SECONDS", help="无人操作多少秒后回到首页 / idle reset seconds")
    kiosk_cmd.add_argument("--name", metavar="NAME", help="触摸屏名称（统计用）/ terminal name")
    kiosk_cmd.add_argument(
        "--legal-aid-threshold",
        metavar="TEXT",
        help="当地法律援助经济困难标准（显示在结果页）/ local legal-aid means standard",
    )

    import_cmd = commands.add_parser(
        "import-visits", help="导入来访登记台账（Excel 或 CSV）/ import a visit ledger (.xlsx or .csv)"
    )
    import_cmd.add_argument("file", metavar="FILE", help="台账文件 .xlsx 或 .csv")
    import_cmd.add_argument("--mapping", metavar="TOML", help="列对应文件（[columns] 列名 = 字段）/ column mapping")
    import_cmd.add_argument(
        "--officer", default="台账导入", help="台账没有接待人一列时记为 / officer when the ledger has none"
    )
    import_cmd.add_argument("--report", metavar="FILE", help="把导入报告另存为文本文件 / write the report to a file")

    purge_cmd = commands.add_parser(
        "purge", help="到期个人信息匿名化（先列出，加 --yes 才执行）/ anonymise personal data past retention"
    )
    purge_cmd.add_argument("--years", type=int, default=5, help="事项办结且无来访满几年（默认5）")
    purge_cmd.add_argument("--yes", action="store_true", help="确认执行")
    purge_cmd.add_argument("--by", default="", help="执行人")

    backup_cmd = commands.add_parser("backup", help="备份本机数据库 / back up the database")
    backup_cmd.add_argument("--to", metavar="DIR", help="备份文件夹（默认：数据目录下的 backups）")
    backup_cmd.add_argument("--keep", type=int, default=14, help="保留最近几份（默认14）")
    restore_cmd = commands.add_parser("restore", help="用备份恢复数据库（请先关闭接待桌面）/ restore a backup")
    restore_cmd.add_argument("file", metavar="BACKUP", help="备份文件")
    restore_cmd.add_argument("--yes", action="store_true", help="确认恢复（当前数据库另存一份）")

    audit_cmd = commands.add_parser("audit", help="审计记录：校验、导出、查看 / the audit trail")
    audit_actions = audit_cmd.add_subparsers(dest="audit_action", metavar="ACTION", required=True)
    audit_actions.add_parser("verify", help="逐条校验哈希链 / check the hash chain")
    audit_export = audit_actions.add_parser("export", help="导出为 CSV / export as CSV")
    audit_export.add_argument("--out", required=True, metavar="FILE.csv")
    audit_list = audit_actions.add_parser("list", help="最近的记录 / the latest entries")
    audit_list.add_argument("--limit", type=int, default=50)
    audit_list.add_argument("--actor", default="")
    audit_list.add_argument("--action", default="")

    lawyers_cmd = commands.add_parser("lawyers", help="值班律师名册 / the duty-lawyer roster")
    lawyer_actions = lawyers_cmd.add_subparsers(dest="lawyers_action", metavar="ACTION", required=True)
    lawyer_actions.add_parser("list", help="列出名册 / list")
    lawyer_add = lawyer_actions.add_parser("add", help="加入名册 / add a lawyer")
    lawyer_add.add_argument("--name", required=True, help="姓名")
    lawyer_add.add_argument("--firm", default="", help="律师事务所")
    lawyer_add.add_argument("--licence", required=True, help="执业证号（17位）")
    lawyer_add.add_argument("--days", default="", help="值班日，如 1,3,5 表示周一、三、五")

    stats_cmd = commands.add_parser(
        "stats", help="统计：来访、重复访、释法、文书、触摸屏、及时受理率、按期办结率 / statistics for a period"
    )
    stats_cmd.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD", help="开始日期 / first day")
    stats_cmd.add_argument("--to", dest="end", required=True, metavar="YYYY-MM-DD", help="结束日期（含）/ last day")
    stats_cmd.add_argument(
        "--by", choices=("topic", "type", "route", "department", "officer", "month"), help="分组 / group by"
    )
    stats_output = stats_cmd.add_mutually_exclusive_group()
    stats_output.add_argument("--json", action="store_true", help="输出 JSON")
    stats_output.add_argument("--xlsx", metavar="FILE", help="导出 Excel 文件")
    stats_output.add_argument("--csv", metavar="FILE", help="导出 CSV（UTF-8 BOM，Excel/WPS 可直接打开）")

    report_cmd = commands.add_parser("report", help="年度普法责任制落实情况报告（PDF）/ the yearly report")
    report_cmd.add_argument("--year", type=int, required=True, help="年份 / year")
    report_cmd.add_argument("--out", required=True, metavar="FILE.pdf", help="输出文件 / output file")

    publish_cmd = commands.add_parser(
        "publish", help="生成手机网页（二维码指向的普法指南、案例、法条）/ write the phone pages behind the QR codes"
    )
    publish_cmd.add_argument("--out", required=True, metavar="DIR", help="输出文件夹 / output folder")
    return parser


def _open_services(args: argparse.Namespace, login: bool = True):  # noqa: ANN202 - Services is imported lazily
    """The services over the chosen database; an address the user typed must name an existing file.

    Only the default database is created silently (on first start): a mistyped --db path that quietly
    became a new empty database would look as if every record had vanished.
    """
    from db.session import require_existing
    from reception.services import Services

    if args.db_explicit and not args.create:
        require_existing(args.db_url)
    services = Services.open(args.db_url)
    user = args.user or os.environ.get(USER_ENV, "")
    if user and login:
        try:
            services.accounts.login(user, _password(f"账户 {user} 的密码："))
        except BaseException:
            services.close()
            raise
    return services


USER_ENV, PASSWORD_ENV = "RECEPTION_USER", "RECEPTION_PASSWORD"
LOGIN_HINT = "命令行请用 --user 账户名 登录（或设置环境变量 RECEPTION_USER）；密码在提示时输入，或用环境变量 RECEPTION_PASSWORD。"


def _password(prompt: str, *, new: bool = False) -> str:
    """From RECEPTION_PASSWORD (scripts) or typed without echo; a new password is typed twice."""
    from reception.errors import UserError

    value = os.environ.get(PASSWORD_ENV)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise UserError(f"需要密码：请在终端中运行以便输入，或设置环境变量 {PASSWORD_ENV}。")
    import getpass

    value = getpass.getpass(prompt)
    if new and getpass.getpass("再输入一次：") != value:
        raise UserError("两次输入的密码不一致。")
    return value


def _content_command(args: argparse.Namespace) -> int:
    from pathlib import Path

    services = _open_services(args)
    try:
        store = services.content
        if args.content_action == "list":
            from reception.content_store import KIND_LABELS

            for entry in store.entries():
                who = f"\t{entry.updated_by} {entry.updated_at:%Y-%m-%d %H:%M}" if entry.updated_at else ""
                print(f"{KIND_LABELS[entry.kind]}\t{entry.key}\t{entry.state}{who}")
            return 0
        path = Path(args.file)
        if args.content_action == "export":
            count = store.export_pack(path)
            print(f"已导出内容包 {path}（{count} 个文件）")
            return 0
        plan, _ = store.plan_import(path)
        print("\n".join(plan.lines()) or "内容包与本单位现用的内容完全相同。")
        if not args.yes:
            print(f"共 {plan.changes()} 处改动。确认导入请加 --yes。")
            return 0
        store.import_pack(path)
        print(f"已导入，共 {plan.changes()} 处改动。")
        return 0
    finally:
        services.close()


def _person_command(args: argparse.Namespace) -> int:
    from pathlib import Path

    from reception.handouts.fonts import choose_font
    from reception.person_export import record_as_json

    services = _open_services(args)
    try:
        office = services.settings.office()
        record, pdf = services.person_export().export(
            args.id, args.purpose, choose_font(office.font_path), office.office_name
        )
    finally:
        services.close()
    Path(args.out).write_bytes(pdf)
    if args.json:
        Path(args.json).write_text(record_as_json(record), encoding="utf-8")
    print(
        f"已导出 {record.name} 的个人信息（来访 {len(record.visits)} 次，事项 {len(record.matters)} 件）到 {args.out}"
    )
    return 0


def _accounts_command(args: argparse.Namespace) -> int:
    # Setting up the first administrator is the one thing done before any account exists.
    services = _open_services(args, login=args.accounts_action != "init")
    try:
        accounts = services.accounts
        if args.accounts_action == "init":
            accounts.create_first_admin(args.username, args.name, _password("管理员密码：", new=True))
            print(f"已设置管理员账户 {args.username}。")
            return 0
        if args.accounts_action == "add":
            accounts.add(args.username, args.name, args.role, _password("新账户的密码：", new=True))
            print(f"已新建账户 {args.username}（{args.role}）。")
            return 0
        rows = accounts.list()
        if args.accounts_action == "list":
            for a in rows:
                state = "启用" if a.active else "停用"
                if a.locked_until is not None:
                    state += f"，锁定至 {a.locked_until:%H:%M}"
                last = f"{a.last_login:%Y-%m-%d %H:%M}" if a.last_login else "从未登录"
                print(f"{a.username}\t{a.display_name}\t{a.role}\t{state}\t{last}")
            return 0
        from reception.errors import UserError

        found = [a for a in rows if a.username == args.username]
        if not found:
            raise UserError(f"没有账户 {args.username}。")
        account_id = found[0].account_id
        if args.accounts_action == "unlock":
            accounts.unlock(account_id)
        elif args.accounts_action in ("disable", "enable"):
            accounts.set_active(account_id, args.accounts_action == "enable")
        elif args.accounts_action == "role":
            accounts.set_role(account_id, args.role)
        else:
            accounts.reset_password(account_id, _password("新密码：", new=True))
        print("已完成。")
        return 0
    finally:
        services.close()


def _holidays_command(args: argparse.Namespace) -> int:
    import datetime as dt

    from reception.deadlines import HolidaySchedule, WorkCalendar
    from reception.errors import UserError
    from reception.settings_batch import parse_days

    services = _open_services(args)
    try:
        if args.holiday_action == "list":
            schedules = sorted(services.settings.holiday_schedules().items())
            for year, schedule in schedules:
                print(f"{year}年：放假{len(schedule.holidays)}天，调休上班{len(schedule.workdays)}天")
            if not schedules:
                calendar = WorkCalendar()
                known = [y for y in range(2004, dt.date.today().year + 3) if calendar.knows(y)]
                builtin = f"内置日历已包含{known[0]}—{known[-1]}年，这些年份无需录入；" if known else ""
                example = (known[-1] if known else dt.date.today().year) + 1
                print(
                    "尚未录入任何年份的放假安排。"
                    f"{builtin}之后的年份请在国务院公布放假安排后录入，例如：\n"
                    f"  reception holidays set {example} --off {example}-01-01,{example}-10-01..{example}-10-07"
                    f" --work {example}-09-26"
                )
            return 0
        try:
            schedule = HolidaySchedule(args.year, frozenset(parse_days(args.off)), frozenset(parse_days(args.work)))
        except ValueError as exc:
            raise UserError(str(exc)) from None
        services.settings.save_holiday_schedule(schedule)
        print(f"已录入{args.year}年放假安排：放假{len(schedule.holidays)}天，调休上班{len(schedule.workdays)}天")
        return 0
    finally:
        services.close()


def _visit_id(services, text: str) -> int:  # noqa: ANN001 - Services is imported lazily
    """The internal id of the visit named by its 登记编号 (as printed for staff) or by the id itself."""
    from sqlalchemy import select

    from db.models import Visit
    from reception.errors import NotFoundError, ValidationError

    value = text.strip().upper()
    if value.isdigit():
        return int(value)
    if not value.startswith("XF"):
        raise ValidationError({"visit": f"--visit 应为登记编号（如 XF20261120000001）或内部编号（如 12）：{text}"})
    with services.database.unit_of_work() as uow:
        visit_id = uow.session.scalar(select(Visit.id).where(Visit.visit_no == value))
    if visit_id is None:
        raise NotFoundError(f"找不到登记编号为 {value} 的来访记录，请核对编号")
    return visit_id


def _handout_command(args: argparse.Namespace) -> int:
    import datetime as dt
    from pathlib import Path

    from reception.errors import NotFoundError, UserError, ValidationError, os_error_text

    def day(value: str | None, label: str) -> dt.date | None:
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:
            raise ValidationError({label: f"日期格式应为 YYYY-MM-DD：{value}"}) from exc

    services = _open_services(args)
    try:
        handouts = services.handouts()
        if args.kind == "notice":
            document = handouts.prepare_notice(
                _visit_id(services, args.visit),
                issued_on=day(args.date, "date"),
                decision_date=day(args.decision_date, "decision_date"),
                show_full_id=args.full_id,
                remedy_case=args.case,
                allow_placeholders=args.allow_placeholders,
            )
        elif args.kind == "receipt":
            document = handouts.prepare_receipt(
                _visit_id(services, args.visit),
                narrow=args.receipt80,
                show_full_id=args.full_id,
                allow_placeholders=args.allow_placeholders,
            )
        else:
            topics = handouts.guides.topics()
            if args.topic.strip() not in topics:
                raise NotFoundError(f"没有“{args.topic}”的普法指南。可选的主题：{'、'.join(topics)}")
            document = handouts.prepare_guide(
                args.topic.strip(), narrow=args.receipt80, allow_placeholders=args.allow_placeholders
            )
        out = Path(args.out)
        try:
            out.write_bytes(document.pdf)
        except OSError as exc:
            raise UserError(
                f"无法写入文件：{out.absolute()}\n原因：{os_error_text(exc)}。\n"
                "处理：请检查文件夹是否存在、是否有写权限，或文件是否正被其他程序打开。"
            ) from exc
        issued = handouts.issue(document, args.by)
    finally:
        services.close()
    print(f"已生成 {out}（{document.title}，{document.pages}页，出具记录 {issued.handout_id}）")
    print(f"字体：{document.font.description}")
    return 0


def _match_command(args: argparse.Namespace) -> int:
    import json

    from reception.errors import UserError

    if args.text != "-" and not args.text.strip():
        raise UserError('请输入要分析的描述，例如：reception match "包工头跑了，八个月工资没拿到"')
    services = _open_services(args)
    try:
        matcher = services.matcher()
        lines = sys.stdin if args.text == "-" else [args.text]
        for line in lines:
            description = line.strip()
            if not description:
                continue
            result = matcher.match(description, top=args.top)
            if args.json or args.text == "-":
                print(json.dumps(result.to_json(args.top), ensure_ascii=False), flush=True)
                continue
            print(f"类型：{result.type.name}（{result.type.score:.2f}）")
            for topic in result.topics[: args.top]:
                print(f"主题：{topic.name}（{topic.score:.2f}）　依据：{'、'.join(topic.evidence) or '—'}")
            print("途径：" + "、".join(f"{r.name}（{r.score:.2f}）" for r in result.routes[: args.top]))
            for statute in result.statutes[: args.top]:
                print(f"\n《{statute.title}》{statute.article}（{statute.effective}起施行）")
                print(statute.text)
                print("　理由：" + "；".join(statute.why))
    finally:
        services.close()
    return 0


def _laws_command(args: argparse.Namespace) -> int:
    import datetime as dt
    import json

    from reception.errors import UserError

    services = _open_services(args)
    try:
        if args.laws_action == "diff":
            try:
                old = dt.date.fromisoformat(args.old) if args.old else None
                new = dt.date.fromisoformat(args.new) if args.new else None
            except ValueError:
                raise UserError("日期格式应为 YYYY-MM-DD") from None
            print("\n".join(services.laws.diff(args.short_title, old, new).lines()))
            return 0
        if args.laws_action == "mark":
            try:
                day = dt.date.fromisoformat(args.date) if args.date else None
                version = dt.date.fromisoformat(args.version) if args.version else None
            except ValueError:
                raise UserError("日期格式应为 YYYY-MM-DD") from None
            info = services.laws.mark_status(
                args.short_title,
                args.status,
                version_effective=version,
                status_date=day,
                superseded_by=args.by,
                reason=args.reason,
                marked_by=args.officer,
            )
            state = "现行有效，可以引用" if info.in_force else "不再作为现行法引用"
            print(f"已标记《{info.title}》（{info.effective}施行的版本）为“{info.status}”：{state}")
            return 0
        rows = services.laws.law_summaries(every_version=args.all)
    finally:
        services.close()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    for row in rows:
        mark = "现行" if row["in_force"] else "不引用"
        print(
            f"{row['short_title']}\t{row['effective'] or '—'}施行\t{row['status']}（{mark}）\t"
            f"{'全文' if row['coverage'] == 'full' else '摘录'}{row['article_count']}条"
        )
        for warning in row["warnings"]:
            print(f"\t! {warning}")
    return 0


def _db_command(args: argparse.Namespace) -> int:
    from db.session import current_revision, open_database

    if args.db_action == "where":
        print(args.db_url)
        return 0
    if args.db_action == "migrate-to":
        return _migrate_to(args)
    # The one place besides the first start where a new database is wanted: created here on purpose.
    database = open_database(args.db_url, upgrade=False)
    try:
        changed = database.upgrade()
        revision = current_revision(database.engine)
    finally:
        database.dispose()
    print(f"数据库已是最新结构 / schema up to date: {revision}" if not changed else f"已升级 / upgraded to {revision}")
    return 0


def _migrate_to(args: argparse.Namespace) -> int:
    from db.session import current_revision, open_database, require_existing
    from db.transfer import TransferError, transfer
    from reception.errors import UserError

    require_existing(args.db_url)
    # The copy holds every person's data: only an administrator of the source database may make it.
    services = _open_services(args)
    try:
        services.access.require("maintenance")
        actor = services.access.actor
    finally:
        services.close()
    source = open_database(args.db_url)
    target = open_database(args.url)
    try:
        if current_revision(source.engine) != current_revision(target.engine):
            raise UserError("两个数据库的结构版本不同，请先升级本机数据库。")
        try:
            checks = transfer(source, target)
        except TransferError as exc:
            raise UserError(str(exc)) from exc
    finally:
        source.dispose()
        target.dispose()
    services = _open_services(args, login=False)
    try:
        services.audit.record("export", actor, _safe(args.url)[:100], f"整库迁移，{sum(c.rows for c in checks)} 行")
    finally:
        services.close()
    for check in checks:
        print(f"{check.table}\t{check.rows} 行\tsha256 {check.sha256[:16]}… 一致")
    print(f"已迁移到 {_safe(args.url)}，共 {sum(c.rows for c in checks)} 行，逐表行数和校验和一致（操作人：{actor}）。")
    print("请把本机的密钥文件（data.key）复制到各接待终端，否则无法读取身份证号和电话。")
    return 0


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _import_law_command(args: argparse.Namespace) -> int:
    import datetime as dt
    from pathlib import Path

    from reception.errors import UserError
    from reception.lawlib.parser import LawFileError

    path = Path(args.file)
    if not path.is_file():
        raise UserError(f"找不到文件：{path.absolute()}")
    try:
        effective = dt.date.fromisoformat(args.effective) if args.effective else None
    except ValueError:
        raise UserError(f"施行日期格式应为 YYYY-MM-DD：{args.effective}") from None
    services = _open_services(args)
    try:
        law = services.laws.read_official_text(
            path.read_bytes(),
            path.name,
            short_title=args.short_title,
            effective=effective,
            status=args.status,
            issuer=args.issuer,
        )
        if args.check:
            print(f"检查通过：《{law.title}》共{len(law.articles)}条，施行日期{law.effective}（未导入）")
            return 0
        report = services.laws.store_imported(law)
    except LawFileError as exc:
        print(f"未导入《{path.name}》，发现以下问题（法律库未作任何改动）：", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    finally:
        services.close()
    print(f"已导入《{report.title}》（简称：{report.short_title}）共{report.article_count}条，{report.effective}起施行")
    return 0


def _settings_command(args: argparse.Namespace) -> int:
    from reception.errors import ValidationError
    from reception.settings import SettingsService

    # Labels carry hints in brackets (联系电话（多个用“、”分隔）); messages name a field by the words before them.
    labels = {name: label.split("（")[0] for name, label in SettingsService.office_keys()}
    services = _open_services(args)
    try:
        settings = services.settings
        if args.settings_action == "set":
            name = SettingsService.office_key(args.key)
            try:
                others = settings.set_office_value(name, args.value)
            except ValidationError as exc:
                raise ValidationError({k: f"{labels.get(k, k)}：{m}" for k, m in exc.errors.items()}) from None
            print(f"已保存 {labels[name]}：{getattr(settings.office(), name) or '（空）'}")
            for other, message in others.items():
                print(f"注意：{labels.get(other, other)}——{message}")
            return 0
        office = settings.office()
    finally:
        services.close()
    if args.key is not None:
        # Only the value, so that a script can read it: `reception settings get phone`.
        print(getattr(office, SettingsService.office_key(args.key)))
        return 0
    for name, label in SettingsService.office_keys():
        print(f"{name:<16} {label}：{getattr(office, name) or '（空）'}")
    return 0


def _kiosk_command(args: argparse.Namespace) -> int:
    changes = args.set_pin or args.idle is not None or args.name is not None or args.legal_aid_threshold is not None
    if not changes:
        # The kiosk is a window (ui/); the command line stays free of Qt and starts it as its own program.
        import subprocess

        command = [sys.executable, "-m", "ui.kiosk"]
        if getattr(sys, "frozen", False):
            # The installed bundle (build_installer.spec): the kiosk is its own program beside this one.
            from pathlib import Path

            command = [str(Path(sys.executable).with_name("reception-kiosk" + (".exe" if os.name == "nt" else "")))]
        if args.db:
            command += ["--db", args.db]
        if args.window:
            command += ["--window", args.window]
        return subprocess.call(command)
    from dataclasses import replace

    services = _open_services(args)
    try:
        settings = services.settings
        kiosk = settings.kiosk()
        if args.idle is not None:
            kiosk = replace(kiosk, idle_seconds=args.idle)
        if args.name is not None:
            kiosk = replace(kiosk, terminal_name=args.name)
        if args.legal_aid_threshold is not None:
            kiosk = replace(kiosk, legal_aid_threshold=args.legal_aid_threshold)
        settings.save_kiosk(kiosk)
        if args.set_pin:
            import getpass

            pin = getpass.getpass("退出密码（6到12位数字）：") if sys.stdin.isatty() else sys.stdin.readline().strip()
            settings.set_kiosk_pin(pin)
            print("已设置触摸屏退出密码")
        kiosk = settings.kiosk()
        print(f"触摸屏：{kiosk.terminal_name}；无人操作{kiosk.idle_seconds}秒后回到首页")
    finally:
        services.close()
    return 0


def _import_visits_command(args: argparse.Namespace) -> int:
    from pathlib import Path

    from reception.errors import UserError

    source = Path(args.file)
    if not source.is_file():
        raise UserError(f"找不到台账文件：{source}")
    services = _open_services(args)
    try:
        report = services.ledger().import_file(
            source, mapping=Path(args.mapping) if args.mapping else None, officer=args.officer
        )
        services.audit.record(
            "import",
            args.officer,
            source.name[:100],
            f"导入{report.imported}行，跳过{report.skipped}行，拒绝{len(report.rejected)}行",
        )
    finally:
        services.close()
    print(report.text())
    if args.report:
        Path(args.report).write_text(report.text() + "\n", encoding="utf-8")
    return 0


def _purge_command(args: argparse.Namespace) -> int:
    from reception.errors import ValidationError

    if args.years < 1:
        raise ValidationError({"years": "年限至少为1年"})
    services = _open_services(args)
    try:
        retention = services.retention()
        plan = retention.plan(args.years)
        if not args.yes:
            print(
                f"试运行：事项均已办结、且{plan.cutoff.isoformat()}以来没有来访的信访人 {plan.people} 人（{plan.visits} 次来访），"
                "其姓名、身份证号、电话、住址和诉求原文将被匿名化，统计数字不变。确认执行请加 --yes。"
            )
            return 0
        done = retention.purge(args.years, args.by)
    finally:
        services.close()
    print(f"已匿名化 {done.people} 人（{done.visits} 次来访）的个人信息。")
    return 0


def _backup_command(args: argparse.Namespace) -> int:
    from pathlib import Path

    from reception.backup import backup, default_folder

    folder = Path(args.to) if args.to else default_folder()
    services = _open_services(args)
    try:
        # A backup is a copy of every person's data: it takes the same account as a restore.
        services.access.require("maintenance")
        result = backup(args.db_url, folder, keep=args.keep)
        services.audit.record("backup", "", result.path.name)
    finally:
        services.close()
    print(f"已备份到 {result.path}" + (f"；删除了 {len(result.removed)} 份较早的备份" if result.removed else ""))
    return 0


def _restore_command(args: argparse.Namespace) -> int:
    from pathlib import Path

    from reception.backup import check_file, restore
    from reception.errors import UserError

    source = Path(args.file)
    if not source.is_file():
        raise UserError(f"找不到备份文件：{source}")
    if not args.yes:
        problem = check_file(source)
        print(
            f"备份文件{'校验通过' if not problem else '有问题：' + problem}。确认恢复请加 --yes（当前数据库会先另存一份）。"
        )
        return 2 if problem else 0
    services = _open_services(args)
    try:
        actor = services.access.require("maintenance").display_name
    finally:
        services.close()
    aside = restore(args.db_url, source)
    services = _open_services(args, login=False)
    try:
        services.audit.record("restore", actor, source.name, f"原数据库另存为 {aside.name}")
    finally:
        services.close()
    print(f"已用 {source.name} 恢复数据库；恢复前的数据库另存为 {aside}")
    return 0


def _audit_command(args: argparse.Namespace) -> int:
    from pathlib import Path

    services = _open_services(args)
    try:
        audit = services.audit
        if args.audit_action == "verify":
            result = audit.verify()
            print(result.text())
            return 0 if result.ok else 1
        if args.audit_action == "export":
            count = audit.export(Path(args.out))
            audit.record("export", "", args.out, f"审计记录 {count} 条")
            print(f"已导出 {count} 条审计记录到 {args.out}")
            return 0
        from reception.audit import ACTIONS

        for entry in audit.browse(actor=args.actor, action=args.action, limit=args.limit):
            print(
                f"{entry.entry_id}\t{entry.at:%Y-%m-%d %H:%M:%S}\t{entry.actor or '-'}\t{entry.terminal}\t{ACTIONS.get(entry.action, entry.action)}\t{entry.target}\t{entry.detail}"
            )
    finally:
        services.close()
    return 0


def _lawyers_command(args: argparse.Namespace) -> int:
    from reception.errors import ValidationError

    services = _open_services(args)
    try:
        if args.lawyers_action == "add":
            try:
                days = [int(d) for d in args.days.replace("，", ",").split(",") if d.strip()]
            except ValueError:
                raise ValidationError({"duty_days": "值班日写成 1,3,5（周一为1）"}) from None
            services.explanations.add_lawyer(args.name, args.firm, args.licence, days)
            print(f"已加入名册：{args.name}")
            return 0
        for lawyer in services.explanations.lawyers():
            print(f"{lawyer.name}\t{lawyer.firm}\t{lawyer.licence_no}\t{lawyer.duty_text}")
    finally:
        services.close()
    return 0


def _stats_command(args: argparse.Namespace) -> int:
    import datetime as dt
    import json

    from reception.errors import ValidationError
    from reception.statistics import figure_rows, format_value

    try:
        start, end = dt.date.fromisoformat(args.start), dt.date.fromisoformat(args.end)
    except ValueError:
        raise ValidationError({"date": "日期应写成 YYYY-MM-DD，如 2026-01-01"}) from None
    services = _open_services(args)
    try:
        statistics = services.statistics()
        report = statistics.report(start, end, args.by or "")
        if args.xlsx or args.csv:
            statistics.export(report, args.xlsx or args.csv, "xlsx" if args.xlsx else "csv")
            print(f"已导出 {args.xlsx or args.csv}")
            return 0
    finally:
        services.close()
    if args.json:
        payload = {
            "from": report.start.isoformat(),
            "to": report.end.isoformat(),
            "by": report.group_by,
            "total": report.total.as_dict(),
            "last_year": report.total_last_year.as_dict(),
            "groups": {name: figures.as_dict() for name, figures in report.groups},
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return 0
    header, rows = figure_rows(report)
    print(f"统计期间：{report.start.isoformat()} 至 {report.end.isoformat()}（上年同期对比）")
    for row in rows:
        print(row[0])
        for label, value in zip(header[1:], row[1:], strict=True):
            print(f"  {label}：{format_value(label, value)}")
    return 0


def _report_command(args: argparse.Namespace) -> int:
    from pathlib import Path

    from reception.handouts.fonts import choose_font
    from reception.yearly_report import YearlyReport

    services = _open_services(args)
    try:
        laws = sorted({v.short_title for v in services.laws.versions()})
        report = YearlyReport(services.database, services.settings, laws, access=services.access)
        pdf = report.render(args.year, choose_font(services.settings.office().font_path))
    finally:
        services.close()
    Path(args.out).write_bytes(pdf)
    print(f"已生成 {args.out}")
    return 0


def _publish_command(args: argparse.Namespace) -> int:
    from pathlib import Path

    from reception.content import ContentService
    from reception.publish import publish_site

    content = ContentService.open(args.db_url, create=not args.db_explicit or args.create)
    try:
        report = publish_site(content, Path(args.out))
    finally:
        content.close()
    print(f"已生成 {report.pages} 个网页到 {report.folder}")
    if report.base_url:
        print(f"请把该文件夹的内容复制到网站 {report.base_url} 下，二维码才能打开。")
    else:
        print(
            "注意：尚未设置“普法指南网址（二维码）”（reception settings set guide_base_url URL），文书上不会印二维码。"
        )
    return 0


COMMANDS = {
    "db": _db_command,
    "import-law": _import_law_command,
    "match": _match_command,
    "laws": _laws_command,
    "handout": _handout_command,
    "holidays": _holidays_command,
    "settings": _settings_command,
    "kiosk": _kiosk_command,
    "publish": _publish_command,
    "stats": _stats_command,
    "import-visits": _import_visits_command,
    "report": _report_command,
    "lawyers": _lawyers_command,
    "audit": _audit_command,
    "backup": _backup_command,
    "purge": _purge_command,
    "restore": _restore_command,
    "accounts": _accounts_command,
    "person": _person_command,
    "content": _content_command,
}


def _log_to_file() -> None:
    """Send log records to the same file as the desk (data folder/logs/reception.log), never to the screen."""
    root = logging.getLogger()
    if root.handlers:
        return
    handler: logging.Handler
    try:
        log_dir = data_dir() / "logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(log_dir / "reception.log", encoding="utf-8")
    except OSError:
        # The data folder may be the very thing that is unwritable; the message on screen says so already.
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def _report(error: BaseException, cause: BaseException | None = None) -> int:
    """Show an expected failure as its Chinese message only; the driver's details go to the log."""
    from reception.errors import ValidationError

    _log_to_file()
    log.warning("%s", error, exc_info=cause)
    lines = list(error.errors.values()) if isinstance(error, ValidationError) else [str(error)]
    for line in lines:
        print(line, file=sys.stderr)
    return EXIT_USER_ERROR


def _silence_stdout() -> None:
    # Python flushes stdout once more on exit; pointing it at devnull stops that flush raising again.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _resolve_database(args: argparse.Namespace) -> None:
    from reception.errors import DatabaseUnavailable, os_error_text

    args.db_explicit = bool(args.db or os.environ.get(DB_URL_ENV))
    try:
        args.db_url = resolve_db_url(args.db)
    except OSError as exc:
        # Only the default location is created here (data_dir); an explicit address is never touched.
        raise DatabaseUnavailable(
            str(exc.filename or ""),
            f"无法创建本程序的数据文件夹（{os_error_text(exc)}）。",
            "请让管理员给当前用户该文件夹的写权限，或用环境变量 RECEPTION_DATA_DIR 指定一个可写的文件夹，"
            "或用 --db 指定已有的数据库。",
            title="无法创建数据文件夹",
        ) from exc


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        print(f"\n{DESK_HINT}")
        return 0
    from reception.accounts import PermissionDeniedError
    from reception.errors import UserError, database_error

    args.db_url = args.db or ""
    try:
        _resolve_database(args)
        code = COMMANDS[args.command](args)
        # Flushed here, not at exit, so that a reader that has gone away (`| head`) is handled below.
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        _silence_stdout()
        return 1
    except KeyboardInterrupt:
        return 130
    except PermissionDeniedError as exc:
        if not (args.user or os.environ.get(USER_ENV)):
            return _report(UserError(f"{exc}\n{LOGIN_HINT}"))
        return _report(exc)
    except UserError as exc:
        return _report(exc, exc if exc.__cause__ is not None else None)
    except Exception as exc:
        error = database_error(exc, args.db_url)
        if error is None:
            raise
        return _report(error, exc)


if __name__ == "__main__":
    sys.exit(main())
