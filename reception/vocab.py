"""Fixed vocabularies that registration, matching and statistics count by."""

from __future__ import annotations

MATTER_TYPES: tuple[str, ...] = ("建议意见", "检举控告", "申诉求决")

# Topics name what a matter is about (the field and the department that handles it); whether it is a
# suggestion, a report or a claim is its type. docs/topics.md explains each and the 2026-12 change.
TOPICS: tuple[str, ...] = (
    "劳动就业",
    "社会保障",
    "征地拆迁",
    "农村农业",
    "城乡建设与住房",
    "交通运输",
    "医疗卫生",
    "教育",
    "生态环境",
    "食品药品安全",
    "安全生产",
    "社会救助",
    "退役军人事务",
    "消费维权",
    "涉法涉诉",
    "纪检监察",
    "政务公开与行政行为",
    "婚姻家庭与民间纠纷",
    "信访程序",
    "法律援助",
)

ROUTES: tuple[str, ...] = (
    "涉法涉诉",
    "仲裁",
    "党内程序",
    "行政程序",
    "依法履职",
    "调解",
    "纪检监察",
    "法律援助",
    "信访程序",
    "建议意见",
)

MATTER_STATUSES: tuple[str, ...] = (
    "已登记",
    "已受理",
    "不予受理",
    "已转送",
    "已导入法定途径",
    "办理中",
    "已答复",
    "复查中",
    "复查已答复",
    "复核中",
    "已办结",
    "已并入",
)

GENDERS: tuple[str, ...] = ("男", "女", "未说明")
