"""Keep the translation catalogues: ``python -m cnnviz.i18n_tools update|compile|check``.

``update``
    ``pyside6-lupdate`` over every ``.py`` under ``cnnviz/`` into each
    ``cnnviz/resources/i18n/cnnviz_<lang>.ts`` (new messages come in unfinished, messages no
    longer in the code are dropped; no source locations, so the catalogue changes only when a
    message does). Then translate the unfinished messages (Qt Linguist, ``pyside6-linguist``,
    or by hand), using ``glossary.tsv`` beside the catalogue for the terms.
``compile``
    ``pyside6-lrelease`` each ``.ts`` into its ``.qm`` (shipped in the package).
``check``
    What CI runs (and ``tests/test_i18n.py``): the catalogue holds exactly the messages of the
    code, each translated (none unfinished, obsolete or vanished), each translation keeps its
    template's ``{fields}``, and the ``.qm`` is the compiled ``.ts``. Prints one line per
    problem and exits 1 if there is any.

The tools come with PySide6 (``pyside6-lupdate``, ``pyside6-lrelease``), found beside the
Python running this, else on ``PATH``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from cnnviz.i18n import CATALOGUE_DIR, LANGUAGES, SOURCE_LANGUAGE, catalogue_path, fields

PACKAGE = Path(__file__).resolve().parent
TRANSLATED = tuple(code for code in LANGUAGES if code != SOURCE_LANGUAGE)


def tool(name: str) -> str | None:
    """The path of ``pyside6-<name>`` (beside ``sys.executable`` first), or None."""
    here = Path(sys.executable).parent / f"pyside6-{name}"
    return str(here) if here.exists() else shutil.which(f"pyside6-{name}")


def sources() -> list[str]:
    """Every Python file of the package (sorted, so runs are reproducible)."""
    return sorted(str(p) for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _run(args: list[str]) -> None:
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{Path(args[0]).name} failed: {done.stderr.strip() or done.stdout}")


def lupdate(ts: Path) -> None:
    exe = tool("lupdate")
    if exe is None:
        raise SystemExit("pyside6-lupdate not found (it comes with PySide6)")
    lang = ts.stem.split("_", 1)[1]
    _run([exe, *sources(), "-no-obsolete", "-locations", "none",
          "-source-language", "en", "-target-language", lang, "-ts", str(ts)])  # fmt: skip


def lrelease(ts: Path, qm: Path) -> None:
    exe = tool("lrelease")
    if exe is None:
        raise SystemExit("pyside6-lrelease not found (it comes with PySide6)")
    _run([exe, "-silent", str(ts), "-qm", str(qm)])


def messages(ts: Path) -> list[tuple[str, str, str | None, str]]:
    """``(context, source, translation type or None, translation)`` of every message."""
    out = []
    for ctx in ET.parse(ts).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            kind = tr.get("type") if tr is not None else "unfinished"
            text = (tr.text or "") if tr is not None else ""
            out.append((name, msg.findtext("source") or "", kind, text))
    return out


def update() -> None:
    CATALOGUE_DIR.mkdir(parents=True, exist_ok=True)
    for code in TRANSLATED:
        ts = catalogue_path(code)
        lupdate(ts)
        todo = sum(1 for m in messages(ts) if m[2] == "unfinished")
        print(f"{ts.name}: {len(messages(ts))} messages, {todo} to translate")


def compile_all() -> None:
    for code in TRANSLATED:
        lrelease(catalogue_path(code), catalogue_path(code, ".qm"))
        print(f"{catalogue_path(code, '.qm').name} compiled")


def check() -> list[str]:
    """The problems of the catalogues (an empty list when they are current and complete)."""
    problems = []
    for code in TRANSLATED:
        ts, qm = catalogue_path(code), catalogue_path(code, ".qm")
        if not ts.exists():
            problems.append(f"{ts.name}: missing (run: python -m cnnviz.i18n_tools update)")
            continue
        have = messages(ts)
        for ctx, src, kind, text in have:
            where = f"{ts.name}: [{ctx}] {src[:60]!r}"
            if kind in ("unfinished", "obsolete", "vanished"):
                problems.append(f"{where}: {kind}")
            elif not text:
                problems.append(f"{where}: empty translation")
            elif fields(src) != fields(text):
                problems.append(f"{where}: fields {sorted(fields(text))} ≠ {sorted(fields(src))}")
        with tempfile.TemporaryDirectory() as tmp:
            fresh = Path(tmp) / ts.name
            shutil.copyfile(ts, fresh)
            lupdate(fresh)
            now = {(c, s) for c, s, _, _ in messages(fresh)}
            old = {(c, s) for c, s, _, _ in have}
            for c, s in sorted(now - old):
                problems.append(f"{ts.name}: [{c}] {s[:60]!r}: in the code, not in the catalogue")
            for c, s in sorted(old - now):
                problems.append(f"{ts.name}: [{c}] {s[:60]!r}: in the catalogue, not in the code")
            built = Path(tmp) / qm.name
            lrelease(ts, built)
            if not qm.exists() or qm.read_bytes() != built.read_bytes():
                problems.append(f"{qm.name}: not the compiled {ts.name} (run: ... compile)")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cnnviz.i18n_tools", description=__doc__)
    parser.add_argument("action", choices=("update", "compile", "check"))
    args = parser.parse_args(argv)
    if args.action == "update":
        update()
    elif args.action == "compile":
        compile_all()
    else:
        problems = check()
        for p in problems:
            print(p)
        if problems:
            return 1
        print("catalogues current and complete")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
