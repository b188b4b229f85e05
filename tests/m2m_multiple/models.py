"""Articles with primary and secondary categories, told apart by their related_names."""

from tether import models


class Category(models.Model):
    name = models.CharField(max_length=20)

    class Meta:
        ordering = ("name",)

    def __str__(self):
        return self.name


class Article(models.Model):
    headline = models.CharField(max_length=50)
    primary_categories = models.ManyToManyField(Category, related_name="primary_article_set")
    secondary_categories = models.ManyToManyField(Category, related_name="secondary_article_set")

    class Meta:
        ordering = ("headline",)

    def __str__(self):
        return self.headline
