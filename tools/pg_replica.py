"""Run a PostgreSQL primary and a streaming replica of it on loopback until Ctrl-C, for trying
routers by hand (the replica tests start their own pair: tests/replica/servers.py).

Usage: python tools/pg_replica.py

Prints the two database URLs and a `tether.configure(...)` line using them; Ctrl-C stops both
servers and removes their directory. Run as root, the servers run as the `postgres` user.
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from replica.servers import ReplicaPair, Unavailable  # noqa: E402 - needs the path above


def main() -> int:
    try:
        pair = ReplicaPair.create()
    except Unavailable as exc:
        print(f"cannot start a replica pair: {exc}", file=sys.stderr)
        return 1
    pair.start()
    try:
        print(f"primary: {pair.primary.url()}  (data {pair.primary.data})")
        print(f"replica: {pair.replica.url()}  (data {pair.replica.data}, follows the primary)")
        print(
            "tether.configure(databases={"
            f'"default": "{pair.primary.url()}", "replica": "{pair.replica.url()}"'
            "})"
        )
        print("Ctrl-C stops both and removes their directory.", flush=True)
        signal.sigwait({signal.SIGINT, signal.SIGTERM})
    finally:
        pair.stop()
    return 0


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    sys.exit(main())
