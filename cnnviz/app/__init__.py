"""The desktop app (PySide6 + pyqtgraph). It renders snapshots and sends commands; every bit of
engine work happens in the training process (:mod:`cnnviz.live.host`, steered through
:mod:`cnnviz.live.remote`)."""
