"""统计: figures for a period, grouped, with a chart, compared with the same period a year earlier."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reception.statistics import (
    GROUP_LABELS,
    Report,
    StatisticsService,
    figure_rows,
    format_value,
)
from ui.shared.ops import Worker

CHART_GROUPS = 10


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


class StatisticsPanel(QWidget):
    def __init__(
        self,
        statistics: StatisticsService,
        worker: Worker,
        parent: QWidget | None = None,
        yearly_pdf: Callable[[int], bytes] | None = None,
    ):
        super().__init__(parent)
        self._statistics = statistics
        self._yearly_pdf = yearly_pdf
        self._worker = worker
        self.report: Report | None = None
        today = dt.date.today()
        self.period_combo = QComboBox()
        self.period_combo.addItems(["本年", "本季度", "本月", "上一年", "自定义"])
        self.period_combo.currentTextChanged.connect(self._period_chosen)
        self.start_edit = QDateEdit(_qdate(today.replace(month=1, day=1)))
        self.end_edit = QDateEdit(_qdate(today))
        for edit in (self.start_edit, self.end_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.group_combo = QComboBox()
        self.group_combo.addItem("不分组", "")
        for key, label in GROUP_LABELS.items():
            self.group_combo.addItem(f"按{label}", key)
        self.run_button = QPushButton("统计")
        self.run_button.setObjectName("primary")
        self.run_button.clicked.connect(self.run)
        self.xlsx_button = QPushButton("导出 Excel…")
        self.csv_button = QPushButton("导出 CSV…")
        self.xlsx_button.clicked.connect(lambda: self._export("xlsx"))
        self.csv_button.clicked.connect(lambda: self._export("csv"))
        self.report_button = QPushButton("年度报告…")
        self.report_button.clicked.connect(self._ask_report)
        self.status = QLabel("选择期间后点“统计”。每项数字都由数据库汇总，并与上年同期对比。")
        top = QHBoxLayout()
        for widget in (
            QLabel("期间"),
            self.period_combo,
            self.start_edit,
            QLabel("至"),
            self.end_edit,
            self.group_combo,
        ):
            top.addWidget(widget)
        top.addWidget(self.run_button)
        top.addStretch(1)
        top.addWidget(self.xlsx_button)
        top.addWidget(self.csv_button)
        top.addWidget(self.report_button)
        self.table = QTableWidget()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.chart_view = QChartView()
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(220)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.chart_view)
        splitter.addWidget(self.table)
        splitter.setSizes([300, 400])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(splitter, 1)
        for button in (self.xlsx_button, self.csv_button):
            button.setEnabled(False)

    def _period_chosen(self, name: str) -> None:
        today = dt.date.today()
        if name == "本年":
            start, end = today.replace(month=1, day=1), today
        elif name == "本季度":
            start, end = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1), today
        elif name == "本月":
            start, end = today.replace(day=1), today
        elif name == "上一年":
            start, end = dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)
        else:
            return
        self.start_edit.setDate(_qdate(start))
        self.end_edit.setDate(_qdate(end))

    def run(self) -> None:
        start, end = _pydate(self.start_edit.date()), _pydate(self.end_edit.date())
        group = self.group_combo.currentData()
        self.run_button.setEnabled(False)
        self.status.setText("正在统计……")
        self._worker.submit(lambda: self._statistics.report(start, end, group), self.show_report, self._failed)

    def _failed(self, error: Exception) -> None:
        self.run_button.setEnabled(True)
        self.report_button.setEnabled(True)
        self.status.setText(f"统计失败：{error}")

    def show_report(self, report: Report) -> None:
        self.report = report
        self.run_button.setEnabled(True)
        for button in (self.xlsx_button, self.csv_button):
            button.setEnabled(True)
        header, rows = figure_rows(report)
        self.table.setColumnCount(len(header))
        self.table.setRowCount(len(rows))
        self.table.setHorizontalHeaderLabels(header)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                text = str(value) if c == 0 else format_value(header[c], value)
                item = QTableWidgetItem(text)
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        t, last = report.total, report.total_last_year
        change = f"，上年同期 {last.visits} 批次" if last.visits else ""
        self.status.setText(
            f"{report.start.isoformat()} 至 {report.end.isoformat()}：来访 {t.visits} 批次、{t.people} 人{change}。"
        )
        self._draw_chart(report)

    def _draw_chart(self, report: Report) -> None:
        chart = QChart()
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        series = QBarSeries()
        if report.groups:
            groups = report.groups[:CHART_GROUPS]
            names = [name for name, _f in groups]
            current = QBarSet("来访批次")
            current.append([f.visits for _n, f in groups])
            repeats = QBarSet("重复访")
            repeats.append([f.repeat_visits for _n, f in groups])
            series.append(current)
            series.append(repeats)
            chart.setTitle(f"来访批次（{GROUP_LABELS.get(report.group_by, '')}，前{len(groups)}项）")
        else:
            names = ["来访批次", "来访人数", "重复访", "释法次数", "出具文书"]
            keys = ("visits", "people", "repeat_visits", "explanations", "handouts")
            this_year, last_year = QBarSet("本期"), QBarSet("上年同期")
            this_year.append([getattr(report.total, k) for k in keys])
            last_year.append([getattr(report.total_last_year, k) for k in keys])
            series.append(this_year)
            series.append(last_year)
            chart.setTitle("本期与上年同期")
        chart.addSeries(series)
        axis_x = QBarCategoryAxis()
        axis_x.append(names)
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_x)
        axis_y = QValueAxis()
        axis_y.setLabelFormat("%d")
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_y)
        axis_y.setMin(0)
        axis_y.applyNiceNumbers()  # whole, round steps instead of 0, 1, 3
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart_view.setChart(chart)

    def export(self, path: str, kind: str) -> None:
        if self.report is None:
            return
        self._statistics.export(self.report, path, kind)
        self.status.setText(f"已导出 {path}")

    def write_yearly_report(self, year: int, path: str) -> None:
        """Build the year's report off the UI thread and save it; the status line says when it is done."""
        if self._yearly_pdf is None:
            return
        self.report_button.setEnabled(False)
        self.status.setText(f"正在生成{year}年度报告……")

        def done(pdf: bytes) -> None:
            with open(path, "wb") as handle:
                handle.write(pdf)
            self.report_button.setEnabled(True)
            self.status.setText(f"年度报告已保存：{path}")

        self._worker.submit(lambda: self._yearly_pdf(year), done, self._failed)

    def _ask_report(self) -> None:
        year = self.start_edit.date().year()
        path, _ = QFileDialog.getSaveFileName(
            self, "保存年度报告", f"{year}年度普法责任制落实情况报告.pdf", "PDF (*.pdf)"
        )
        if path:
            self.write_yearly_report(year, path)

    def _export(self, kind: str) -> None:
        suffix = "Excel 文件 (*.xlsx)" if kind == "xlsx" else "CSV 文件 (*.csv)"
        name = f"信访统计-{self.report.start.isoformat()}-{self.report.end.isoformat()}.{kind}" if self.report else ""
        path, _ = QFileDialog.getSaveFileName(self, "导出统计", name, suffix)
        if path:
            self.export(path, kind)
