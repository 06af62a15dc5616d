"""Training orchestration: architectures, the trainer, metrics and model files.

Imports the engine and the datasets, never a widget: the app drives exactly this layer.
"""
