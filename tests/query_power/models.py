"""Authors, books and tags: the models of the query-power differential tests."""

from tether import models


class Author(models.Model):
    name = models.CharField(max_length=40)
    age = models.IntegerField()
    rating = models.FloatField(null=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    label = models.CharField(max_length=20)

    class Meta:
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class Book(models.Model):
    title = models.CharField(max_length=60)
    pages = models.IntegerField()
    price = models.DecimalField(max_digits=6, decimal_places=2)
    flags = models.IntegerField(default=0)
    author = models.ForeignKey(Author, models.CASCADE, related_name="books")
    editor = models.ForeignKey(Author, models.SET_NULL, null=True, related_name="edited")
    tags = models.ManyToManyField(Tag, related_name="books")
    published = models.DateField()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title
