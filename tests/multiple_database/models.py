"""Books, people and reviews spread over two databases (`default` and `other`), as Django's
multiple_database app has them: a foreign key, a many-to-many with an auto-created through
table, one with an explicit through model, and a one-to-one."""

from tether import models


class Person(models.Model):
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class BookManager(models.Manager):
    """Drops `extra_arg`: a related manager must reach this create() (Django's test)."""

    def create(self, *args, extra_arg=None, **kwargs):
        return super().create(*args, **kwargs)

    def get_or_create(self, *args, extra_arg=None, **kwargs):
        return super().get_or_create(*args, **kwargs)


class Book(models.Model):
    title = models.CharField(max_length=100)
    published = models.DateField(null=True)
    # No constraints: in the by-model tests the people live on the other database (MariaDB
    # checks a foreign key at once, the others at commit).
    authors = models.ManyToManyField(Person, related_name="books", db_constraint=False)
    editor = models.ForeignKey(
        Person, models.SET_NULL, null=True, related_name="edited", db_constraint=False
    )

    objects = BookManager()

    class Meta:
        ordering = ("title",)

    def __str__(self) -> str:
        return self.title


class Review(models.Model):
    book = models.ForeignKey(Book, models.CASCADE, related_name="reviews")
    text = models.CharField(max_length=100)

    class Meta:
        ordering = ("text",)


class Profile(models.Model):
    person = models.OneToOneField(Person, models.CASCADE, related_name="profile")
    flavor = models.CharField(max_length=100)


class Shelf(models.Model):
    name = models.CharField(max_length=100)
    books = models.ManyToManyField(Book, through="Placement", related_name="shelves")

    class Meta:
        ordering = ("name",)


class Placement(models.Model):
    shelf = models.ForeignKey(Shelf, models.CASCADE)
    book = models.ForeignKey(Book, models.CASCADE)
    position = models.IntegerField(default=0)
