"""One module per `tether` command. Each exposes `HELP`, `add_arguments(parser)` and
`run(args) -> int` (the exit status); `main.py` wires them into argparse in `COMMANDS` order.
"""

COMMANDS = (
    "check",
    "dbshell",
    "demo",
    "dumpdata",
    "flush",
    "graph",
    "inspectdb",
    "loaddata",
    "makemigrations",
    "migrate",
    "shell",
    "showmigrations",
    "sqlflush",
    "sqlmigrate",
    "sqlsequencereset",
    "squashmigrations",
    "version",
)
