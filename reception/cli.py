"""The `reception` command: no sub-command starts the staff desktop; sub-commands script the rest."""

from __future__ import annotations

import argparse
import importlib
import sys
import time

from reception.config import resolve_db_url

_PROCESS_START = time.perf_counter()
# The same as reception.lawlib.lawfile.STATUSES, written out so that `--help` stays free of imports.
STATUS_CHOICES = ("现行有效", "已修改", "已废止", "待核实")

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
    notice.add_argument("--visit", type=int, required=True, metavar="ID", help="来访记录编号 / visit id")
    notice.add_argument("--decision-date", metavar="YYYY-MM-DD", help="知道被争议决定的日期 / decision date")
    notice.add_argument("--date", metavar="YYYY-MM-DD", help="告知日期（默认今天）/ date of the notice")
    notice.add_argument(
        "--case",
        metavar="ID",
        help="适用情形（resources/remedies.toml 中的 id，如 criminal_victim；默认按途径和主题）/ remedy case",
    )
    receipt = kinds.add_parser("receipt", help="来访登记回执 / visit receipt")
    receipt.add_argument("--visit", type=int, required=True, metavar="ID", help="来访记录编号 / visit id")
    receipt.add_argument("--receipt80", action="store_true", help="80毫米热敏小票 / 80 mm receipt roll")
    guide = kinds.add_parser("guide", help="普法指南 / topic guide")
    guide.add_argument("--topic", required=True, help="主题，如 劳动就业 / topic")
    guide.add_argument("--receipt80", action="store_true", help="80毫米热敏小票简版 / short 80 mm version")
    for sub in (notice, receipt, guide):
        sub.add_argument("--out", required=True, metavar="FILE", help="输出 PDF 文件 / output PDF file")
        sub.add_argument("--by", default="命令行", help="经办人或终端（记入出具记录）/ issued by")
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
    return parser


def _dates(spec: str) -> set:
    """'2027-01-01,2027-02-10..2027-02-16' as dates; ValueError names the part that is wrong."""
    import datetime as dt

    days: set[dt.date] = set()
    for part in filter(None, (p.strip() for p in spec.split(","))):
        try:
            if ".." in part:
                first, last = (dt.date.fromisoformat(x) for x in part.split(".."))
                days |= {first + dt.timedelta(n) for n in range((last - first).days + 1)}
            else:
                days.add(dt.date.fromisoformat(part))
        except ValueError:
            raise ValueError(f"日期格式应为 YYYY-MM-DD 或 YYYY-MM-DD..YYYY-MM-DD：{part}") from None
    return days


def _holidays_command(args: argparse.Namespace) -> int:
    from reception.deadlines import HolidaySchedule
    from reception.errors import ValidationError
    from reception.services import Services

    services = Services.open(resolve_db_url(args.db))
    try:
        if args.holiday_action == "list":
            for year, schedule in sorted(services.settings.holiday_schedules().items()):
                print(f"{year}年：放假{len(schedule.holidays)}天，调休上班{len(schedule.workdays)}天")
            return 0
        try:
            schedule = HolidaySchedule(args.year, frozenset(_dates(args.off)), frozenset(_dates(args.work)))
            services.settings.save_holiday_schedule(schedule)
        except ValueError as exc:
            print(str(exc), file=sys.stderr)
            return 2
        except ValidationError as exc:
            print("；".join(exc.errors.values()), file=sys.stderr)
            return 2
        print(f"已录入{args.year}年放假安排：放假{len(schedule.holidays)}天，调休上班{len(schedule.workdays)}天")
        return 0
    finally:
        services.close()


def _handout_command(args: argparse.Namespace) -> int:
    import datetime as dt
    from pathlib import Path

    from reception.errors import UserError, ValidationError
    from reception.services import Services

    def day(value: str | None, label: str) -> dt.date | None:
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:
            raise ValidationError({label: f"日期格式应为 YYYY-MM-DD：{value}"}) from exc

    services = Services.open(resolve_db_url(args.db))
    try:
        handouts = services.handouts()
        if args.kind == "notice":
            document = handouts.prepare_notice(
                args.visit,
                issued_on=day(args.date, "date"),
                decision_date=day(args.decision_date, "decision_date"),
                show_full_id=args.full_id,
                remedy_case=args.case,
            )
        elif args.kind == "receipt":
            document = handouts.prepare_receipt(args.visit, narrow=args.receipt80, show_full_id=args.full_id)
        else:
            document = handouts.prepare_guide(args.topic, narrow=args.receipt80)
        out = Path(args.out)
        out.write_bytes(document.pdf)
        issued = handouts.issue(document, args.by)
    except ValidationError as exc:
        for message in exc.errors.values():
            print(message, file=sys.stderr)
        return 2
    except UserError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    finally:
        services.close()
    print(f"已生成 {out}（{document.title}，{document.pages}页，出具记录 {issued.handout_id}）")
    print(f"字体：{document.font.description}")
    return 0


def _match_command(args: argparse.Namespace) -> int:
    import json

    from reception.services import Services

    services = Services.open(resolve_db_url(args.db))
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

    from reception.errors import ValidationError
    from reception.services import Services

    services = Services.open(resolve_db_url(args.db))
    try:
        if args.laws_action == "mark":
            try:
                day = dt.date.fromisoformat(args.date) if args.date else None
                version = dt.date.fromisoformat(args.version) if args.version else None
            except ValueError:
                print("日期格式应为 YYYY-MM-DD", file=sys.stderr)
                return 2
            try:
                info = services.laws.mark_status(
                    args.short_title,
                    args.status,
                    version_effective=version,
                    status_date=day,
                    superseded_by=args.by,
                    reason=args.reason,
                    marked_by=args.officer,
                )
            except ValidationError as exc:
                for message in exc.errors.values():
                    print(message, file=sys.stderr)
                return 2
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


def _import_law_command(args: argparse.Namespace) -> int:
    import datetime as dt
    from pathlib import Path

    from reception.lawlib.parser import LawFileError
    from reception.services import Services

    path = Path(args.file)
    if not path.is_file():
        print(f"找不到文件：{path}", file=sys.stderr)
        return 2
    try:
        effective = dt.date.fromisoformat(args.effective) if args.effective else None
    except ValueError:
        print(f"施行日期格式应为 YYYY-MM-DD：{args.effective}", file=sys.stderr)
        return 2
    services = Services.open(resolve_db_url(args.db))
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


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "db":
        return _db_command(args)
    if args.command == "import-law":
        return _import_law_command(args)
    if args.command == "match":
        return _match_command(args)
    if args.command == "laws":
        return _laws_command(args)
    if args.command == "handout":
        return _handout_command(args)
    if args.command == "holidays":
        return _holidays_command(args)
    # The desktop is the composition root's job; imported lazily so scripted commands never load Qt.
    app_module = importlib.import_module("ui.app")
    return app_module.run_staff_app(resolve_db_url(args.db), _PROCESS_START)


if __name__ == "__main__":
    sys.exit(main())
