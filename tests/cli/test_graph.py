"""`tether graph` (issue 17, item 5): the configured models as an SVG diagram, run as a
subprocess in a project folder. The SVG's elements name what they draw (data-model,
data-from, data-to), which is what these tests read."""

import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

from tether.cli.model_graph import render
from tether.cli.seed_apps import press, registrar, registry, school  # noqa: F401

from .test_cli import _tether

ROOT = Path(__file__).resolve().parents[2]
SVG = "{http://www.w3.org/2000/svg}"

MODELS = """\
from tether import models


class Author(models.Model):
    name = models.CharField(max_length=50)
    mentor = models.ForeignKey("self", models.SET_NULL, null=True)


class Tag(models.Model):
    label = models.CharField(max_length=20)


class Post(models.Model):
    title = models.CharField(max_length=100)
    author = models.ForeignKey(Author, models.CASCADE)
    tags = models.ManyToManyField(Tag)
    readers = models.ManyToManyField(Author, through="Reading", related_name="read")


class Reading(models.Model):
    post = models.ForeignKey(Post, models.CASCADE)
    author = models.ForeignKey(Author, models.CASCADE)
    read_on = models.DateField()
"""


def _project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text(
        textwrap.dedent(
            """\
            [tool.tether]
            databases = {default = "sqlite:///project.sqlite3"}
            models = ["blog.models", "extra.models"]
            """
        )
    )
    for app, body in (
        ("blog", MODELS),
        (
            "extra",
            "from tether import models\n\n\n"
            "class Note(models.Model):\n    text = models.TextField()\n",
        ),
    ):
        (tmp_path / app).mkdir()
        (tmp_path / app / "__init__.py").write_text("")
        (tmp_path / app / "models.py").write_text(body)
    return tmp_path


def _read(svg: str) -> tuple[dict[str, str], set[tuple[str, str, str]]]:
    """{model label: box class} and {(edge class, from, to)} of an SVG document."""
    root = ET.fromstring(svg)
    boxes = {g.get("data-model", ""): g.get("class", "") for g in root.iter(f"{SVG}g")}
    edges = {
        (p.get("class", ""), p.get("data-from", ""), p.get("data-to", ""))
        for p in root.iter(f"{SVG}path")
        if p.get("data-from")
    }
    return boxes, edges


def test_graph_writes_every_model_and_relation(tmp_path: Path) -> None:
    project = _project(tmp_path)
    result = _tether("graph", "--output", "models.svg", cwd=project, PYTHONPATH=str(project))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    boxes, edges = _read((project / "models.svg").read_text())
    assert boxes == {
        "blog.Author": "box",
        "blog.Tag": "box",
        "blog.Post": "box",
        "blog.Post_tags": "box join",
        "blog.Reading": "box through",
        "extra.Note": "box",
    }
    assert edges == {
        ("fk", "blog.Author.mentor", "blog.Author"),
        ("fk", "blog.Post.author", "blog.Author"),
        # Many-to-many: the field to its table, the table's keys to both sides.
        ("m2m", "blog.Post.tags", "blog.Post_tags"),
        ("fk", "blog.Post_tags.post", "blog.Post"),
        ("fk", "blog.Post_tags.tag", "blog.Tag"),
        ("m2m", "blog.Post.readers", "blog.Reading"),
        ("fk", "blog.Reading.post", "blog.Post"),
        ("fk", "blog.Reading.author", "blog.Author"),
    }


def test_graph_apps_and_stdout(tmp_path: Path) -> None:
    project = _project(tmp_path)
    result = _tether("graph", "--apps", "extra", cwd=project, PYTHONPATH=str(project))
    assert result.returncode == 0, result.stderr
    boxes, edges = _read(result.stdout)
    assert boxes == {"extra.Note": "box"}
    assert edges == set()


def test_graph_unknown_app(tmp_path: Path) -> None:
    project = _project(tmp_path)
    result = _tether("graph", "--apps", "nope", cwd=project, PYTHONPATH=str(project))
    assert result.returncode == 1
    assert "No installed app with label 'nope'." in result.stderr


def test_graph_output_into_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    project = _project(tmp_path)
    result = _tether(
        "graph", "--output", "missing/models.svg", cwd=project, PYTHONPATH=str(project)
    )
    assert result.returncode == 1
    assert result.stderr == (
        "tether graph: error: No such file or directory: 'missing/models.svg'\n"
    )


def test_graph_help(tmp_path: Path) -> None:
    result = _tether("graph", "--help", cwd=tmp_path)
    assert result.returncode == 0
    assert "--apps" in result.stdout and "--output" in result.stdout


def test_the_docs_picture_of_the_seed_models_is_current() -> None:
    # docs/seed-models.svg is this drawing of the demo's models (tools/draw_seed_models.py).
    drawn = render(registry.get_models(include_auto_created=True))
    assert (ROOT / "docs" / "seed-models.svg").read_text(encoding="utf-8") == drawn, (
        "docs/seed-models.svg is stale: run python tools/draw_seed_models.py"
    )
