"""The desktop app (PySide6 + pyqtgraph). It renders snapshots and sends commands; every bit of
engine work happens on the training thread of :mod:`cnnviz.training.session`."""
