"""Translation without Qt: the marker and the look-up the Qt-free layers use.

cnnviz is translated with Qt's own system: every message lives in the catalogue
``cnnviz/resources/i18n/cnnviz_<lang>.ts`` (kept with ``pyside6-lupdate``, compiled to ``.qm``
with ``pyside6-lrelease``; see :mod:`cnnviz.i18n_tools`). The app loads the ``.qm`` into a
``QTranslator`` (:mod:`cnnviz.app.language`). The layers below the app must not import Qt, and
the lessons run in the training process, which has no Qt at all, so this module gives them:

``QT_TRANSLATE_NOOP(context, text)``
    Qt's marker, spelled as Qt spells it so that ``pyside6-lupdate`` extracts the string under
    ``context``. It returns ``text`` unchanged: the string is translated later, where it is
    shown (``translate(context, TEXT)`` here or ``QCoreApplication.translate`` in the app).
``translate(context, text)``
    The translation of ``text`` in the current language, read from the same ``.ts``
    catalogue (only finished translations; English, or a message not in the catalogue, comes
    back as it is). ``pyside6-lupdate`` extracts these calls too. A text built from numbers is
    translated as a template with named fields, then formatted::

        translate("lessons", "the other {n} samples").format(n=n - 1)

The current language is :func:`set_language`'s, else the ``CNNVIZ_LANG`` environment variable
(the app sets it, so the training process it starts speaks the same language), else English.
The command line chooses with :func:`language_from` (``--lang``, ``CNNVIZ_LANG``, then the
POSIX locale variables). The lessons' messages are all in the context :data:`LESSONS`.
"""

from __future__ import annotations

import os
import string
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

LANGUAGES = ("en", "zh_CN")  # the source language first
SOURCE_LANGUAGE = "en"
LESSONS = "lessons"  # the context of every message of cnnviz/lessons
CLI = "cli"  # the context of the command line's messages
ENV = "CNNVIZ_LANG"
CATALOGUE_DIR = Path(__file__).resolve().parent / "resources" / "i18n"

_language: str | None = None


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - Qt's own name
    """Mark ``text`` for ``pyside6-lupdate`` under ``context``; returns it unchanged."""
    return text


def normalise(code: str | None) -> str | None:
    """``code`` as one of :data:`LANGUAGES` ("zh", "zh-CN", "zh_CN.UTF-8" → "zh_CN";
    "en_GB", "C", "POSIX" → "en"), or None when it names no language cnnviz has."""
    if not code:
        return None
    base = code.split(".")[0].split("@")[0].replace("-", "_")
    if base in ("C", "POSIX"):
        return "en"
    lang = base.split("_")[0].lower()
    if lang == "zh":
        return "zh_CN"  # the one Chinese catalogue (Simplified)
    if lang == "en":
        return "en"
    return None


def language_from(
    argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None
) -> str:
    """The command line's language: ``--lang X`` (or ``--lang=X``) in ``argv``, else
    ``CNNVIZ_LANG``, else the first of ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` that is set (as
    POSIX tools read them), else English. An unknown code counts as unset."""
    env = os.environ if environ is None else environ
    args = list(argv or ())
    for i, a in enumerate(args):
        if a == "--lang" and i + 1 < len(args):
            if (code := normalise(args[i + 1])) is not None:
                return code
        elif a.startswith("--lang="):
            if (code := normalise(a.split("=", 1)[1])) is not None:
                return code
    if (code := normalise(env.get(ENV))) is not None:
        return code
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if env.get(var):
            return normalise(env[var]) or SOURCE_LANGUAGE
    return SOURCE_LANGUAGE


def settings_path(environ: Mapping[str, str] | None = None) -> Path:
    """The app's settings file: ``CNNVIZ_SETTINGS``, else ``~/.config/cnnviz/cnnviz.ini``."""
    env = os.environ if environ is None else environ
    return Path(env.get("CNNVIZ_SETTINGS") or Path.home() / ".config/cnnviz/cnnviz.ini")


def saved_language(path: Path | None = None) -> str | None:
    """The language View ▸ Language stored (``[view] language=`` of the app's INI settings,
    read without Qt), or None."""
    import configparser

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path or settings_path(), encoding="utf-8")
    except (OSError, configparser.Error, UnicodeDecodeError):
        return None
    return normalise(parser.get("view", "language", fallback="").strip('"'))


def startup_language(
    cli: str | None = None,
    path: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> str:
    """The app's language at start, decided before Qt is imported (so that the training
    process can start at once, in that language): ``cli`` (``--lang``), else ``CNNVIZ_LANG``,
    else the saved choice, else the locale variables (``LC_ALL``, ``LC_MESSAGES``, ``LANG``:
    what ``QLocale.system()`` reads on Linux), else English. Raises ``ValueError`` for a
    ``--lang`` cnnviz has no catalogue for."""
    if cli:
        code = normalise(cli)
        if code is None:
            raise ValueError(
                f"--lang: unknown language {cli!r} (choose one of {', '.join(LANGUAGES)})"
            )
        return code
    env = os.environ if environ is None else environ
    return normalise(env.get(ENV)) or saved_language(path) or language_from([], {**env, ENV: ""})


def set_language(code: str | None) -> None:
    """Make ``code`` the language of :func:`translate` in this process (None: back to
    ``CNNVIZ_LANG``). Raises ``ValueError`` for a language cnnviz has no catalogue for."""
    global _language
    if code is not None and normalise(code) is None:
        raise ValueError(f"unknown language {code!r} (cnnviz has: {', '.join(LANGUAGES)})")
    _language = normalise(code)


def current_language() -> str:
    """The language :func:`translate` uses (see the module notes)."""
    return _language or normalise(os.environ.get(ENV)) or SOURCE_LANGUAGE


def catalogue_path(code: str, suffix: str = ".ts") -> Path:
    """The catalogue of ``code``: ``cnnviz/resources/i18n/cnnviz_<code>.ts`` (or ``.qm``)."""
    return CATALOGUE_DIR / f"cnnviz_{code}{suffix}"


def read_catalogue(path: Path) -> dict[tuple[str, str], str]:
    """The finished translations of a ``.ts`` file: ``{(context, source): translation}``.
    Unfinished, obsolete and vanished messages and empty translations are left out."""
    import xml.etree.ElementTree as ET  # only when a catalogue is read: not for English

    out: dict[tuple[str, str], str] = {}
    root = ET.parse(path).getroot()
    for ctx in root.iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            if tr is None or tr.get("type") in ("unfinished", "obsolete", "vanished"):
                continue
            if tr.text:
                out[(name, msg.findtext("source") or "")] = tr.text
    return out


@cache
def _catalogue(code: str) -> dict[tuple[str, str], str]:
    from xml.etree.ElementTree import ParseError

    try:
        return read_catalogue(catalogue_path(code))
    except (OSError, ParseError):
        return {}  # a build without catalogues speaks English


def translate(context: str, text: str) -> str:
    """``text`` in the current language (``text`` itself when it has no translation)."""
    code = current_language()
    if code == SOURCE_LANGUAGE:
        return text
    return _catalogue(code).get((context, text), text)


def class_names(names) -> tuple[str, ...]:
    """A dataset's class names as the app shows them, in the current language: the built-in
    and downloadable datasets' names are marked ``QT_TRANSLATE_NOOP("classes", …)`` where they
    are defined; digits and an image folder's own names come back as they are."""
    return tuple(translate("classes", str(name)) for name in names)


def fields(text: str) -> set[str]:
    """The names of the ``{fields}`` of a template (what a translation must keep)."""
    return {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}
