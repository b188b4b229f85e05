"""A PostgreSQL primary and a streaming replica of it, each a server of its own on loopback.

Both live in one temporary directory, on free ports, with trust authentication for user
`postgres`: the machine's own cluster is neither used nor changed. The replica is made the
way a production one is: `pg_basebackup` copies the primary, `standby.signal` and
`primary_conninfo` make it follow the primary's WAL stream. Run as root (as CI is), the
servers run as the `postgres` user, since PostgreSQL refuses to run as root.

Used by the replica tests' fixture and by tools/pg_replica.py (to keep a pair running while
working by hand).
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

DATABASE = "tether_replica"
SERVER_OPTIONS = (
    # A throwaway pair: durability buys nothing, small memory leaves room for the test suite.
    "-c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off "
    "-c shared_buffers=16MB -c max_connections=30"
)


class Unavailable(Exception):
    """This machine cannot run the pair (no PostgreSQL binaries, no `postgres` user...)."""


def find_bindir() -> Path:
    """The directory of PostgreSQL's server binaries: `initdb` on PATH, else the newest
    /usr/lib/postgresql/<version>/bin (Debian's layout, where they are not on PATH)."""
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).resolve().parent  # a symlink's folder may hold initdb alone
    installed = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda path: int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0,
    )
    if not installed:
        raise Unavailable(
            "no PostgreSQL server binaries (initdb) on PATH or in /usr/lib/postgresql"
        )
    return installed[-1].parent


def _run_as() -> list[str]:
    """The prefix that runs a server command as a user PostgreSQL accepts."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise Unavailable("running as root and there is no `postgres` user to run the servers")
    runuser = shutil.which("runuser")
    if runuser is None:
        raise Unavailable("running as root and `runuser` is missing to run the servers as postgres")
    return [runuser, "-u", "postgres", "--"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    name: str
    data: Path
    port: int = field(default_factory=_free_port)

    @property
    def log(self) -> Path:
        return self.data.parent / f"{self.name}.log"

    def url(self, database: str = DATABASE) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"


@dataclass
class ReplicaPair:
    """`start()` brings up the primary, then the replica; `stop()` stops both and removes
    everything, whatever state they are in."""

    root: Path
    bindir: Path
    run_as: list[str]
    primary: Server = field(init=False)
    replica: Server = field(init=False)

    def __post_init__(self) -> None:
        self.primary = Server("primary", self.root / "primary")
        self.replica = Server("replica", self.root / "replica")

    @classmethod
    def create(cls) -> ReplicaPair:
        bindir = find_bindir()
        run_as = _run_as()
        root = Path(tempfile.mkdtemp(prefix="tether-replica-"))
        if run_as:
            shutil.chown(root, "postgres", "postgres")
        return cls(root, bindir, run_as)

    def _command(self, program: str, *args: str) -> None:
        argv = [*self.run_as, str(self.bindir / program), *args]
        result = subprocess.run(argv, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            logs = "".join(
                f"\n--- {server.log}:\n{server.log.read_text()[-2000:]}"
                for server in (self.primary, self.replica)
                if server.log.exists()
            )
            raise RuntimeError(
                f"{' '.join(argv)} failed ({result.returncode}):\n{result.stdout}{result.stderr}"
                + logs
            )

    def start(self) -> None:
        try:
            self._command(
                "initdb", "-D", str(self.primary.data), "-U", "postgres", "-A", "trust", "-N"
            )
            self.start_server(self.primary)
            self._command(
                "createdb",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.primary.port),
                "-U",
                "postgres",
                DATABASE,
            )
            # A copy of the primary, then the two settings that make it a streaming replica.
            self._command(
                "pg_basebackup",
                *("-h", "127.0.0.1", "-p", str(self.primary.port), "-U", "postgres"),
                *("-D", str(self.replica.data), "-X", "stream", "--checkpoint=fast"),
            )
            conninfo = (
                f"host=127.0.0.1 port={self.primary.port} user=postgres "
                "application_name=tether_replica"
            )
            self._append(
                self.replica.data / "postgresql.auto.conf", f"primary_conninfo = '{conninfo}'\n"
            )
            self._append(self.replica.data / "standby.signal", "")
            self.start_server(self.replica)
        except BaseException:
            self.stop()
            raise

    def _append(self, path: Path, text: str) -> None:
        with path.open("a") as file:
            file.write(text)
        if self.run_as:
            shutil.chown(path, "postgres", "postgres")

    def start_server(self, server: Server) -> None:
        options = f"-p {server.port} -k {self.root} {SERVER_OPTIONS}"
        self._command(
            "pg_ctl",
            "start",
            "-D",
            str(server.data),
            "-l",
            str(server.log),
            "-o",
            options,
            "-w",
            "-t",
            "60",
        )

    def stop_server(self, server: Server) -> None:
        self._command("pg_ctl", "stop", "-D", str(server.data), "-m", "immediate", "-w", "-t", "60")

    def stop(self) -> None:
        """Stop whichever servers run (each by its own pid file), then remove the directory."""
        try:
            for server in (self.replica, self.primary):
                if (server.data / "postmaster.pid").exists():
                    try:
                        self.stop_server(server)
                    except RuntimeError:
                        pass  # already gone: the directory goes anyway
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
