"""The ``cnnviz`` console script.

With no subcommand it opens the desktop app. Each subcommand lives in its own module under
``cnnviz/commands`` and exposes ``register(subparsers)``, which adds its parser and sets
``func(args) -> int`` as the handler.

The top-level ``--help``, its option texts and the ``error:`` prefix are translated
(:mod:`cnnviz.i18n`, context ``cli``) into the language of ``--lang``, ``CNNVIZ_LANG`` or the
POSIX locale (``LANG=zh_CN.UTF-8``); the subcommands' help and the messages themselves are
English for now.

Errors meant for the user (:class:`cnnviz.errors.CnnvizError`, and ``ValueError``/``OSError``
raised while reading user input) are printed as one line on stderr (control characters
escaped) with a non-zero exit code, never as a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from cnnviz.errors import CnnvizError
from cnnviz.i18n import language_from, normalise, set_language, translate
from cnnviz.plugins import load_plugins
from cnnviz.safeio import printable

# Subcommand modules, in the order ``cnnviz --help`` lists them. A module that does not exist
# yet is skipped, so the CLI grows as the project does.
COMMANDS = ("train", "eval", "info", "data", "gradcheck", "bench", "export", "importer")


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        prefix = (
            translate("cli", "usage: ") if prefix is None else prefix
        )  # "" for a subcommand's prog
        return super().add_usage(usage, actions, groups, prefix)


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors and its own words (usage, section titles, -h) translated."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = translate("cli", "positional arguments")
        self._optionals.title = translate("cli", "options")
        if add_help:
            self.add_argument(
                "-h",
                "--help",
                action="help",
                help=translate("cli", "show this help message and exit"),
            )

    def error(self, message: str) -> None:  # one line, exit 2, like argparse but without usage
        _error(message)
        raise SystemExit(2)


def _language(code: str) -> str:
    if normalise(code) is None:
        raise argparse.ArgumentTypeError(
            translate("cli", "unknown language {code!r} (choose zh_CN or en)").format(code=code)
        )
    return normalise(code)


def _error(message) -> None:
    sys.stderr.write(translate("cli", "cnnviz: error: {message}").format(message=message) + "\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="cnnviz",
        description=translate(
            "cli", "Watch a convolutional network learn. With no command, opens the app."
        ),
    )
    parser.add_argument(
        "--preset", metavar="FILE", help=translate("cli", "open the app with a lecture preset")
    )
    parser.add_argument("--data-dir", metavar="DIR", help=translate("cli", "dataset cache folder"))
    parser.add_argument(
        "--lang",
        metavar="LANG",
        type=_language,
        help=translate("cli", "language of the app and of these messages: zh_CN or en"),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"cnnviz.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"cnnviz.commands.{name}":
                continue
            raise
        module.register(sub)
    return parser


def _open_app(args: argparse.Namespace) -> int:
    try:
        from cnnviz.app.main import run_app
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("cnnviz.app"):
            raise CnnvizError(
                "the desktop app (cnnviz.app) is missing from this installation"
            ) from exc
        raise
    return run_app(preset=args.preset, data_dir=args.data_dir, lang=args.lang)


def main(argv: list[str] | None = None) -> int:
    set_language(language_from(sys.argv[1:] if argv is None else argv))
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "func", None) or _open_app
    try:
        load_plugins()
        return int(handler(args) or 0)
    except (CnnvizError, ValueError, OSError) as exc:
        text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        _error(printable(text, 500))
        return 1
    except (MemoryError, RecursionError) as exc:  # a limit missed: still one line, no traceback
        if isinstance(exc, MemoryError):
            _error(translate("cli", "out of memory"))
        else:
            _error(translate("cli", "input nested too deeply"))
        return 1
    except KeyboardInterrupt:
        sys.stderr.write(translate("cli", "cnnviz: interrupted") + "\n")
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
