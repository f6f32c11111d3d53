"""The root of every error pia raises on purpose."""


class PiaError(Exception):
    """An error with a message fit to show a person: no traceback needed."""
