"""One blog schema, declared once and built twice: on tether's and on Django 5.2's `models`.

`define(models, label)` returns the model classes by name. The differential tests build it
with `tether.models` (models.py) and with `django.db.models` (django_twins.py), so both sides
run exactly the same declarations.
"""

from __future__ import annotations

from typing import Any


def define(models: Any, label: str) -> dict[str, Any]:
    class AuthorQuerySet(models.QuerySet):
        def prolific(self):
            return self.annotate(n_posts=models.Count("posts")).filter(n_posts__gte=2)

    class AuthorManager(models.Manager.from_queryset(AuthorQuerySet)):
        def rated(self):
            return self.get_queryset().filter(rating__gt=0)

    class Author(models.Model):
        name = models.CharField(max_length=50, unique=True)
        email = models.EmailField(blank=True, default="")
        rating = models.IntegerField(default=0)

        objects = AuthorManager()

        class Meta:
            app_label = label
            ordering = ["name"]

        def __str__(self) -> str:
            return self.name

    class Profile(models.Model):
        author = models.OneToOneField(Author, on_delete=models.CASCADE, related_name="profile")
        bio = models.TextField(blank=True)
        prefs = models.JSONField(default=dict, blank=True)

        class Meta:
            app_label = label

        def __str__(self) -> str:
            return f"profile of {self.author_id and self.author.name}"

    class Tag(models.Model):
        name = models.CharField(max_length=60, unique=True)

        class Meta:
            app_label = label
            ordering = ["name"]

        def __str__(self) -> str:
            return self.name

    class PostQuerySet(models.QuerySet):
        def published(self):
            return self.filter(status="pub")

    class Post(models.Model):
        class Status(models.TextChoices):
            DRAFT = "draft", "Draft"
            PUBLISHED = "pub", "Published"

        author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="posts")
        title = models.CharField(max_length=100)
        status = models.CharField(max_length=5, choices=Status.choices, default=Status.DRAFT)
        views = models.IntegerField(default=0)
        created = models.DateTimeField(auto_now_add=True)
        meta = models.JSONField(default=dict, blank=True)
        tags = models.ManyToManyField(Tag, related_name="posts", blank=True)

        objects = PostQuerySet.as_manager()

        class Meta:
            app_label = label
            ordering = ["-views", "title"]
            constraints = [
                models.UniqueConstraint(fields=["author", "title"], name=f"{label}_author_title")
            ]

        def __str__(self) -> str:
            return self.title

    class Comment(models.Model):
        post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
        body = models.TextField()
        score = models.IntegerField(default=0)

        class Meta:
            app_label = label
            ordering = ["body"]

        def __str__(self) -> str:
            return self.body

    class Group(models.Model):
        name = models.CharField(max_length=30)
        members = models.ManyToManyField(Author, through="Membership", related_name="clubs")

        class Meta:
            app_label = label
            ordering = ["name"]

        def __str__(self) -> str:
            return self.name

    class Membership(models.Model):
        class Role(models.IntegerChoices):
            MEMBER = 1, "Member"
            EDITOR = 2, "Editor"
            OWNER = 3, "Owner"

        group = models.ForeignKey(Group, on_delete=models.CASCADE)
        author = models.ForeignKey(Author, on_delete=models.CASCADE)
        role = models.IntegerField(choices=Role.choices, default=Role.MEMBER)
        joined = models.DateField()

        class Meta:
            app_label = label
            unique_together = [("group", "author")]
            ordering = ["group__name", "author__name"]

        def __str__(self) -> str:
            return f"{self.author.name} in {self.group.name}"

    names = ["Author", "Profile", "Tag", "Post", "Comment", "Group", "Membership"]
    found = locals()
    return {name: found[name] for name in names}
