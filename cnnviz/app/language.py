"""The app's language: which one, and the Qt translators that speak it.

The language is, in this order: ``cnnviz --lang zh_CN|en``; the one chosen in View ▸ Language
(the QSettings value :data:`SETTING`, written by :func:`set_language`); the system locale
(``QLocale.system()``: Chinese gives zh_CN); English (:func:`choose_language`). At start the
app decides the same without Qt (:func:`cnnviz.i18n.startup_language`: on Linux
``QLocale.system()`` reads the same locale variables), so that the training process starts
before Qt is imported, already in that language. :func:`install_language` loads cnnviz's
catalogue (``cnnviz/resources/i18n/cnnviz_zh_CN.qm``) and Qt's own ``qtbase_zh_CN.qm`` (the
buttons of message boxes, file dialogs) from ``QLibraryInfo.path(TranslationsPath)`` into
QTranslators, and sets ``CNNVIZ_LANG`` so the training process, which writes the lessons' texts,
speaks the same language (:mod:`cnnviz.i18n`).

The main window's strings go through ``self.tr`` / ``QCoreApplication.translate``; a lesson's
fixed text marked with ``QT_TRANSLATE_NOOP("lessons", …)`` is shown with :func:`tr_lesson`.
A new language takes effect on restart (the training process and every widget's text were
made in the old one): :func:`set_language` says whether one is needed.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

from cnnviz import i18n

SETTING = "view/language"

_installed: list[QTranslator] = []
_active: str | None = None  # the language installed in this process


def settings() -> QSettings:
    """The app's settings file (the main window's: ``CNNVIZ_SETTINGS``, else
    ``~/.config/cnnviz/cnnviz.ini``)."""
    return QSettings(str(i18n.settings_path()), QSettings.Format.IniFormat)


def system_language(locale: QLocale | None = None) -> str:
    """zh_CN when the (system) locale is Chinese, else English."""
    loc = locale or QLocale.system()
    return "zh_CN" if loc.language() == QLocale.Language.Chinese else "en"


def saved_language(store: QSettings | None = None) -> str | None:
    """The language stored by View ▸ Language, or None (not chosen, or not one cnnviz has)."""
    value = (store or settings()).value(SETTING, None)
    return i18n.normalise(str(value)) if value else None


def choose_language(
    cli: str | None = None, store: QSettings | None = None, locale: QLocale | None = None
) -> str:
    """``--lang``, else the saved choice, else the system locale (see the module notes).
    Raises ``ValueError`` for a ``--lang`` cnnviz has no catalogue for."""
    if cli:
        code = i18n.normalise(cli)
        if code is None:
            raise ValueError(
                f"--lang: unknown language {cli!r} (choose one of {', '.join(i18n.LANGUAGES)})"
            )
        return code
    return saved_language(store) or system_language(locale)


def set_language(code: str, store: QSettings | None = None) -> bool:
    """Store ``code`` as the language of the next start (View ▸ Language). Returns whether a
    restart is needed to see it: True unless ``code`` is the language running now."""
    norm = i18n.normalise(code)
    if norm is None:
        raise ValueError(f"unknown language {code!r}")
    s = store or settings()
    s.setValue(SETTING, norm)
    s.sync()
    return norm != current_language()


def current_language() -> str:
    """The language installed in this process (English before :func:`install_language`)."""
    return _active or i18n.SOURCE_LANGUAGE


def qt_translations_dir() -> str:
    return QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)


def install_language(code: str, app: QCoreApplication | None = None) -> list[str]:
    """Make ``code`` the language of this process: remove the translators installed before,
    load cnnviz's catalogue and Qt's qtbase one for ``code`` and install them on ``app`` (the
    running application). Returns the files loaded (none for English). Also sets
    :func:`cnnviz.i18n.set_language` and ``CNNVIZ_LANG`` (for the processes started after)."""
    global _active
    app = app or QCoreApplication.instance()
    for t in _installed:
        if app is not None:
            app.removeTranslator(t)
        t.deleteLater()
    _installed.clear()
    code = i18n.normalise(code) or i18n.SOURCE_LANGUAGE
    loaded: list[str] = []
    if code != i18n.SOURCE_LANGUAGE and app is not None:
        for name, folder in (
            (f"qtbase_{code}", qt_translations_dir()),
            (f"cnnviz_{code}", str(i18n.CATALOGUE_DIR)),
        ):
            t = QTranslator(app)
            if t.load(name, folder):
                app.installTranslator(t)
                _installed.append(t)
                loaded.append(t.filePath())
    i18n.set_language(code)
    os.environ[i18n.ENV] = code
    _active = code
    return loaded


def tr_lesson(text: str) -> str:
    """A lesson's text (marked ``QT_TRANSLATE_NOOP("lessons", …)``) in the app's language."""
    return QCoreApplication.translate(i18n.LESSONS, text)
