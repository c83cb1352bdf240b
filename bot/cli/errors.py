"""Errors a CLI command raises to end with one clear line on stderr and exit code 2."""


class UsageError(Exception):
    """Bad arguments or unreadable input: the message is shown to the user as is."""
