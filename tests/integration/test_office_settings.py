"""An office's own details on paper: nothing prints placeholders or example QR codes unless asked to."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest

from reception.errors import ValidationError
from reception.settings import OfficeNotConfigured, OfficeSettings


def _text(pdf: bytes, tmp_path) -> str:  # noqa: ANN001
    source = tmp_path / "doc.pdf"
    source.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(source), "-"], check=True, capture_output=True, text=True).stdout
    return "".join(out.split())


def _register(services, make_input, **values):  # noqa: ANN001, ANN003, ANN202
    defaults = dict(matter_type="申诉求决", topic="劳动就业", route="仲裁", visited_at=dt.datetime(2026, 11, 20, 9, 30))
    defaults.update(values)
    return services.visits.register(make_input(**defaults))


def test_a_new_office_has_no_details_and_documents_refuse_placeholders(unconfigured_services, make_input, tmp_path):  # noqa: ANN001
    services = unconfigured_services
    office = services.settings.office()
    assert not office.is_configured
    assert office.unset_for_print() == ["机关名称", "接待地址", "联系电话（多个用“、”分隔）"]
    saved = _register(services, make_input)
    handouts = services.handouts()
    for prepare in (
        lambda: handouts.prepare_notice(saved.visit_id),
        lambda: handouts.prepare_receipt(saved.visit_id),
        lambda: handouts.prepare_guide("劳动就业"),
    ):
        with pytest.raises(OfficeNotConfigured) as refused:
            prepare()
        assert "机关名称" in str(refused.value) and "仍然打印" in str(refused.value)
    # Printing anyway is a choice the officer makes; the paper then says what is missing.
    document = handouts.prepare_receipt(saved.visit_id, allow_placeholders=True)
    text = _text(document.pdf, tmp_path)
    assert "接待地址未设置" in text and "example.gov.cn" not in text


def test_an_old_placeholder_saved_by_an_earlier_version_still_counts_as_unset():
    office = OfficeSettings(office_name="××市信访局", address="请在“设置”中填写接待地址", phone="12345")
    assert office.unset_for_print() == ["机关名称", "接待地址"]
    assert not OfficeSettings(query_base_url="https://example.gov.cn/xinfang/chaxun").has_real("query_base_url")


def test_no_progress_qr_without_the_office_s_own_query_page(unconfigured_services, make_input, tmp_path):  # noqa: ANN001
    services = unconfigured_services
    services.settings.save_office(OfficeSettings(office_name="某县信访局", address="某县府前路8号", phone="0512-1111"))
    saved = _register(services, make_input)
    handouts = services.handouts()
    receipt = handouts.prepare_receipt(saved.visit_id)
    assert receipt.content.qr is None
    text = _text(receipt.pdf, tmp_path)
    assert "请凭登记编号和查询码到接待窗口查询，或拨打0512-1111" in text
    notice = handouts.prepare_notice(saved.visit_id, issued_on=dt.date(2026, 11, 20))
    assert notice.content.qr == ()
    guide = handouts.prepare_guide("劳动就业")
    assert guide.content.qr is None
    # With a real address the code comes back.
    office = services.settings.office()
    office.query_base_url = "https://xf.mouxian.gov.cn/cx"
    services.settings.save_office(office)
    assert handouts.prepare_receipt(saved.visit_id).content.qr.url.startswith("https://xf.mouxian.gov.cn/cx?")


def test_settings_validate_addresses_and_paper(unconfigured_services):  # noqa: ANN001
    with pytest.raises(ValidationError) as bad:
        unconfigured_services.settings.save_office(
            OfficeSettings(office_name="某县信访局", petition_url="xf.gov.cn", paper="B5")
        )
    assert set(bad.value.errors) == {"petition_url", "paper"}


def test_a_notice_cannot_be_printed_for_an_unclassified_matter(services, make_input):  # noqa: ANN001
    saved = _register(services, make_input, matter_type="", topic="", route="")
    with pytest.raises(ValidationError) as refused:
        services.handouts().prepare_notice(saved.visit_id)
    assert "尚未分类" in refused.value.errors["classification"]
    # The receipt does not depend on the classification.
    assert services.handouts().prepare_receipt(saved.visit_id).pdf


def test_documents_go_to_the_printer_chosen_for_their_paper(services, make_input):  # noqa: ANN001
    saved = _register(services, make_input)
    handouts = services.handouts()
    a4 = handouts.prepare_receipt(saved.visit_id)
    roll = handouts.prepare_receipt(saved.visit_id, narrow=True)
    assert handouts.printer_for(a4) == "" and handouts.printer_for(roll) == ""  # the system's default
    office = services.settings.office()
    office.printer, office.receipt_printer = "大厅激光打印机", "小票机-1"
    services.settings.save_office(office)
    assert handouts.printer_for(a4) == "大厅激光打印机"
    assert handouts.printer_for(roll) == "小票机-1"
