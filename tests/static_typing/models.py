# pyright: strict
"""Models typed with no plugin: what docs/typing.md shows, checked by mypy and pyright.

No `from __future__ import annotations` here on purpose: the annotations below are evaluated
when the classes are built, so the test also shows they work at run time (`ForeignKey["Author"]`
subscripts, an annotation without a value is neither a field nor in the accessor's way).
"""

import datetime

from tether import models
from tether.models.query import QuerySet
from tether.models.relations import ManyRelatedManager, RelatedManager


class Author(models.Model):
    name = models.CharField(max_length=50)
    # Added at run time by Post's foreign keys, which this body cannot show: declared.
    posts: RelatedManager["Post"]
    edited: RelatedManager["Post"]
    id: int

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    label = models.CharField(max_length=30)
    post_set: ManyRelatedManager["Post"]  # the reverse side of Post.tags
    id: int


class PublishedManager(models.Manager["Post"]):
    def live(self) -> QuerySet["Post"]:
        return self.filter(published__isnull=False)


class Post(models.Model):
    title = models.CharField(max_length=100)
    subtitle = models.CharField(max_length=100, null=True, blank=True)
    published = models.DateTimeField(null=True, blank=True)
    day = models.DateField(default=datetime.date(2026, 1, 1))
    rating = models.IntegerField(default=0)
    author = models.ForeignKey(Author, models.CASCADE, related_name="posts")
    # A model named by a string: annotated, or the field is a ForeignKey[Any].
    editor: models.ForeignKey["Author"] = models.ForeignKey(
        "Author", models.SET_NULL, null=True, blank=True, related_name="edited"
    )
    tags = models.ManyToManyField(Tag)
    objects = models.Manager["Post"]()  # bare Manager() is Manager[Unknown] to pyright
    publications = PublishedManager()
    # The key columns and the reverse accessor of Comment.post: declared.
    id: int
    author_id: int
    editor_id: int | None
    comment_set: RelatedManager["Comment"]

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Comment(models.Model):
    post = models.ForeignKey(Post, models.CASCADE)
    body = models.TextField()
