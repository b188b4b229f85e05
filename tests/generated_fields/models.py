"""Models with GeneratedField columns, stored and virtual."""

from tether import models
from tether.models import F
from tether.models.functions import Lower


class Line(models.Model):
    name = models.CharField(max_length=20, default="")
    quantity = models.IntegerField()
    price = models.DecimalField(max_digits=8, decimal_places=2)
    total = models.GeneratedField(
        expression=F("quantity") * F("price"),
        output_field=models.DecimalField(max_digits=12, decimal_places=2),
        db_persist=True,
    )
    lower_name = models.GeneratedField(
        expression=Lower("name"), output_field=models.CharField(max_length=20), db_persist=True
    )
    big = models.GeneratedField(
        expression=models.Q(quantity__gt=10), output_field=models.BooleanField(), db_persist=True
    )


class Virtual(models.Model):
    """PostgreSQL has no virtual generated columns: no table there."""

    a = models.IntegerField()
    doubled = models.GeneratedField(
        expression=F("a") * 2, output_field=models.IntegerField(), db_persist=False
    )

    class Meta:
        required_db_features = {"supports_virtual_generated_columns"}
