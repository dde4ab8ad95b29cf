"""The score sheet of one check as a table a clerk fills from the paper sheet by keyboard:
type a number, Enter, and the cursor is on the next item's score."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractItemModel,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QRegularExpression,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from desktop.domain.sorting import ScoreInput
from desktop.domain.sorting_templates import ItemRow, Sheet, TemplateRow, score_sheet, value_error

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
COLUMNS = (
    QT_TRANSLATE_NOOP("ScoreSheetModel", "序号"),
    QT_TRANSLATE_NOOP("ScoreSheetModel", "类别"),
    QT_TRANSLATE_NOOP("ScoreSheetModel", "检查内容"),
    QT_TRANSLATE_NOOP("ScoreSheetModel", "分值"),
    QT_TRANSLATE_NOOP("ScoreSheetModel", "方式"),
    QT_TRANSLATE_NOOP("ScoreSheetModel", "上次得分"),
    QT_TRANSLATE_NOOP("ScoreSheetModel", "填写"),
    QT_TRANSLATE_NOOP("ScoreSheetModel", "得分"),
    QT_TRANSLATE_NOOP("ScoreSheetModel", "备注"),
)
POS, GROUP, TEXT, MAX, MODE, PREVIOUS, VALUE, EARNED, NOTE = range(len(COLUMNS))
EDITABLE = (VALUE, NOTE)
_LOST = QColor(255, 224, 224)
_VETO = QColor(239, 154, 154)
_INPUT = QColor(255, 253, 231)
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _tr(text: str) -> str:
    return QCoreApplication.translate("ScoreSheetModel", text)


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


class ScoreSheetModel(QAbstractTableModel):
    """The rows shown (all items, or a recheck's failed ones) over the whole template.

    `fixed` holds the points of items not shown (carried over by a recheck): they count in
    the total but cannot be typed.
    """

    sheet_changed = Signal()
    refused = Signal(str)  # a typed value outside the item's range

    def __init__(self, template: TemplateRow, rows: tuple[ItemRow, ...] | None = None, *,
                 fixed: dict[int, float] | None = None,
                 previous: dict[int, float] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.template = template
        self.rows = rows if rows is not None else template.items
        self.fixed = dict(fixed or {})
        self.previous = dict(previous or {})
        self.values: dict[int, float | None] = {i.id: None for i in self.rows}
        self.notes: dict[int, str] = {i.id: "" for i in self.rows}
        self.last_refusal = ""

    # --- values ---------------------------------------------------------------------------

    def set_values(self, values: dict[int, tuple[float | None, str]]) -> None:
        """Typed values (as on the sheet) and notes by item id."""
        self.beginResetModel()
        for item in self.rows:
            value, note = values.get(item.id, (None, ""))
            self.values[item.id] = value
            self.notes[item.id] = note
        self.endResetModel()
        self.sheet_changed.emit()

    def clear(self) -> None:
        self.set_values({})

    def earned(self) -> dict[int, float | None]:
        out: dict[int, float | None] = dict(self.fixed)
        for item in self.rows:
            value = self.values[item.id]
            out[item.id] = None if value is None else item.earned(value)
        return out

    def sheet(self) -> Sheet:
        return score_sheet(self.template, self.earned())

    def scores(self) -> list[ScoreInput]:
        return [ScoreInput(i.id, self.values[i.id], self.notes[i.id]) for i in self.rows]

    def first_missing(self) -> int | None:
        """The row of the first item not scored yet."""
        return next((n for n, i in enumerate(self.rows) if self.values[i.id] is None), None)

    def row_of_item(self, item_id: int) -> int | None:
        return next((n for n, i in enumerate(self.rows) if i.id == item_id), None)

    def is_modified(self) -> bool:
        return any(v is not None for v in self.values.values()) or any(self.notes.values())

    # --- Qt model -------------------------------------------------------------------------

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _tr(str(COLUMNS[section]))
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() in EDITABLE:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.rows[index.row()]
        column = index.column()
        value = self.values[item.id]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(item, column, value)
        if role == Qt.ItemDataRole.ToolTipRole and column in (TEXT, MODE, VALUE):
            return (f"{item.text}\n{_tr('评分标准：')}{item.criteria}" if item.criteria
                    else item.text)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (POS, MAX, PREVIOUS, VALUE, EARNED):
            return _RIGHT
        if role == Qt.ItemDataRole.BackgroundRole:
            lost = value is not None and item.earned(value) < item.max_score
            if lost and column in (VALUE, EARNED):
                return QBrush(_VETO if item.veto else _LOST)
            if column == VALUE:
                return QBrush(_INPUT)
        if role == Qt.ItemDataRole.ForegroundRole and column == MODE and item.veto:
            return QBrush(QColor(183, 28, 28))
        return None

    def _text(self, item: ItemRow, column: int, value: float | None) -> str:
        if column == POS:
            return str(item.position)
        if column == GROUP:
            return item.group
        if column == TEXT:
            return item.text
        if column == MAX:
            return f"{item.max_score:g}"
        if column == MODE:
            mode = _tr("扣分") if item.deduct else _tr("得分")
            return mode + (_tr("·否决") if item.veto else "")
        if column == PREVIOUS:
            return _number(self.previous.get(item.id))
        if column == VALUE:
            return _number(value)
        if column == EARNED:
            return "" if value is None else f"{item.earned(value):g}"
        return self.notes[item.id]

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        item = self.rows[index.row()]
        if index.column() == NOTE:
            self.last_refusal = ""
            self.notes[item.id] = str(value or "").strip()[:300]
            self.dataChanged.emit(index, index)
            return True
        if index.column() != VALUE:
            return False
        text = str(value or "").strip()
        number: float | None
        try:
            number = float(text) if text else None
        except ValueError:
            number = -1.0
        problem = value_error(item, number) if number is not None else ""
        if problem:
            self.last_refusal = problem
            self.refused.emit(problem)
            return False
        self.last_refusal = ""
        self.values[item.id] = number
        self.dataChanged.emit(self.index(index.row(), VALUE), self.index(index.row(), EARNED))
        self.sheet_changed.emit()
        return True


class _Delegate(QStyledItemDelegate):
    """A plain line edit for the score (digits and a decimal point only), text for the note."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = QLineEdit(parent)
        editor.setFrame(False)
        if index.column() == VALUE:
            editor.setValidator(QRegularExpressionValidator(
                QRegularExpression(r"\d{0,3}([.。]\d{0,2})?"), editor))
            editor.setAlignment(_RIGHT)
        else:
            editor.setMaxLength(300)
        return editor

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QLineEdit)
        # A full-width 。 typed with the IME on means the decimal point.
        model.setData(index, editor.text().replace("。", "."), Qt.ItemDataRole.EditRole)


