"""Models for the raw SQL tests (Django's raw_query app, trimmed)."""

from tether import models


class Author(models.Model):
    first_name = models.CharField(max_length=255)
    last_name = models.CharField(max_length=255)
    dob = models.DateField(null=True)

    class Meta:
        ordering = ["id"]


class Book(models.Model):
    title = models.CharField(max_length=255)
    author = models.ForeignKey(Author, models.CASCADE)
    paperback = models.BooleanField(default=False)
    opening_line = models.TextField()
    published = models.DateTimeField(null=True)


class MixedCaseIDColumn(models.Model):
    id = models.AutoField(primary_key=True, db_column="MyID")
    label = models.CharField(max_length=20, db_column="Label")
