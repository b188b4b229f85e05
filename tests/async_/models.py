"""A model for the async API tests."""

from tether import models


class Event(models.Model):
    name = models.CharField(max_length=30)
    seats = models.IntegerField(default=0)

    class Meta:
        ordering = ("name",)

    def __str__(self):
        return self.name


class Tag(models.Model):
    name = models.CharField(max_length=30)

    class Meta:
        ordering = ("name",)


class Post(models.Model):
    title = models.CharField(max_length=30)
    tags = models.ManyToManyField(Tag, related_name="posts")


class SluggedNote(models.Model):
    """A model whose own save() fills a field, as a user's model would."""

    title = models.CharField(max_length=30)
    slug = models.CharField(max_length=40, blank=True)
    saves = models.IntegerField(default=0)

    def save(self, *args, **kwargs):
        self.slug = self.title.lower().replace(" ", "-")
        self.saves += 1
        SAVE_CALLS.append(kwargs)
        super().save(*args, **kwargs)


class Remark(models.Model):
    """A child with a foreign key, for related managers' create()."""

    note = models.ForeignKey(SluggedNote, models.CASCADE, related_name="remarks")
    text = models.CharField(max_length=30)
    shout = models.CharField(max_length=30, blank=True)

    def save(self, *args, **kwargs):
        self.shout = self.text.upper()
        SAVE_CALLS.append(kwargs)
        super().save(*args, **kwargs)


SAVE_CALLS: list = []


class Reply(models.Model):
    """A nullable foreign key: its reverse manager has remove() and clear()."""

    post = models.ForeignKey(Post, models.SET_NULL, null=True, related_name="replies")
    body = models.CharField(max_length=30)

    class Meta:
        ordering = ("id",)