class ScoreTable(QTableView):
    """Enter commits and moves to the next row's score; past the last row `finished` fires.
    Tab moves between the score and the note; typing on a cell starts editing it."""

    finished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setItemDelegate(_Delegate(self))
        self.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed
                             | QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTabKeyNavigation(True)
        rows = self.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)

    def setModel(self, model: Any) -> None:  # noqa: N802 - Qt's name
        super().setModel(model)
        header = self.horizontalHeader()
        metrics = self.fontMetrics()
        for column, sample in ((POS, "序号"), (GROUP, "设施设置"), (MAX, "分值"),
                               (MODE, "扣分·否决"), (PREVIOUS, "上次得分"), (VALUE, "填写 00"),
                               (EARNED, "得分 0")):
            self.setColumnWidth(column, metrics.horizontalAdvance(sample) + 18)
        header.setSectionResizeMode(TEXT, QHeaderView.ResizeMode.Stretch)
        self.setColumnWidth(NOTE, metrics.horizontalAdvance("桶边无人值守，已告知") + 18)

    def score_model(self) -> ScoreSheetModel:
        model = self.model()
        assert isinstance(model, ScoreSheetModel)
        return model

    def go_to(self, row: int, column: int = VALUE) -> None:
        index = self.model().index(row, column)
        self.setCurrentIndex(index)
        self.scrollTo(index)

    def advance(self) -> None:
        row = self.currentIndex().row()
        if row + 1 < self.model().rowCount():
            self.go_to(row + 1)
        else:
            self.finished.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            # Never let Enter reach the dialog (its default button would save half a sheet).
            event.accept()
            if self.state() != QAbstractItemView.State.EditingState:
                self.advance()
            return
        super().keyPressEvent(event)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:  # noqa: N802
        if hint != QAbstractItemDelegate.EndEditHint.SubmitModelCache:
            super().closeEditor(editor, hint)
            return
        # Enter in the editor: the value is committed by now; a refused one keeps the row.
        super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        if self.score_model().last_refusal:
            self.go_to(self.currentIndex().row())
        else:
            self.advance()

    def moveCursor(self, action: QAbstractItemView.CursorAction,  # noqa: N802
                   modifiers: Qt.KeyboardModifier) -> QModelIndex:
        current = self.currentIndex()
        forward = action == QAbstractItemView.CursorAction.MoveNext
        if action not in (QAbstractItemView.CursorAction.MoveNext,
                          QAbstractItemView.CursorAction.MovePrevious) or not current.isValid():
            return super().moveCursor(action, modifiers)
        # Tab walks score → note → next row's score, skipping the read-only columns.
        cells = [(r, c) for r in range(self.model().rowCount()) for c in EDITABLE]
        here = (current.row(), current.column() if current.column() in EDITABLE else VALUE)
        n = cells.index(here) + (1 if forward else -1)
        if not 0 <= n < len(cells):
            return current
        return self.model().index(*cells[n])
