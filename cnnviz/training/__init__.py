"""The training core: architectures, the trainer, metrics, model files and the timeline.

Imports the engine and the datasets, never a widget, a lesson or the process boundary:
``lessons`` and ``live`` build on this layer, and the app drives them.
"""
