"""Office-wide settings kept in the database: office details, QR base addresses, font, holiday schedules."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, fields

from db.models import Setting
from db.session import Database
from reception.deadlines import HolidaySchedule
from reception.errors import ValidationError

_OFFICE_KEY = "office"
_HOLIDAYS_PREFIX = "holidays."


@dataclass
class OfficeSettings:
    """What documents print about the office. Every field has a label for the settings screen."""

    office_name: str = "××市信访局"
    address: str = "请在“设置”中填写接待地址"
    phone: str = "请在“设置”中填写联系电话"
    reception_hours: str = "工作日 上午9:00—12:00，下午13:30—17:00"
    guide_base_url: str = "https://example.gov.cn/pufa/"
    query_base_url: str = "https://example.gov.cn/xinfang/chaxun"
    font_path: str = ""

    LABELS = {
        "office_name": "机关名称",
        "address": "接待地址",
        "phone": "联系电话",
        "reception_hours": "接待时间",
        "guide_base_url": "普法指南网址（二维码）",
        "query_base_url": "办理进度查询网址（二维码）",
        "font_path": "打印字体文件（可留空自动查找）",
    }


class SettingsService:
    def __init__(self, database: Database):
        self._db = database

    def _get(self, key: str) -> str | None:
        with self._db.unit_of_work() as uow:
            row = uow.session.get(Setting, key)
            return row.value if row else None

    def _put(self, key: str, value: str) -> None:
        with self._db.unit_of_work() as uow:
            row = uow.session.get(Setting, key)
            if row is None:
                uow.session.add(Setting(key=key, value=value))
            else:
                row.value = value
            uow.commit()

    def office(self) -> OfficeSettings:
        raw = self._get(_OFFICE_KEY)
        values = json.loads(raw) if raw else {}
        known = {f.name for f in fields(OfficeSettings)}
        return OfficeSettings(**{k: v for k, v in values.items() if k in known})

    def save_office(self, office: OfficeSettings) -> None:
        errors = {}
        for key in ("guide_base_url", "query_base_url"):
            value = getattr(office, key).strip()
            if value and not value.startswith(("http://", "https://")):
                errors[key] = "网址应以 http:// 或 https:// 开头"
        if not office.office_name.strip():
            errors["office_name"] = "请填写机关名称"
        if errors:
            raise ValidationError(errors)
        self._put(_OFFICE_KEY, json.dumps(asdict(office), ensure_ascii=False))

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
