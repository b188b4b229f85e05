"""--reuse-db: the test database survives the run and the next run reuses it, creating only
the missing tables; without the flag it is created afresh and dropped. Runs pytest in a
subprocess on a tiny project, against the same backend as this suite (another database name).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from tether.conf import settings

ROOT = Path(__file__).resolve().parents[2]

CONFTEST = """
    import os
    import tether

    tether.configure(databases={"default": os.environ["KEEP_URL"]})
    """

MODELS = """
    from tether import models

    class Gadget(models.Model):
        name = models.CharField(max_length=20)
    """

TESTS = """
    from tether.db import DatabaseError, connection, transaction

    from keepapp.models import Gadget


    def test_marker(transactional_db):
        Gadget.objects.create(name="x")
        assert Gadget.objects.count() == 1
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT COUNT(*) FROM keep_marker")
            print("STATE=REUSED")
        except DatabaseError:
            with connection.cursor() as cursor:
                cursor.execute("CREATE TABLE keep_marker (id INTEGER)")
            print("STATE=FRESH")
    """


def _keep_url() -> str:
    url = settings.databases["default"]
    if url.startswith("sqlite"):
        return "sqlite:///keep.sqlite3"
    base, _, query = url.partition("?")
    return f"{base}_keep" + (f"?{query}" if query else "")


def _run(tmp_path: Path, *flags: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    env["KEEP_URL"] = _keep_url()
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(tmp_path)])
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-s",
            "-p",
            "no:cacheprovider",
            *flags,
            "test_keep.py",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return "REUSED" if "STATE=REUSED" in result.stdout else "FRESH"


def test_reuse_db(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(textwrap.dedent(CONFTEST))
    (tmp_path / "keepapp").mkdir()
    (tmp_path / "keepapp" / "__init__.py").write_text("")
    (tmp_path / "keepapp" / "models.py").write_text(textwrap.dedent(MODELS))
    (tmp_path / "test_keep.py").write_text(textwrap.dedent(TESTS))
    (tmp_path / "pyproject.toml").write_text("[tool.pytest.ini_options]\n")
    try:
        # A run cut short (a killed CI job) can leave the kept database behind; a run without
        # the flag recreates and drops it, so the first --reuse-db run below starts from none.
        assert _run(tmp_path) == "FRESH"
        assert _run(tmp_path, "--reuse-db") == "FRESH"
        assert _run(tmp_path, "--reuse-db") == "REUSED"  # kept, and its tables not re-created
        assert _run(tmp_path, "--reuse-db") == "REUSED"
    finally:
        assert _run(tmp_path) == "FRESH"  # without the flag: created afresh, dropped at the end
