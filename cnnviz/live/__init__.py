"""The process boundary: the training session, its snapshots and the wire between processes.

A :class:`~cnnviz.live.session.Session` runs the trainer and publishes what the app shows as
:class:`~cnnviz.live.snapshot.Snapshot` objects (latest only), and every new metric entry as
ordered :class:`~cnnviz.live.metrics.MetricsBatch` messages beside them. The app runs it in a
process of its own (:mod:`cnnviz.live.host`) and steers it through
:class:`~cnnviz.live.remote.RemoteSession`, which has the session's commands; both ends take
the commands and jobs from one table (:mod:`cnnviz.live.commands`), and messages cross as
plain data and NumPy arrays (:mod:`cnnviz.live.wire`), never pickle. Imports ``training`` and
``lessons``, never Qt.
"""
