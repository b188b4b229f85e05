"""Models for the deletion tests: cascade chains, every on_delete handler, m2m, inheritance."""

from tether import models


class R(models.Model):
    name = models.CharField(max_length=30, default="r")

    def __str__(self) -> str:
        return f"R {self.pk}"


class S(models.Model):
    r = models.ForeignKey(R, models.CASCADE)


class T(models.Model):
    s = models.ForeignKey(S, models.CASCADE)


class U(models.Model):
    t = models.ForeignKey(T, models.CASCADE)


class RChild(R):
    pass


class RGrandChild(RChild):
    pass


def get_default_r() -> int:
    return R.objects.get_or_create(name="default")[0].pk


class A(models.Model):
    name = models.CharField(max_length=30)
    setnull = models.ForeignKey(R, models.SET_NULL, null=True, related_name="setnull_set")
    cascade = models.ForeignKey(R, models.CASCADE, null=True, related_name="cascade_set")
    protect = models.ForeignKey(R, models.PROTECT, null=True, related_name="protect_set")
    restrict = models.ForeignKey(R, models.RESTRICT, null=True, related_name="restrict_set")
    donothing = models.ForeignKey(
        R, models.DO_NOTHING, null=True, db_constraint=False, related_name="donothing_set"
    )
    setvalue = models.ForeignKey(R, models.SET(None), null=True, related_name="setvalue_set")


class M(models.Model):
    m2m = models.ManyToManyField(R, related_name="m_set")


class Avatar(models.Model):
    desc = models.TextField(null=True)


class User(models.Model):
    avatar = models.ForeignKey(Avatar, models.CASCADE, null=True)


class Person(models.Model):
    name = models.CharField(max_length=50, unique=True)


class SetDefaultTarget(models.Model):
    name = models.CharField(max_length=30)


def default_target() -> int:
    return SetDefaultTarget.objects.get_or_create(name="fallback")[0].pk


class SetDefaults(models.Model):
    target = models.ForeignKey(
        SetDefaultTarget, models.SET_DEFAULT, default=default_target, related_name="defaults"
    )
    by_callable = models.ForeignKey(
        SetDefaultTarget, models.SET(default_target), null=True, related_name="by_callable"
    )


# RESTRICT reached through two paths (Django's "RESTRICT ... unless cascaded" rule).
class Artist(models.Model):
    name = models.CharField(max_length=30)


class Album(models.Model):
    artist = models.ForeignKey(Artist, models.CASCADE)


class Song(models.Model):
    album = models.ForeignKey(Album, models.RESTRICT)
    artist = models.ForeignKey(Artist, models.CASCADE)


class Publication(models.Model):
    title = models.CharField(max_length=30)


class Article(models.Model):
    headline = models.CharField(max_length=100)
    publications = models.ManyToManyField(Publication)
