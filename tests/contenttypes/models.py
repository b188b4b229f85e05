"""Models for the ContentType tests: a plain model, its proxy and a child."""

from tether import models


class Author(models.Model):
    name = models.CharField(max_length=30)


class ProxyAuthor(Author):
    class Meta:
        proxy = True


class Article(models.Model):
    title = models.CharField(max_length=30)
    author = models.ForeignKey(Author, models.CASCADE)
