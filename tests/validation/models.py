"""Models for the validation tests."""

from tether import models
from tether.exceptions import ValidationError
from tether.models.functions import Lower
from tether.validators import MinValueValidator


class Article(models.Model):
    title = models.CharField(max_length=10)
    slug = models.SlugField(unique=True)
    email = models.EmailField(blank=True)
    url = models.URLField(blank=True)
    rating = models.IntegerField(validators=[MinValueValidator(0)], default=0)
    status = models.CharField(
        max_length=1, choices=[("d", "Draft"), ("p", "Published")], default="d"
    )
    price = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)

    def clean(self):
        if self.title == "forbidden":
            raise ValidationError("This title is forbidden.")


class FeaturedArticle(Article):
    """Multi-table child: Article's unique slug is checked against every Article row."""

    position = models.IntegerField(default=0)


class Membership(models.Model):
    user = models.CharField(max_length=20)
    group = models.CharField(max_length=20)
    active = models.BooleanField(default=True)
    age = models.IntegerField(default=18)

    class Meta:
        unique_together = [("user", "group")]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(active=True),
                name="one_active_membership",
                violation_error_message="Only one active membership per user.",
            ),
            models.CheckConstraint(condition=models.Q(age__gte=18), name="adults_only"),
        ]


class Handle(models.Model):
    """Unique over an expression: case-insensitive handles, ordering ignored by validation."""

    name = models.CharField(max_length=20)
    domain = models.CharField(max_length=20, default="x")

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("name").desc(), "domain", name="unique_lower_handle"),
        ]
