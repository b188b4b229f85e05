"""Relations with complete change events (app `m2m_events`): `Post.tags` opts in with the field
option, `Post.plain_tags` does not; `Person.friends` is a symmetrical self relation that opts
in; `Membership` is an explicit through model."""

from tether import models


class Tag(models.Model):
    label = models.CharField(max_length=20)


class Post(models.Model):
    title = models.CharField(max_length=20)
    tags = models.ManyToManyField(Tag, related_name="posts", complete_events=True)
    plain_tags = models.ManyToManyField(Tag, related_name="plain_posts")


class Person(models.Model):
    name = models.CharField(max_length=20)
    friends = models.ManyToManyField("self", complete_events=True)


class Club(models.Model):
    name = models.CharField(max_length=20)
    members = models.ManyToManyField(
        Person, through="Membership", related_name="clubs", complete_events=True
    )


class Membership(models.Model):
    club = models.ForeignKey(Club, models.CASCADE)
    person = models.ForeignKey(Person, models.CASCADE)
    role = models.CharField(max_length=20, default="member")
