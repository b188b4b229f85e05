"""Models covering the breadth fields."""

from tether import models


class Medal(models.IntegerChoices):
    GOLD = 1, "Gold medal"
    SILVER = 2
    BRONZE = 3


class Year(models.TextChoices):
    FRESHMAN = "FR", "Freshman"
    SENIOR = "SR"


class Small(models.Model):
    id = models.SmallAutoField(primary_key=True)
    small = models.SmallIntegerField(default=0)
    positive = models.PositiveIntegerField(default=0)
    positive_small = models.PositiveSmallIntegerField(default=0)
    positive_big = models.PositiveBigIntegerField(default=0)


class Everything(models.Model):
    time = models.TimeField(null=True)
    duration = models.DurationField(null=True)
    uuid = models.UUIDField(null=True)
    data = models.JSONField(null=True)
    blob = models.BinaryField(null=True)
    email = models.EmailField(blank=True)
    slug = models.SlugField(blank=True)
    url = models.URLField(blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    medal = models.IntegerField(choices=Medal.choices, null=True)
    year = models.CharField(max_length=2, choices=Year.choices, blank=True)


class Stamped(models.Model):
    name = models.CharField(max_length=20)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    day = models.DateField(auto_now_add=True)
    clock = models.TimeField(auto_now=True)


class WithDbDefault(models.Model):
    name = models.CharField(max_length=20, default="x")
    rank = models.IntegerField(db_default=42)
    label = models.CharField(max_length=20, db_default="hello")


class Doc(models.Model):
    value = models.JSONField(null=True)


class Text(models.Model):
    body = models.TextField()
