"""Authors, their bios and books, books' tags (app `fetch_modes`): every relation kind a fetch
mode covers (foreign key, one-to-one and both reverse sides, many-to-many both ways)."""

from tether import models


class Author(models.Model):
    name = models.CharField(max_length=50)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Bio(models.Model):
    author = models.OneToOneField(Author, models.CASCADE, related_name="bio")
    text = models.CharField(max_length=50)


class Tag(models.Model):
    label = models.CharField(max_length=20)

    class Meta:
        ordering = ["label"]

    def __str__(self):
        return self.label


class Book(models.Model):
    title = models.CharField(max_length=50)
    pages = models.IntegerField(default=0)
    author = models.ForeignKey(Author, models.CASCADE, related_name="books")
    editor = models.ForeignKey(Author, models.SET_NULL, null=True, related_name="edited")
    tags = models.ManyToManyField(Tag, related_name="books")

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title
