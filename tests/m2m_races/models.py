"""Models for the many-to-many race tests: an automatic through table, explicit through models
with a unique pair (UniqueConstraint, unique_together), and a symmetrical self relation."""

from tether import models


class Tag(models.Model):
    name = models.CharField(max_length=20)


class Post(models.Model):
    name = models.CharField(max_length=20)
    tags = models.ManyToManyField(Tag, related_name="posts")
    labels = models.ManyToManyField(Tag, through="Labelling", related_name="labelled")
    marks = models.ManyToManyField(Tag, through="Marking", related_name="marked")


class Labelling(models.Model):
    post = models.ForeignKey(Post, models.CASCADE)
    tag = models.ForeignKey(Tag, models.CASCADE)
    weight = models.IntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "tag"], name="m2mrace_one_label")]


class Marking(models.Model):
    post = models.ForeignKey(Post, models.CASCADE)
    tag = models.ForeignKey(Tag, models.CASCADE)

    class Meta:
        unique_together = [("post", "tag")]


class Node(models.Model):
    name = models.CharField(max_length=20)
    peers = models.ManyToManyField("self")


class Sticker(models.Model):
    name = models.CharField(max_length=20)
    stamps = models.ManyToManyField(Tag, through="Stamp", related_name="stamped")


class Stamp(models.Model):
    """A through model with a unique pair and another unique key (`code`)."""

    sticker = models.ForeignKey("Sticker", models.CASCADE, related_name="+")
    tag = models.ForeignKey(Tag, models.CASCADE, related_name="+")
    code = models.CharField(max_length=10, unique=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sticker", "tag"], name="m2mrace_one_stamp")]
