"""cnnviz: a desktop lab for watching a convolutional network learn."""

__version__ = "0.1.0"
