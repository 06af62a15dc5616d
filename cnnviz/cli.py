"""The ``cnnviz`` console script.

With no subcommand it opens the desktop app. Each subcommand lives in its own module under
``cnnviz/commands`` and exposes ``register(subparsers)``, which adds its parser and sets
``func(args) -> int`` as the handler.

Errors meant for the user (:class:`cnnviz.errors.CnnvizError`, and ``ValueError``/``OSError``
raised while reading user input) are printed as one line on stderr (control characters
escaped) with a non-zero exit code, never as a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from cnnviz.errors import CnnvizError
from cnnviz.plugins import load_plugins
from cnnviz.safeio import printable

# Subcommand modules, in the order ``cnnviz --help`` lists them. A module that does not exist
# yet is skipped, so the CLI grows as the project does.
COMMANDS = ("train", "eval", "info", "data", "gradcheck", "bench", "export", "importer")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, like argparse but without usage
        sys.stderr.write(f"cnnviz: error: {message}\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="cnnviz",
        description="Watch a convolutional network learn. With no command, opens the app.",
    )
    parser.add_argument("--preset", metavar="FILE", help="open the app with a lecture preset")
    parser.add_argument("--data-dir", metavar="DIR", help="dataset cache folder")
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
            raise CnnvizError("the desktop app is not part of this build yet") from exc
        raise
    return run_app(preset=args.preset, data_dir=args.data_dir)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "func", None) or _open_app
    try:
        load_plugins()
        return int(handler(args) or 0)
    except (CnnvizError, ValueError, OSError) as exc:
        text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        sys.stderr.write(f"cnnviz: error: {printable(text, 500)}\n")
        return 1
    except (MemoryError, RecursionError) as exc:  # a limit missed: still one line, no traceback
        what = "out of memory" if isinstance(exc, MemoryError) else "input nested too deeply"
        sys.stderr.write(f"cnnviz: error: {what}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("cnnviz: interrupted\n")
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
