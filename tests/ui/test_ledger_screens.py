"""The performance file, suggestions and evaluation screens driven through
their widgets on a real station file: declare → the head approves or rejects
→ the file shows it; the scheme editor refuses a bad scheme and keeps the
saved one; an evaluation runs and is approved."""
from __future__ import annotations

import io

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from station_desk import i18n
from station_desk.domain.accounts import Role
from station_desk.services import evaluation, ledger, registry, suggestions
from station_desk.ui.permissions import not_permitted
from station_desk.ui.screens.evaluation import EvaluationScreen
from station_desk.ui.screens.ledger import LedgerScreen
from station_desk.ui.screens.suggestions import SuggestionsScreen
from tests.conftest import deputy_data, mandate_data
from tests.ui.test_registry_screen import type_text


@pytest.fixture
def deputy(session):
    return registry.create_deputy(session, data=deputy_data(), mandates=[mandate_data()]).created_id


def _show(qtbot, widget):
    qtbot.addWidget(widget)
    widget.resize(1200, 760)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def english():
    i18n.set_language("en")
    yield
    i18n.set_language("zh_CN")


def _png(path) -> str:
    Image.new("RGB", (20, 14), (10, 90, 160)).save(path, "PNG")
    return str(path)


def _click(qtbot, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _column(screen, col: int) -> list[str]:
    """What the entries table shows in ``col``, row by row."""
    model = screen.table.model()
    return [model.index(r, col).data() for r in range(model.rowCount())]


def _titles(screen) -> list[str]:
    return _column(screen, 2)


def _reviews(screen) -> list[str]:
    return _column(screen, 4)


def test_declare_then_head_approves_and_rejects(qtbot, session, deputy, tmp_path, english):
    screen = _show(qtbot, LedgerScreen(session))
    assert screen.deputy_id() == deputy
    screen.set_period("2026")
    dialog = screen.declare()
    dialog.fields.set_value("kind", "training")
    dialog.fields.set_value("on_date", "2026-02-10")
    type_text(qtbot, dialog.fields.widgets["title"], "州人大代表培训班")
    assert dialog.add_evidence_file(_png(tmp_path / "certificate.png"))
    _click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Save))
    assert screen.dialog is None
    assert _titles(screen) == ["州人大代表培训班"]
    assert _reviews(screen) == ["Waiting for review"]
    assert _column(screen, 5) == ["1"]
    assert "1 declared entries wait" in screen.summary.text()

    # the clerk may not review: the buttons are not offered
    session.role = Role.CLERK.value
    clerk_screen = _show(qtbot, LedgerScreen(session))
    assert not_permitted(clerk_screen.approve_button) and not clerk_screen.approve_button.isVisible()
    session.role = Role.HEAD.value
    head = _show(qtbot, LedgerScreen(session))
    head.set_period("2026")
    head.table.selectRow(0)
    assert head.approve_button.isEnabled()
    _click(qtbot, head.approve_button)
    assert _reviews(head) == ["Approved"]
    assert ledger.entries(session, deputy_id=deputy, since="2026-01-01")[0].counts

    # a second declaration, rejected with a reason
    dialog = head.declare()
    dialog.fields.set_value("kind", "donation")
    dialog.fields.set_value("on_date", "2026-03-01")
    type_text(qtbot, dialog.fields.widgets["title"], "捐赠图书")
    _click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Save))
    row = _titles(head).index("捐赠图书")
    head.table.selectRow(row)
    reason = head.reject_selected()
    reason.reason.setPlainText("无凭证")
    _click(qtbot, reason.buttons.button(QDialogButtonBox.StandardButton.Ok))
    row = next(i for i, t in enumerate(_titles(head)) if t.startswith("捐赠图书"))
    assert _reviews(head)[row] == "Rejected"
    assert "无凭证" in _titles(head)[row]
    assert not head.approve_button.isEnabled()  # a reviewed entry is not reviewed twice


def test_unreadable_evidence_is_refused_and_nothing_saved(qtbot, session, deputy, tmp_path,
                                                          english):
    screen = _show(qtbot, LedgerScreen(session))
    dialog = screen.declare()
    type_text(qtbot, dialog.fields.widgets["title"], "培训")
    bad = tmp_path / "notes.docx"
    bad.write_bytes(b"PK\x03\x04 not an image")
    dialog.add_evidence_file(bad)
    _click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Save))
    assert screen.dialog is dialog and dialog.isVisible()
    assert "notes.docx" in dialog.evidence_error.text()
    assert session.db.execute("SELECT count(*) FROM ledger_entries").fetchone()[0] == 0
    dialog.reject()


def test_derived_entries_show_and_month_strip(qtbot, session, deputy, english):
    from station_desk.services import activities as act

    aid = act.create_activity(session, kind="meeting", title="代表小组会议",
                              starts_at="2026-02-05 09:00", ends_at="2026-02-05 11:00").created_id
    act.invite(session, activity_id=aid, deputy_ids=[deputy])
    inv = act.activity(session, aid)["invitees"][0]["id"]
    act.mark(session, activity_id=aid, marks={inv: "present"})
    screen = _show(qtbot, LedgerScreen(session))
    screen.set_period("2026")
    assert _titles(screen) == ["代表小组会议"]
    assert _column(screen, 3) == ["Activities"]
    assert [m["count"] for m in screen.months.months] == [0, 1, 0]  # Jan–Mar 2026
    assert screen.months.active() == 1


