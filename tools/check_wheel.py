"""CI check of the release artefacts: builds the sdist and, from it, the wheel (`python -m
build`), checks that the wheel holds every file git tracks under src/tether, installs the wheel
in a fresh venv (no system site-packages, no source tree on the path) and runs `tether version`
and a small SQLite script there, from a folder outside the repository. A module or data file
(py.typed, a subpackage) left out of the package fails here, where an editable install hides it.

Usage: python tools/check_wheel.py        (exits 1 on any failure; prints each step's time)
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Runs in the fresh venv from a folder outside the repository: a model with a foreign key and a
# many-to-many relation on SQLite, and the typing marker the wheel must carry.
SMOKE_SCRIPT = """
from importlib.resources import files

import tether
from tether import models
from tether.db import connection

assert "site-packages" in tether.__file__, tether.__file__
assert files("tether").joinpath("py.typed").is_file(), "py.typed is missing"


class Tag(models.Model):
    name = models.CharField(max_length=20)

    class Meta:
        app_label = "smoke"


class Post(models.Model):
    title = models.CharField(max_length=50)
    parent = models.ForeignKey("self", null=True, on_delete=models.CASCADE)
    tags = models.ManyToManyField(Tag)

    class Meta:
        app_label = "smoke"


tether.configure(databases={"default": "sqlite://:memory:"})
with connection.schema_editor() as editor:
    editor.create_model(Tag)
    editor.create_model(Post)
post = Post.objects.create(title="hello")
post.tags.add(Tag.objects.create(name="orm"))
assert list(Post.objects.filter(tags__name="orm").values_list("title", flat=True)) == ["hello"]
print("smoke script ok")
"""


def _run(argv: list[str], cwd: Path, env: dict[str, str]) -> str:
    started = time.monotonic()
    result = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True)
    print(f"  {' '.join(argv[:4])} ... {time.monotonic() - started:.1f}s")
    if result.returncode != 0:
        sys.exit(f"failed ({result.returncode}): {argv}\n{result.stdout}\n{result.stderr}")
    return result.stdout


def _tracked_package_files() -> set[str]:
    listed = subprocess.run(
        ["git", "ls-files", "src/tether"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return {name.removeprefix("src/") for name in listed}


def main() -> int:
    # The clean environment a user's shell would have: nothing of this checkout on the path.
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    with tempfile.TemporaryDirectory(prefix="tether-wheel-") as tmp_name:
        tmp = Path(tmp_name)
        dist = tmp / "dist"
        _run([sys.executable, "-m", "build", "--outdir", str(dist), str(ROOT)], ROOT, env)
        (sdist,) = dist.glob("*.tar.gz")
        (wheel,) = dist.glob("*.whl")
        print(f"  built {sdist.name} and {wheel.name}")

        missing = _tracked_package_files() - set(zipfile.ZipFile(wheel).namelist())
        if missing:
            sys.exit(f"the wheel lacks files git tracks: {sorted(missing)}")

        venv = tmp / "venv"
        _run([sys.executable, "-m", "venv", str(venv)], tmp, env)
        _run([str(venv / "bin" / "pip"), "install", "-q", str(wheel)], tmp, env)

        outside = tmp / "project"
        outside.mkdir()
        version = _run([str(venv / "bin" / "tether"), "version"], outside, env)
        expected = f"tether {wheel.name.split('-')[1]} "
        if not version.startswith(expected):
            sys.exit(f"`tether version` printed {version!r}, expected {expected!r}...")
        (outside / "smoke.py").write_text(SMOKE_SCRIPT)
        print("  " + _run([str(venv / "bin" / "python"), "smoke.py"], outside, env).strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
