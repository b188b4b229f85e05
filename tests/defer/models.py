"""Models for only()/defer(): Django's defer test app, trimmed."""

from tether import models


class Author(models.Model):
    name = models.CharField(max_length=50)
    bio = models.TextField(default="")

    def __str__(self):
        return self.name


class Article(models.Model):
    title = models.CharField(max_length=50)
    body = models.TextField(default="")
    views = models.IntegerField(default=0)
    author = models.ForeignKey(Author, models.CASCADE, null=True)

    def __str__(self):
        return self.title


class Detail(models.Model):
    article = models.OneToOneField(Article, models.CASCADE, related_name="detail")
    note = models.CharField(max_length=50)
    extra = models.CharField(max_length=50, default="")


class Base(models.Model):
    name = models.CharField(max_length=50)
    other = models.CharField(max_length=50, default="")


class Child(Base):
    value = models.IntegerField(default=0)
