"""The `tether` command line: `tether <command> [options]` and `python -m tether`.

`main.py` parses the global options and dispatches to one module per command under
`commands/`; the demo's narrated tours live in `tours/`. Nothing here is imported by the ORM.
`call_command` runs a command from Python (Django's `django.core.management.call_command`).
"""

from tether.cli.call import call_command
from tether.cli.errors import CommandError

__all__ = ["CommandError", "call_command"]