def test_suggestions_screen_rates(qtbot, session, deputy, english, monkeypatch):
    screen = _show(qtbot, SuggestionsScreen(session))
    screen.set_period("2026")
    form = screen.add()
    type_text(qtbot, form.fields.widgets["title"], "关于修缮村道的建议")
    form.fields.set_value("submitted_on", "2026-01-10")
    form.fields.set_value("outcome", "A")
    form.fields.set_value("reply_on", "2026-02-20")
    form.fields.set_value("face_to_face", 1)
    form.fields.set_value("satisfaction", "satisfied")
    _click(qtbot, form.buttons.button(QDialogButtonBox.StandardButton.Save))
    assert screen.table.rowCount() == 1
    form = screen.add()
    type_text(qtbot, form.fields.widgets["title"], "关于增设班车的建议")
    form.fields.set_value("submitted_on", "2026-01-12")
    form.fields.set_value("satisfaction", "satisfied")  # no reply yet: refused
    _click(qtbot, form.buttons.button(QDialogButtonBox.StandardButton.Save))
    assert screen.dialog is form and form.fields.errors["reply_on"].isVisible()
    form.fields.set_value("satisfaction", "")
    _click(qtbot, form.buttons.button(QDialogButtonBox.StandardButton.Save))
    assert screen.table.rowCount() == 2
    assert "50 % (1 of 2)" in screen.rate_labels["completion"].text()
    assert "50 % (1 of 2)" in screen.rate_labels["solved"].text()
    assert "100 % (1 of 1)" in screen.rate_labels["face_to_face"].text()
    screen.table.selectRow(1)
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert screen.delete()
    assert len(suggestions.suggestions(session, period="2026")) == 1


def _run(qtbot, screen) -> None:
    """Run the evaluation (on a worker) and wait for its results."""
    task = screen.run()
    assert task is not None and not screen.run_button.isEnabled()
    qtbot.waitUntil(lambda: screen.task is None, timeout=20000)
    assert screen.results is not None


def test_scheme_editor_refuses_bad_input_and_keeps_the_saved_scheme(qtbot, session, deputy,
                                                                    english):
    screen = _show(qtbot, EvaluationScreen(session))
    screen.preset.setCurrentIndex(screen.preset.findData("yinchuan"))
    _click(qtbot, screen.load_preset_button)
    assert screen.save_scheme()
    assert evaluation.scheme(session)["preset"] == "yinchuan"
    screen.set_period("2025")
    _run(qtbot, screen)
    before = evaluation.results(session, period="2025")

    # a cap below zero and a gap between grades: refused, cells marked
    screen.items.item(1, 3).setText("-5")
    screen.bands.item(2, 1).setText("85")
    assert not screen.save_scheme()
    assert screen.problems.isVisible()
    assert "cap cannot be below zero" in screen.problems.text()
    assert "no grade" in screen.problems.text()
    assert screen.items.item(1, 3).background().color().name() == "#fdecea"
    assert evaluation.scheme(session)["preset"] == "yinchuan"
    assert evaluation.scheme(session)["items"][1]["cap"] == 20
    assert evaluation.results(session, period="2025") == before

    # put right, saved; evaluated again and approved
    screen.items.item(1, 3).setText("")
    screen.bands.item(2, 1).setText("80")
    assert screen.save_scheme()
    assert evaluation.scheme(session)["items"][1]["cap"] is None
    _run(qtbot, screen)
    assert screen.table.rowCount() == 1
    assert screen.approve()
    assert "Approved on" in screen.state.text()
    assert not screen.run_button.isEnabled()


def test_evidence_is_shown_to_the_head_and_models_are_recorded(qtbot, session, deputy, tmp_path,
                                                                english):
    ledger.declare(session, deputy_id=deputy, data={
        "kind": "award", "on_date": "2026-01-05", "title": "优秀人大代表"},
        evidence=[("certificate.png", _png_bytes())])
    screen = _show(qtbot, LedgerScreen(session))
    screen.set_period("2026")
    screen.table.selectRow(0)
    assert screen.evidence_button.isEnabled()
    dialog = screen.show_evidence()
    assert dialog.files.count() == 1 and not dialog.preview.pixmap().isNull()
    dialog.reject()

    form = screen.add_model()
    form.set_value("title", "延边州优秀人大代表")
    form.set_value("chosen_by", "延边州人大常委会")
    _click(qtbot, form.buttons.button(QDialogButtonBox.StandardButton.Save))
    form = screen.add_publicity()
    form.set_value("on_date", "2026-02-01")
    form.set_value("outlet", "《延边人大》")
    form.set_value("title", "扎根边疆的领头雁")
    _click(qtbot, form.buttons.button(QDialogButtonBox.StandardButton.Save))
    assert "延边州优秀人大代表" in _titles(screen) and "扎根边疆的领头雁" in _titles(screen)
    assert {r["title"] for r in ledger.models(session)} == {"延边州优秀人大代表"}


def _png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (30, 20), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def test_the_registry_opens_the_deputys_file(qtbot, session, deputy):
    from station_desk.ui.main_window import MainWindow
    from tests.ui.shell_helpers import close_window

    other = registry.create_deputy(session, data=deputy_data(name="李春花", phone="13843310002"),
                                   mandates=[mandate_data()]).created_id
    window = MainWindow(session, auto_backup=False)
    window.show()
    qtbot.waitExposed(window)
    try:
        window.show_screen("registry")
        reg = window.screen("registry")
        reg.select_deputy(other)
        qtbot.waitUntil(lambda: reg.detail.file_button.isEnabled())
        _click(qtbot, reg.detail.file_button)
        assert window.current_screen().key == "ledger"
        assert window.screen("ledger").deputy_id() == other
    finally:
        close_window(qtbot, window)
