"""Models for the public API tests: dated articles and a model with a system check error."""

from tether import models


class Article(models.Model):
    headline = models.CharField(max_length=50)
    pub_date = models.DateTimeField()
    published = models.DateField(null=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.headline


class Other(models.Model):
    name = models.CharField(max_length=50)


class ArticleSelectOnSave(Article):
    class Meta:
        proxy = True
        select_on_save = True


class PrimaryKeyWithDbDefault(models.Model):
    uuid = models.IntegerField(primary_key=True, db_default=1)


class PrimaryKeyWithFalseyDbDefault(models.Model):
    uuid = models.IntegerField(primary_key=True, db_default=0)


class Place(models.Model):
    name = models.CharField(max_length=50)


class Restaurant(models.Model):
    place = models.OneToOneField(Place, models.CASCADE, primary_key=True)


class Hidden(models.Model):
    place = models.ForeignKey(Place, models.CASCADE, related_name="+")


class Task(models.Model):
    estimate = models.DurationField()
    factor = models.IntegerField(default=2)
