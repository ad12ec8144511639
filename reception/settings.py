"""Office-wide settings kept in the database: office details, QR base addresses, font, holiday schedules."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, fields, replace

from db.models import Setting
from db.session import Database
from reception.accounts import AccessControl
from reception.audit import AuditLog
from reception.deadlines import HolidaySchedule
from reception.errors import UserError, ValidationError
from reception.passwords import hash_secret, secret_matches

_OFFICE_KEY = "office"
_KIOSK_KEY = "kiosk"
_HOLIDAYS_PREFIX = "holidays."


# What documents print where an office has not filled a field in yet. They never reach paper unless an
# officer chose "print anyway": a notice that names no office, or a QR code to an example site, misleads.
PLACEHOLDER_NAME = "××市信访局"
PLACEHOLDER_ADDRESS = "（接待地址未设置）"
PLACEHOLDER_PHONE = "（联系电话未设置）"
_PLACEHOLDER_MARKS = ("××", "请在“设置”中", "未设置", "example.gov.cn", "example.com")


@dataclass
class OfficeSettings:
    """What documents print about the office. Every field has a label for the settings screen."""

    office_name: str = ""
    address: str = ""
    phone: str = ""
    reception_hours: str = "工作日 上午9:00—12:00，下午13:30—17:00"
    petition_url: str = ""
    guide_base_url: str = ""
    query_base_url: str = ""
    printer: str = ""
    paper: str = "A4"
    receipt_printer: str = ""
    font_path: str = ""

    LABELS = {
        "office_name": "机关名称",
        "address": "接待地址",
        "phone": "联系电话（多个用“、”分隔）",
        "reception_hours": "接待时间",
        "petition_url": "网上信访地址",
        "guide_base_url": "普法指南网址（二维码）",
        "query_base_url": "办理进度查询网址（二维码）",
        "printer": "默认打印机",
        "paper": "默认纸张",
        "receipt_printer": "80毫米小票打印机",
        "font_path": "打印字体文件（可留空自动查找）",
    }
    # The fields a printed document needs before it can go to a petitioner.
    REQUIRED_FOR_PRINT = ("office_name", "address", "phone")
    PAPERS = ("A4", "80mm")

    def unset_for_print(self) -> list[str]:
        """Labels of the office details a document would print as a placeholder."""
        return [
            self.LABELS[key]
            for key in self.REQUIRED_FOR_PRINT
            if not getattr(self, key).strip() or any(mark in getattr(self, key) for mark in _PLACEHOLDER_MARKS)
        ]

    def has_real(self, key: str) -> bool:
        """Whether a web address field holds an address of the office's own (not empty, not an example)."""
        value = getattr(self, key).strip()
        return bool(value) and not any(mark in value for mark in _PLACEHOLDER_MARKS)

    @property
    def is_configured(self) -> bool:
        return not self.unset_for_print()


@dataclass
class KioskSettings:
    """How the hall's touch screen behaves; the exit PIN is kept only as a scrypt hash."""

    idle_seconds: int = 90
    terminal_name: str = "大厅触摸屏"
    legal_aid_threshold: str = (
        ""  # the local means standard for legal aid (法律援助法 第三十四条), as the office words it
    )
    pin_hash: str = ""  # "scrypt$n$r$p$salt_hex$hash_hex"

    LABELS = {
        "idle_seconds": "无人操作多少秒后回到首页",
        "terminal_name": "触摸屏名称",
        "legal_aid_threshold": "当地法律援助经济困难标准",
    }
    MIN_IDLE, MAX_IDLE = 20, 900


