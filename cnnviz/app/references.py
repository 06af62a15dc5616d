"""Help ▸ References: the works the backprop rules and the convolution explainer cite.

Lists :data:`cnnviz.lessons.references.REFERENCES` — the full citation of each work, what the
lessons take from it and its address where it has one — so that the short citations under
each rule ("Bouvrie 2006, §3.2.1: …") can be looked up.

>>> dialog = show_references(window)     # non-modal; returns the dialog
"""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from cnnviz.i18n import QT_TRANSLATE_NOOP
from cnnviz.lessons.references import Reference, bibliography

translate = QCoreApplication.translate  # extracted by pyside6-lupdate

TITLE = QT_TRANSLATE_NOOP("references", "References")
INTRO = QT_TRANSLATE_NOOP(
    "references",
    "Each rule in the Backprop rule panel and each example of the convolution explainer ends "
    "with the works it comes from, by the short names below.",
)


def _entry(ref: Reference) -> str:
    link = f'<br><a href="{html.escape(ref.url)}">{html.escape(ref.url)}</a>' if ref.url else ""
    return (
        f'<p style="margin: 10px 0"><b>{html.escape(ref.short)}</b><br>'
        f"{html.escape(ref.full)}{link}<br>"
        f'<span style="color: #606a75">{html.escape(ref.shown_about())}</span></p>'
    )


def references_html() -> str:
    """The dialog's text: one paragraph per reference, in the table's order."""
    body = "".join(_entry(r) for r in bibliography())
    return f"<p>{html.escape(translate('references', INTRO))}</p>{body}"


class ReferencesDialog(QDialog):
    """A list of the references, with links that open in the browser."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("references", TITLE))
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        self.browser.setHtml(references_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        lay = QVBoxLayout(self)
        lay.addWidget(self.browser)
        lay.addWidget(buttons)
        self.resize(640, 560)

    def text(self) -> str:
        """The plain text shown (for tests and copying)."""
        return self.browser.toPlainText()


def show_references(parent: QWidget | None = None) -> ReferencesDialog:
    """Open the References dialog (non-modal, deleted when closed) and return it."""
    dialog = ReferencesDialog(parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    dialog.show()
    return dialog
