"""Models whose default managers filter (soft delete) and carry methods of their own, reached
through a reverse foreign key and both sides of a many-to-many relation."""

from tether import models


class PostQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)


class LiveManager(models.Manager.from_queryset(PostQuerySet)):  # type: ignore[misc]
    """Hides soft-deleted rows; `titles()` is a manager method, not a QuerySet one."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted=False)

    def titles(self):
        return sorted(self.values_list("title", flat=True))


class Writer(models.Model):
    name = models.CharField(max_length=30)


class Post(models.Model):
    title = models.CharField(max_length=30)
    published = models.BooleanField(default=False)
    deleted = models.BooleanField(default=False)
    writer = models.ForeignKey(Writer, models.CASCADE, related_name="posts", null=True)
    readers = models.ManyToManyField(Writer, related_name="read_posts")

    objects = LiveManager()
    everything = models.Manager()
