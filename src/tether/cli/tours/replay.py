"""Replaying tours: run each statement as the interactive interpreter would, compare, narrate.

`run_statement` compiles a statement in "single" mode (so expressions echo their repr, as at
the `>>>` prompt) and captures what it prints; an exception becomes the doctest-style
"Traceback (most recent call last):\\n...\\nName: message" block. `replay` creates the tour's
tables, replays its steps on the default connection, drops the tables and returns the number of
steps whose output differed. This module knows nothing about argument parsing or settings.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, redirect_stdout
from typing import Any, TextIO

from tether.cli.tours import Step, Tour

_COLORS = {"ok": "32", "fail": "31;1", "sql": "2", "title": "1", "say": "36", "prompt": "1"}


class Transcript:
    """Writes the narrated transcript; ANSI colours only when `color` is true."""

    def __init__(self, out: TextIO, color: bool = False, show_sql: bool = False) -> None:
        self.out = out
        self.color = color
        self.show_sql = show_sql
        encoding = (getattr(out, "encoding", None) or "utf-8").lower()
        unicode_ok = encoding.replace("-", "") in ("utf8", "utf16", "utf32")
        self.ok_mark = "✓" if unicode_ok else "ok"
        self.fail_mark = "✗" if unicode_ok else "FAIL"

    def paint(self, text: str, kind: str) -> str:
        return f"\x1b[{_COLORS[kind]}m{text}\x1b[0m" if self.color and text else text

    def line(self, text: str = "", kind: str | None = None) -> None:
        self.out.write((self.paint(text, kind) if kind else text) + "\n")

    def heading(self, title: str) -> None:
        self.line()
        self.line(f"== {title} ==", "title")

    def say(self, text: str) -> None:
        for part in text.strip("\n").splitlines():
            self.line(f"# {part}" if part else "#", "say")

    def step(self, step: Step, actual: str | None, ok: bool, sql: Sequence[str]) -> None:
        mark = self.paint(self.ok_mark, "ok") if ok else self.paint(self.fail_mark, "fail")
        lines = step.statement.splitlines() or [""]
        prompt = [self.paint(">>>", "prompt") + " " + lines[0]]
        prompt += [self.paint("...", "prompt") + " " + more for more in lines[1:]]
        output = actual.splitlines() if actual else []
        if not output:
            prompt[-1] += "  " + mark
        for text in prompt:
            self.line(text)
        if self.show_sql:
            for statement in sql:
                self.line(f"    SQL: {statement}", "sql")
        for index, text in enumerate(output):
            self.line(text + ("  " + mark if index == len(output) - 1 else ""))
        if not ok:
            expected = step.expected if step.expected is not None else "(no output)"
            self.line("  expected:", "fail")
            for text in expected.splitlines():
                self.line(f"    {text}", "fail")


def _render_exception(exc: BaseException) -> str:
    return f"Traceback (most recent call last):\n...\n{type(exc).__name__}: {exc}"


def run_statement(statement: str, namespace: dict[str, Any]) -> str | None:
    """Execute `statement` as at the `>>>` prompt; return what the prompt would show."""
    buffer = io.StringIO()

    def display(value: Any) -> None:
        if value is not None:
            namespace["_"] = value
            buffer.write(repr(value) + "\n")

    previous_hook = sys.displayhook
    sys.displayhook = display
    try:
        with redirect_stdout(buffer):
            try:
                code = compile(statement, "<tour>", "single")
                exec(code, namespace)
            except Exception as exc:
                buffer.write(_render_exception(exc) + "\n")
    finally:
        sys.displayhook = previous_hook
    text = buffer.getvalue().rstrip("\n")
    return text or None


def _normalize(text: str | None) -> str:
    return "\n".join(line.rstrip() for line in (text or "").strip("\n").splitlines())


def matches(expected: str | None, actual: str | None) -> bool:
    """Whether the output equals the recorded one, ignoring trailing whitespace."""
    return _normalize(expected) == _normalize(actual)


@contextmanager
def tables_of(models: Sequence[Any], connection: Any) -> Iterator[None]:
    """Create the tables of `models` for the block and drop them afterwards; refuse to touch a
    database that already has one of them."""
    existing = {name.lower() for name in connection.introspection.table_names()}
    clash = [m._meta.db_table for m in models if m._meta.db_table.lower() in existing]
    if clash:
        from tether.cli.errors import CommandError

        raise CommandError(
            f"the database already has table(s) {', '.join(clash)}; the demo only runs on "
            "a database without them and never touches existing tables."
        )
    with connection.schema_editor() as editor:
        for model in models:
            editor.create_model(model)
    try:
        yield
    finally:
        with connection.schema_editor() as editor:
            for model in reversed(models):
                editor.delete_model(model)


def replay(tour: Tour, transcript: Transcript, connection: Any) -> tuple[int, int]:
    """Replay `tour` on `connection` (the default alias); return (steps, failures)."""
    transcript.heading(tour.title)
    if tour.intro:
        transcript.say(tour.intro)
    models = list(tour.models())
    namespace: dict[str, Any] = {"__name__": "__tour__", **tour.namespace}
    failures = 0
    steps = tour.normalized_steps()
    logging_before = connection.force_debug_cursor
    connection.force_debug_cursor = transcript.show_sql or logging_before
    try:
        with tables_of(models, connection):
            for step in steps:
                if step.say:
                    transcript.line()
                    transcript.say(step.say)
                connection.queries_log.clear()
                actual = run_statement(step.statement, namespace)
                sql = [entry["sql"] for entry in connection.queries_log]
                ok = matches(step.expected, actual)
                failures += not ok
                transcript.step(step, actual, ok, sql)
    finally:
        connection.force_debug_cursor = logging_before
    if tour.outro:
        transcript.line()
        transcript.say(tour.outro)
    return len(steps), failures


def replay_tours(tours: Sequence[Tour], transcript: Transcript, connection: Any) -> int:
    """Replay every tour, print a summary line, and return the exit status (1 on a mismatch)."""
    total = failed = 0
    for tour in tours:
        steps, failures = replay(tour, transcript, connection)
        total += steps
        failed += failures
    transcript.line()
    if failed:
        transcript.line(
            f"{transcript.fail_mark} {failed} of {total} steps differ from the expected result.",
            "fail",
        )
        return 1
    transcript.line(f"{transcript.ok_mark} All {total} steps gave the expected result.", "ok")
    return 0
