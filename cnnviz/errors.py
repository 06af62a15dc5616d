"""Errors that reach the user as one clear line (a dialog in the app, stderr in the CLI)."""


class CnnvizError(Exception):
    """Base class for every error whose message is meant for the user as it is."""
