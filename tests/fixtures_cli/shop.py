"""The project the fixture-command tests run in: an app whose models cover the value kinds a
fixture carries (keys, decimals, dates, durations, JSON, bytes, UUIDs), a foreign key, a
many-to-many field, natural keys, multi-table inheritance, and a model whose own save() and a
pre_save receiver would change what they write (a raw load must bypass both)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from migrations.project import Project, tables
from tether.db import connection

APP = "fx_shop"

MODELS = """\
    from {package} import models
    {signals}


    class TagManager(models.Manager):
        def get_by_natural_key(self, name):
            return self.get(name=name)


    class Tag(models.Model):
        name = models.CharField(max_length=30, unique=True)

        objects = TagManager()

        def natural_key(self):
            return (self.name,)


    class Author(models.Model):
        name = models.CharField(max_length=50)

        def save(self, *args, **kwargs):
            self.name = self.name + " (saved)"
            super().save(*args, **kwargs)


    class Book(models.Model):
        title = models.CharField(max_length=100)
        author = models.ForeignKey(Author, models.CASCADE, null=True)
        tags = models.ManyToManyField(Tag)
        price = models.DecimalField(max_digits=6, decimal_places=2, null=True)
        published = models.DateTimeField(null=True)
        released = models.DateField(null=True)
        length = models.DurationField(null=True)
        extra = models.JSONField(null=True)
        cover = models.BinaryField(null=True)
        code = models.UUIDField(null=True)
        in_print = models.BooleanField(default=True)


    class Ebook(Book):
        url = models.CharField(max_length=100)


    class Review(models.Model):
        book = models.ForeignKey(Book, models.CASCADE)
        tag = models.ForeignKey(Tag, models.CASCADE, null=True)
        text = models.TextField()


    @receiver(pre_save, sender=Review)
    def shout(sender, instance, raw, **kwargs):
        if not raw:
            instance.text = instance.text + "!"
    """

TETHER_SIGNALS = (
    "from tether.dispatch import receiver\n    from tether.models.signals import pre_save"
)
DJANGO_SIGNALS = (
    "from django.dispatch import receiver\n    from django.db.models.signals import pre_save"
)

SEED = """\
    import datetime, decimal, uuid
    from fx_shop.models import Author, Book, Ebook, Review, Tag

    red, blue = Tag.objects.create(name="red"), Tag.objects.create(name="blue")
    ann = Author.objects.create(name="Ann")
    book = Book.objects.create(
        title="Dune", author=ann, price=decimal.Decimal("9.50"),
        published=datetime.datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=datetime.timezone.utc),
        released=datetime.date(2024, 5, 6), length=datetime.timedelta(days=1, seconds=5),
        extra={"tags": ["a", "b"], "pages": 412}, cover=b"\\x00\\x01bytes",
        code=uuid.UUID("12345678-1234-5678-1234-567812345678"),
    )
    book.tags.set([red, blue])
    ebook = Ebook.objects.create(title="Emma", url="https://example.com/emma", in_print=False)
    ebook.tags.add(blue)
    Review.objects.create(book=book, tag=red, text="great")
    """


def models_source(package: str = "tether") -> str:
    signals = TETHER_SIGNALS if package == "tether" else DJANGO_SIGNALS
    return MODELS.replace("{package}", package + ".db" if package == "django" else package).replace(
        "{signals}", signals
    )


TABLES = (
    "fx_shop_review",
    "fx_shop_ebook",
    "fx_shop_book_tags",
    "fx_shop_book",
    "fx_shop_author",
    "fx_shop_tag",
)


def drop_tables() -> None:
    present = tables()
    with connection.schema_editor() as editor:
        for table in TABLES:
            if table in present:
                editor.execute(f"DROP TABLE {editor.quote_name(table)}")


@pytest.fixture
def shop(tmp_path: Path, transactional_db: None) -> Iterator[Project]:
    """The project with its tables created (syncdb: the app has no migrations) and empty."""
    drop_tables()
    project = Project(tmp_path, APP, models_source())
    (tmp_path / APP / "migrations" / "__init__.py").unlink()
    (tmp_path / APP / "migrations").rmdir()
    project.ok("migrate", "--run-syncdb")
    yield project
    drop_tables()
