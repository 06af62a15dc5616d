"""Take the README's screenshots of the real window, on a screen of a given size.

Run it on an X display of exactly that size (a projector's 1024×768, say), one shot per run:

    Xvfb :90 -screen 0 1024x768x24 &
    DISPLAY=:90 QT_QPA_PLATFORM=xcb python docs/images/capture.py --out docs/images/x.png \
        [--present] [--lang zh_CN] [--tab "Backprop rule"] [--phases 9] [--concept KEY]

The window opens as the app opens it (fitted to the screen), trains one step on the built-in
digits, then steps ``--phases`` phases into the next step (into the backward pass by default),
shows the lower tab ``--tab`` (its English title), opens Help ▸ Concepts at page ``--concept``
(a key of :data:`cnnviz.lessons.concepts.CONCEPTS`) and saves the whole screen as PNG. Settings go
to a temporary folder, so the user's own are not touched.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--present", action="store_true", help="presentation mode (F11)")
    parser.add_argument("--lang", default="en")
    parser.add_argument("--tab", default=None, help="the lower tab to show (English title)")
    parser.add_argument("--phases", type=int, default=9, help="phases into the second step")
    parser.add_argument("--concept", default=None, help="open Help ▸ Concepts at this page")
    args = parser.parse_args()

    os.environ["CNNVIZ_SETTINGS"] = str(Path(tempfile.mkdtemp()) / "settings.ini")
    os.environ["CNNVIZ_LANG"] = args.lang
    os.environ["CNNVIZ_NO_PROMPT"] = "1"

    from cnnviz.app.main import start_training

    remote = start_training()
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from cnnviz.app.language import install_language
    from cnnviz.app.window import MainWindow

    app = QApplication(sys.argv[:1])
    app.setApplicationName("cnnviz")
    install_language(args.lang, app)
    w = MainWindow(remote=remote)
    w.show()

    script: list = []
    script.append(lambda: w.snapshot is not None)
    script.append(lambda: (w.step_batch(), True)[1])
    script.append(lambda: w.snapshot is not None and w.snapshot.step >= 1)
    for _ in range(args.phases):
        script.append(lambda: (w.step_phase(), True)[1])
        script.append("settle")
    if args.tab:

        def show_tab() -> bool:
            for p in w.lower_panels():
                if p.title == args.tab:
                    w.show_tab(p.widget)
                    return True
            titles = ", ".join(p.title for p in w.lower_panels())
            raise SystemExit(f"no lower tab named {args.tab!r} (there are: {titles})")

        script.append(show_tab)
    if args.present:
        script.append(lambda: (w.lecture.toggle_presentation(), True)[1])
    if args.concept:
        from cnnviz.app.concepts import show_concept

        script.append(lambda: (show_concept(w, args.concept), True)[1])
    script.extend(["settle", "settle", "settle"])

    def save() -> bool:
        shot = app.primaryScreen().grabWindow(0)
        shot.save(args.out)
        print(f"{args.out}: {shot.width()}×{shot.height()}")
        w.close()
        return True

    script.append(save)
    state = {"i": 0}

    def tick() -> None:
        if state["i"] >= len(script):
            return
        item = script[state["i"]]
        if item == "settle" or item():
            state["i"] += 1

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(400)
    QTimer.singleShot(120_000, app.quit)  # never hang
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