class SettingsService:
    def __init__(self, database: Database, audit: AuditLog | None = None, access: AccessControl | None = None):
        self._db = database
        self.audit = audit
        # Reading is open (documents and the kiosk need the office's details); changing needs 管理员.
        self.access = access or AccessControl()

    def _get(self, key: str) -> str | None:
        with self._db.unit_of_work() as uow:
            row = uow.session.get(Setting, key)
            return row.value if row else None

    def _put(self, key: str, value: str) -> None:
        self.access.require("settings")
        with self._db.unit_of_work(write_lock="settings") as uow:
            row = uow.session.get(Setting, key)
            if row is None:
                uow.session.add(Setting(key=key, value=value))
            else:
                row.value = value
            uow.commit()
        if self.audit is not None:
            # The value is not copied into the trail: it may hold a PIN's hash.
            self.audit.record("settings", "", key)

    def office(self) -> OfficeSettings:
        raw = self._get(_OFFICE_KEY)
        values = json.loads(raw) if raw else {}
        known = {f.name for f in fields(OfficeSettings)}
        return OfficeSettings(**{k: v for k, v in values.items() if k in known})

    def save_office(self, office: OfficeSettings) -> None:
        errors = {}
        for key in ("guide_base_url", "query_base_url", "petition_url"):
            value = getattr(office, key).strip()
            if value and not value.startswith(("http://", "https://")):
                errors[key] = "网址应以 http:// 或 https:// 开头"
        if not office.office_name.strip():
            errors["office_name"] = "请填写机关名称"
        if office.paper not in OfficeSettings.PAPERS:
            errors["paper"] = "纸张应为 A4 或 80mm"
        if errors:
            raise ValidationError(errors)
        self._put(_OFFICE_KEY, json.dumps(asdict(office), ensure_ascii=False))

    @staticmethod
    def office_keys() -> list[tuple[str, str]]:
        """(field name, label) of every office setting, in the order the settings screen shows them."""
        return [(f.name, OfficeSettings.LABELS.get(f.name, f.name)) for f in fields(OfficeSettings)]

    @classmethod
    def office_key(cls, key: str) -> str:
        """The field name for key, which may be the field name or its label (机关名称); ValidationError if neither."""
        wanted = key.strip()
        for name, label in cls.office_keys():
            # Labels carry hints in brackets (联系电话（多个用“、”分隔）); the words before them are enough.
            if wanted in (name, label, label.split("（")[0]):
                return name
        known = "、".join(f"{name} {label.split('（')[0]}" for name, label in cls.office_keys())
        raise ValidationError({"key": f"没有名为“{key}”的设置。可用的设置：{known}"})

    def set_office_value(self, key: str, value: str) -> dict[str, str]:
        """Change one office setting, named by field or label, checked by the rules of save_office.

        Returns the problems of the other fields ({field: message}, empty when there are none): on a new
        install the office name is still blank, and that must not stop an officer setting the phone first.
        """
        name = self.office_key(key)
        field = next(f for f in fields(OfficeSettings) if f.name == name)
        label = OfficeSettings.LABELS.get(name, name)
        # Field types are strings under `from __future__ import annotations`; text from a command line is
        # converted here so that a field added later as a number or a switch can be set the same way.
        converted: object = value
        if field.type in ("int", int):
            try:
                converted = int(value.strip())
            except ValueError:
                raise ValidationError({name: f"{label}应为整数：{value}"}) from None
        elif field.type in ("bool", bool):
            text = value.strip().lower()
            if text not in ("是", "否", "true", "false", "1", "0", "yes", "no", "on", "off"):
                raise ValidationError({name: f"{label}应为“是”或“否”：{value}"})
            converted = text in ("是", "true", "1", "yes", "on")
        office = replace(self.office(), **{name: converted})
        try:
            self.save_office(office)
        except ValidationError as exc:
            if name in exc.errors:
                raise ValidationError({name: exc.errors[name]}) from None
            self._put(_OFFICE_KEY, json.dumps(asdict(office), ensure_ascii=False))
            return exc.errors
        return {}

    def kiosk(self) -> KioskSettings:
        raw = self._get(_KIOSK_KEY)
        values = json.loads(raw) if raw else {}
        known = {f.name for f in fields(KioskSettings)}
        return KioskSettings(**{k: v for k, v in values.items() if k in known})

    def save_kiosk(self, kiosk: KioskSettings) -> None:
        if not KioskSettings.MIN_IDLE <= int(kiosk.idle_seconds) <= KioskSettings.MAX_IDLE:
            raise ValidationError(
                {"idle_seconds": f"请填写{KioskSettings.MIN_IDLE}到{KioskSettings.MAX_IDLE}之间的秒数"}
            )
        if not kiosk.terminal_name.strip():
            raise ValidationError({"terminal_name": "请填写触摸屏名称"})
        self._put(_KIOSK_KEY, json.dumps(asdict(kiosk), ensure_ascii=False))

    def set_kiosk_pin(self, pin: str) -> None:
        """The PIN an administrator types to leave the kiosk: 6 to 12 digits."""
        if not (pin.isdigit() and 6 <= len(pin) <= 12):
            raise ValidationError({"pin": "退出密码应为6到12位数字"})
        self.save_kiosk(replace(self.kiosk(), pin_hash=hash_secret(pin)))

    def kiosk_pin_matches(self, pin: str) -> bool:
        stored = self.kiosk().pin_hash
        return bool(stored) and secret_matches(pin, stored)

    def holiday_schedules(self) -> dict[int, HolidaySchedule]:
        with self._db.unit_of_work() as uow:
            rows = uow.session.query(Setting).filter(Setting.key.startswith(_HOLIDAYS_PREFIX)).all()
            raw = [(r.key, r.value) for r in rows]
        schedules = {}
        for key, value in raw:
            data = json.loads(value)
            year = int(key[len(_HOLIDAYS_PREFIX) :])
            schedules[year] = HolidaySchedule(
                year,
                frozenset(dt.date.fromisoformat(d) for d in data.get("holidays", [])),
                frozenset(dt.date.fromisoformat(d) for d in data.get("workdays", [])),
            )
        return schedules

    def save_holiday_schedule(self, schedule: HolidaySchedule) -> None:
        """Store one year's official schedule (放假日 and 调休上班日), as published by the State Council."""
        stray = [d for d in schedule.holidays | schedule.workdays if d.year != schedule.year]
        if stray:
            raise ValidationError({"holidays": f"日期不在{schedule.year}年内：{stray[0].isoformat()}"})
        self._put(
            f"{_HOLIDAYS_PREFIX}{schedule.year}",
            json.dumps(
                {
                    "holidays": sorted(d.isoformat() for d in schedule.holidays),
                    "workdays": sorted(d.isoformat() for d in schedule.workdays),
                }
            ),
        )


class OfficeNotConfigured(UserError):
    """A document would print placeholder office details; the officer must fill them in or confirm."""

    def __init__(self, missing: list[str]):
        self.missing = missing
        super().__init__(
            "本单位信息尚未设置（" + "、".join(missing) + "），文书上会印出占位文字。"
            "请先在“设置 → 本单位信息”中（或用 reception settings set）填写；确需先打印的，可选择“仍然打印”"
            "（命令行加 --allow-placeholders）。"
        )
