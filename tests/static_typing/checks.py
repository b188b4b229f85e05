# pyright: strict
"""What a type checker infers from the models in models.py, with no plugin.

Every `assert_type` is exact (Any is not Post), so the test fails if a type degrades to Any.
The functions also run against a database in test_typing.py: what they claim holds there.
"""

import datetime
from typing import Any, assert_type

from tether.models.fields.m2m import ManyToManyDescriptor
from tether.models.fields.related_descriptors import ForwardManyToOneDescriptor
from tether.models.manager import Manager
from tether.models.query import QuerySet
from tether.models.query_utils import DeferredAttribute
from tether.models.relations import ManyRelatedManager, RelatedManager

from .models import Author, Comment, Post, Tag


def managers_and_querysets(author: Author) -> Post:
    assert_type(Post.objects, Manager[Post])
    assert_type(Author.objects, Manager[Author])
    post = Post.objects.create(title="Typed", author=author)
    assert_type(post, Post)
    recent = Post.objects.filter(rating__gte=0).exclude(title="").order_by("-rating")
    assert_type(recent, QuerySet[Post])
    assert_type(recent.select_related("author").distinct()[:5], QuerySet[Post])
    assert_type(recent[0], Post)
    assert_type(recent.get(pk=post.pk), Post)
    assert_type(recent.first(), Post | None)
    assert_type(Post.objects.last(), Post | None)
    assert_type(Post.objects.get_or_create(title="Typed", author=author), tuple[Post, bool])
    assert_type(recent.count(), int)
    assert_type(recent.exists(), bool)
    assert_type(recent.in_bulk([post.pk]), dict[Any, Post])
    assert_type(list(recent.iterator()), list[Post])
    assert_type(Post.objects.update(rating=1), int)
    assert_type(recent.values("title"), QuerySet[Any])
    assert_type(recent.values_list("title", flat=True), QuerySet[Any])
    assert_type(Post.publications.live(), QuerySet[Post])
    assert_type(Post.publications.all(), QuerySet[Post])
    titles = [p.title for p in recent]
    assert_type(titles, list[str])
    return post


def instances(post: Post, tag: Tag) -> None:
    assert_type(post.title, str)
    assert_type(post.subtitle, str)  # null=True stays str: see docs/typing.md
    assert_type(post.published, datetime.datetime)
    assert_type(post.day, datetime.date)
    assert_type(post.rating, int)
    assert_type(post.author, Author)
    assert_type(post.author.name, str)
    assert_type(post.editor, Author)
    assert_type(post.author_id, int)
    assert_type(post.tags, ManyRelatedManager[Tag])
    post.tags.add(tag)
    assert_type(post.tags.all(), QuerySet[Tag])
    assert_type(post.tags.filter(label=tag.label).get(), Tag)
    assert_type(tag.post_set, ManyRelatedManager[Post])
    assert_type(post.author.posts, RelatedManager[Post])
    assert_type(post.author.posts.filter(rating__gte=0), QuerySet[Post])
    comment = post.comment_set.create(body="First")
    assert_type(comment, Comment)
    assert_type(comment.post, Post)


def class_attributes() -> None:
    assert_type(Post.title, DeferredAttribute)
    assert_type(Post.author, ForwardManyToOneDescriptor)
    assert_type(Post.tags, ManyToManyDescriptor)


async def asynchronous(author: Author) -> Post:
    post = await Post.objects.acreate(title="Async", author=author)
    assert_type(post, Post)
    assert_type(await Post.objects.aget(pk=post.pk), Post)
    assert_type(await Post.objects.filter(title="Async").afirst(), Post | None)
    assert_type(await Post.objects.acount(), int)
    async for row in Post.objects.filter(author=author):
        assert_type(row, Post)
    assert_type(await post.tags.acount(), int)
    return post
