"""The print centre (打印中心): every printable document in one place.

Left, the documents of ``services.documents`` in their groups with a search;
in the middle, the chosen document's options (values offered by the services,
so nobody types an id), the language and Save PDF / Print…; right, the pages
as they will print, made on a worker thread each time an option changes.
"Print the whole wall set" writes every wall notice into a folder.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from shiboken6 import isValid
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox, QFileDialog, QFormLayout, QFrame, QHBoxLayout, QLabel, QLineEdit, QMessageBox,
    QProgressDialog, QPushButton, QSpinBox, QSplitter, QTreeWidget, QTreeWidgetItem,
    QVBoxLayout, QWidget,
)

from station_desk.domain.errors import DomainError
from station_desk.i18n import N_, _, current_language
from station_desk.services import documents
from station_desk.ui import tasks
from station_desk.ui.screens.base import Screen
from station_desk.ui.widgets.errors import message_of, show_error
from station_desk.ui.widgets.pdf_preview import PdfPreview, page_count

PRINT_LANGS = (("zh_CN", N_("Chinese")), ("ko", N_("Korean")), ("en", N_("English")),
               ("bilingual", N_("Chinese and Korean")))
NAME_ROLE = Qt.ItemDataRole.UserRole
DEBOUNCE_MS = 300


def make_preview(session, name: str, lang: str, options: dict) -> tuple[bytes, list]:
    """On a worker thread: the document's PDF bytes and its page sizes, read on
    a connection of its own."""
    own = documents.worker_session(session)
    try:
        data = documents.pdf_bytes(own, name, lang=lang, options=options)
    finally:
        own.close()
    return data, page_count(data)[1]


def make_wall_set(session, *, lang: str, options: dict, out_dir: Path, report) -> list[Path]:
    """On a worker thread: ``notices.wall_set`` into ``out_dir`` on a connection
    of its own, its progress reported."""
    from station_desk.services import notices

    own = documents.worker_session(session)
    try:
        return notices.wall_set(own, lang=lang, options=options, out_dir=Path(out_dir),
                                report=report)
    finally:
        own.close()


class PrintCentreScreen(Screen):
    """Choose a document, set its options, look at the pages, save or print."""

    key = "print"
    title_msgid = N_("Print centre")

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self._name: str | None = None
        self._inputs: dict[str, QWidget] = {}
        self._task: tasks.Task | None = None
        self._pending = False
        self._shown_key: tuple | None = None
        self.last_error: str = ""
        self._stale = False
        self.wall_written: list[Path] = []

        outer = QHBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        outer.addWidget(splitter)

        # -- left: the documents
        left = QWidget()
        lbox = QVBoxLayout(left)
        lbox.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit()
        self.search.setObjectName("print_search")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self._search_enter)
        self.tree = QTreeWidget()
        self.tree.setObjectName("print_documents")
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(False)
        self.tree.setIndentation(10)
        self.tree.currentItemChanged.connect(lambda cur, _prev: self._choose(cur))
        self.tree.itemActivated.connect(lambda item, _c: self._choose(item, now=True))
        lbox.addWidget(self.search)
        lbox.addWidget(self.tree, 1)
        splitter.addWidget(left)

        # -- middle: the options
        middle = QWidget()
        mbox = QVBoxLayout(middle)
        mbox.setContentsMargins(8, 0, 8, 0)
        self.doc_title = QLabel()
        self.doc_title.setObjectName("print_title")
        font = QFont(self.doc_title.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.doc_title.setFont(font)
        self.doc_title.setWordWrap(True)
        self.description = QLabel()
        self.description.setObjectName("print_description")
        self.description.setWordWrap(True)
        self.description.setStyleSheet("color: #50586a;")
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.language = QComboBox()
        self.language.setObjectName("print_language")
        for code, msgid in PRINT_LANGS:
            self.language.addItem(_(msgid), code)
        ui_lang = current_language()
        self.language.setCurrentIndex(max(self.language.findData(ui_lang), 0))
        self.language.currentIndexChanged.connect(self.request_preview)
        self._language_chosen = False  # until the clerk picks one, it follows the window's
        self.language.activated.connect(lambda _i: setattr(self, "_language_chosen", True))
        self.language_label = QLabel()
        self.language_label.setBuddy(self.language)
        self.form.addRow(self.language_label, self.language)  # row 0 stays
        self.save_button = QPushButton()
        self.save_button.setObjectName("print_save")
        self.save_button.clicked.connect(self.save_pdf)
        self.print_button = QPushButton()
        self.print_button.setObjectName("print_print")
        self.print_button.clicked.connect(self.print_paper)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        self.wall_title = QLabel()
        self.wall_title.setStyleSheet("font-weight: bold;")
        self.wall_note = QLabel()
        self.wall_note.setWordWrap(True)
        self.wall_note.setStyleSheet("color: #50586a;")
        self.wall_button = QPushButton()
        self.wall_button.setObjectName("print_wall_set")
        self.wall_button.clicked.connect(self.print_wall_set)
        wall_row = QHBoxLayout()
        wall_row.addWidget(self.wall_button)
        wall_row.addStretch(1)
        mbox.addWidget(self.doc_title)
        mbox.addWidget(self.description)
        mbox.addSpacing(6)
        mbox.addLayout(self.form)
        mbox.addSpacing(6)
        mbox.addLayout(buttons)
        mbox.addStretch(1)
        mbox.addWidget(line)
        mbox.addWidget(self.wall_title)
        mbox.addWidget(self.wall_note)
        mbox.addLayout(wall_row)
        splitter.addWidget(middle)

        # -- right: the pages
        self.preview = PdfPreview()
        self.preview.setObjectName("print_preview")
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 0)
        splitter.setStretchFactor(2, 1)
        splitter.setSizes([210, 310, 600])

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._start_preview)
        for keys, slot in (("Ctrl+S", self.save_pdf), ("Ctrl+P", self.print_paper)):
            sc = QShortcut(QKeySequence(keys), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(slot)

        self._fill_tree()
        self.retranslate()
        first = next(iter(self._items()), None)
        if first is not None:
            self.tree.setCurrentItem(first)

    # -- Screen
    def retranslate(self) -> None:
        self.search.setPlaceholderText(_("Search documents (Ctrl+F)"))
        for i, (_code, msgid) in enumerate(PRINT_LANGS):
            self.language.setItemText(i, _(msgid))
        if not self._language_chosen and self.language.findData(current_language()) >= 0:
            self.language.setCurrentIndex(self.language.findData(current_language()))
        self.language_label.setText(_("Language"))
        self.save_button.setText(_("Save PDF…"))
        self.save_button.setToolTip(_("Save the document as a PDF file (Ctrl+S)"))
        self.print_button.setText(_("Print…"))
        self.print_button.setToolTip(_("Choose a printer and paper size and print (Ctrl+P)"))
        self.wall_title.setText(_("The whole wall set"))
        self.wall_note.setText(_("Every wall notice as its own PDF in a folder you choose, "
                                 "in the language above (and the paper size of the notice "
                                 "shown, when it has one)."))
        self.wall_button.setText(_("Print the whole wall set…"))
        self.preview.retranslate()
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            group.setText(0, _(dict(documents.GROUPS)[group.data(0, NAME_ROLE + 1)]))
            for j in range(group.childCount()):
                item = group.child(j)
                item.setText(0, _(documents.DOCUMENTS[item.data(0, NAME_ROLE)].label))
                item.setToolTip(0, _(documents.DOCUMENTS[item.data(0, NAME_ROLE)].description))
        self._filter(self.search.text())
        if self._name is not None:
            self._show_document(self._name)  # option labels and values in the new language

    def refresh(self) -> None:
        if self._name is not None:
            self._show_document(self._name)

    def on_changes(self, changes) -> None:
        if not changes:
            return
        if self.isVisible():  # any table may feed a document: read the options again
            self.refresh()
        else:
            self._stale = True  # read when shown, not made again behind other screens

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.refresh()

    def focus_search(self) -> bool:
        self.search.setFocus()
        self.search.selectAll()
        return True

    # -- the list of documents
    def _fill_tree(self) -> None:
        self.tree.clear()
        bold = QFont(self.tree.font())
        bold.setBold(True)
        for key, _msgid in documents.GROUPS:
            group = QTreeWidgetItem()
            group.setData(0, NAME_ROLE + 1, key)
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            group.setFont(0, bold)
            for name in documents.DOCUMENTS:
                if documents.group_of(name) == key:
                    item = QTreeWidgetItem()
                    item.setData(0, NAME_ROLE, name)
                    group.addChild(item)
            self.tree.addTopLevelItem(group)
            group.setExpanded(True)

    def _items(self) -> list[QTreeWidgetItem]:
        return [self.tree.topLevelItem(i).child(j) for i in range(self.tree.topLevelItemCount())
                for j in range(self.tree.topLevelItem(i).childCount())]

    def _item_of(self, name: str | None) -> QTreeWidgetItem | None:
        return next((it for it in self._items() if it.data(0, NAME_ROLE) == name), None)

    def _filter(self, text: str) -> None:
        words = text.strip().lower().split()
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            shown = 0
            for j in range(group.childCount()):
                item = group.child(j)
                doc = documents.DOCUMENTS[item.data(0, NAME_ROLE)]
                hay = " ".join((item.text(0), doc.name, _(doc.description))).lower()
                hide = bool(words) and not all(w in hay for w in words)
                item.setHidden(hide)
                shown += not hide
            group.setHidden(shown == 0)

    def _search_enter(self) -> None:
        """Enter in the search: preview the first document found."""
        visible = [it for it in self._items() if not it.isHidden()]
        if visible:
            self.tree.setCurrentItem(visible[0])
            self._choose(visible[0], now=True)

    def names(self) -> list[str]:
        """The documents listed now (after the search), in order."""
        return [it.data(0, NAME_ROLE) for it in self._items() if not it.isHidden()]

    def select_document(self, name: str) -> None:
        item = self._item_of(name)
        if item is None:
            raise KeyError(name)
        self.tree.setCurrentItem(item)

    def _choose(self, item: QTreeWidgetItem | None, now: bool = False) -> None:
        if item is None or item.data(0, NAME_ROLE) is None:
            return
        name = item.data(0, NAME_ROLE)
        if name != self._name:
            self._show_document(name)
        if now:
            self._timer.stop()
            self._start_preview()

    # -- the options
    def _show_document(self, name: str) -> None:
        doc = documents.DOCUMENTS[name]
        keep = self.options() if name == self._name else {}
        self._name = name
        self.doc_title.setText(_(doc.label))
        self.description.setText(_(doc.description))
        while self.form.rowCount() > 1:
            # taken out and deleted later, not removeRow: deleting a widget from inside
            # its own signal (an option just changed) would leave Qt a dangling pointer
            taken = self.form.takeRow(1)
            for item in (taken.labelItem, taken.fieldItem):
                if item is not None and item.widget() is not None:
                    item.widget().hide()
                    item.widget().deleteLater()
        self._inputs = {}
        for opt in doc.options:
            try:
                spec = documents.option_input(self.session, doc, opt)
            except DomainError:
                spec = documents.OptionInput("text", default=opt.default or "")
            widget = self._input_for(opt, spec, keep.get(opt.name))
            widget.setObjectName(f"option_{opt.name}")
            widget.setToolTip(_(opt.help) if opt.help else "")
            label = QLabel(_(opt.label))
            label.setBuddy(widget)
            self.form.addRow(label, widget)
            self._inputs[opt.name] = widget
        self.request_preview()

    def _input_for(self, opt, spec, keep: str | None) -> QWidget:
        if spec.kind == "number":
            box = QSpinBox()
            box.setRange(spec.minimum, spec.maximum)
            box.setValue(int(keep if keep not in (None, "") else spec.default or 0))
            box.valueChanged.connect(self.request_preview)
            return box
        if spec.kind == "choice":
            combo = QComboBox()
            combo.setMaxVisibleItems(16)
            combo.setMinimumContentsLength(12)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            for value, label in spec.choices:
                combo.addItem(label, value)
                combo.setItemData(combo.count() - 1, label, Qt.ItemDataRole.ToolTipRole)
            wanted = keep if keep is not None else spec.default
            combo.setCurrentIndex(max(combo.findData(wanted), 0))
            combo.currentIndexChanged.connect(self.request_preview)
            return combo
        edit = QLineEdit(keep if keep is not None else spec.default)
        edit.textChanged.connect(self.request_preview)
        return edit

    def set_option(self, name: str, value: str) -> None:
        """Set an option as the user would (a combo's value, a number, a text)."""
        widget = self._inputs[name]
        if isinstance(widget, QComboBox):
            i = widget.findData(value)
            if i < 0:
                raise ValueError(f"{name}={value} is not offered")
            widget.setCurrentIndex(i)
        elif isinstance(widget, QSpinBox):
            widget.setValue(int(value))
        else:
            widget.setText(value)

    def set_language(self, lang: str) -> None:
        """Choose the print language (from then on it no longer follows the window's)."""
        self._language_chosen = True
        self.language.setCurrentIndex(self.language.findData(lang))

    def document_name(self) -> str | None:
        return self._name

    def print_language(self) -> str:
        return self.language.currentData()

    def options(self) -> dict[str, str]:
        """The options as the documents service takes them (empty ones left out)."""
        out = {}
        for name, widget in self._inputs.items():
            if isinstance(widget, QComboBox):
                value = widget.currentData()
            elif isinstance(widget, QSpinBox):
                value = str(widget.value())
            else:
                value = widget.text().strip()
            if value not in (None, ""):
                out[name] = value
        return out

    # -- the preview
    def request_preview(self, *_args) -> None:
        """Make the preview again once the options stop changing."""
        if self._name is not None:
            self.preview.set_busy(True)
            self._timer.start()

    def preview_busy(self) -> bool:
        return self._timer.isActive() or self._task is not None or not self.preview.idle()

    def _start_preview(self) -> None:
        if self._name is None:
            return
        if self._task is not None:
            self._pending = True
            return
        key = (self._name, self.print_language(), tuple(sorted(self.options().items())))
        self.preview.set_busy(True)
        self._task = tasks.start(
            make_preview, self.session, self._name, self.print_language(), self.options(),
            on_finished=lambda result, k=key: self._previewed(k, result),
            on_failed=lambda exc, k=key: self._preview_failed(k, exc))

    def _current_key(self) -> tuple:
        return (self._name, self.print_language(), tuple(sorted(self.options().items())))

    def _previewed(self, key: tuple, result) -> None:
        if not isValid(self):  # the screen went while the worker ran
            return
        self._task = None
        if key == self._current_key() and not self._pending:
            data, sizes = result
            self.last_error = ""
            self.preview.set_pdf(data, sizes, keep_page=key[:1] == (self._shown_key or ())[:1])
            self._shown_key = key
        self._preview_done()

    def _preview_failed(self, key: tuple, exc: BaseException) -> None:
        if not isValid(self):
            return
        self._task = None
        if key == self._current_key() and not self._pending:
            self.last_error = message_of(exc)
            self.preview.set_message(self.last_error)
            self._shown_key = key
        self._preview_done()

    def _preview_done(self) -> None:
        if self._pending:
            self._pending = False
            self._start_preview()
        else:
            self.preview.set_busy(False)

    # -- paper
    def save_pdf(self) -> Path | None:
        from station_desk.ui import printing

        if self._name is None:
            return None
        return printing.save_document(self, self.session, self._name,
                                      lang=self.print_language(), options=self.options())

    def print_paper(self) -> bool:
        from station_desk.ui import printing

        if self._name is None:
            return False
        return printing.print_document(self, self.session, self._name,
                                       lang=self.print_language(), options=self.options())

    def print_wall_set(self, folder: str | Path | None = None) -> tasks.Task | None:
        """Ask for a folder (unless given) and write every wall notice there,
        with a progress dialog; returns the task (tests wait for it)."""
        from station_desk.ui.printing import documents_folder

        if folder is None:
            folder = QFileDialog.getExistingDirectory(
                self, _("Folder for the wall set"), str(documents_folder()))
            if not folder:
                return None
        options = {}
        if self._name and documents.group_of(self._name) == "wall" and "size" in self.options():
            options["size"] = self.options()["size"]
        progress = QProgressDialog(_("Writing the wall notices…"), _("Stop"), 0, 0, self)
        progress.setWindowTitle(_("The whole wall set"))
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.setValue(0)
        self.wall_progress = progress
        task = tasks.start(
            make_wall_set, self.session, lang=self.print_language(), options=options,
            out_dir=Path(folder), report=True,
            on_progress=lambda done, total: (progress.setMaximum(total),
                                             progress.setValue(done)),
            on_finished=lambda paths: self._wall_done(progress, Path(folder), paths),
            on_failed=lambda exc: self._wall_failed(progress, exc))
        progress.canceled.connect(task.cancel)
        return task

    def _wall_done(self, progress: QProgressDialog, folder: Path, paths: list[Path]) -> None:
        from PySide6.QtPrintSupport import QPrinterInfo

        from station_desk.ui import printing

        progress.close()
        self.wall_written = list(paths)
        saved = _("{count} wall notices were saved in {folder}.").format(count=len(paths),
                                                                         folder=str(folder))
        if not paths or not QPrinterInfo.availablePrinters():
            QMessageBox.information(self, _("The whole wall set"), saved)
            return
        answer = QMessageBox.question(
            self, _("The whole wall set"), saved + "\n\n" + _("Print them now?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            printing.print_files(self, paths, title=_("The whole wall set"))

    def _wall_failed(self, progress: QProgressDialog, exc: BaseException) -> None:
        progress.close()
        show_error(self, exc, _("Not saved"))
