"""The one exception a command raises to stop with a message and an exit status."""

from __future__ import annotations


class CommandError(Exception):
    """A user-facing failure: `main()` prints the message on stderr and returns `status`."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status
