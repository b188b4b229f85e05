"""The date-time model of the date-function tests (Django's db_functions DTModel)."""

from tether import models


class DTModel(models.Model):
    name = models.CharField(max_length=32)
    start_datetime = models.DateTimeField(null=True)
    end_datetime = models.DateTimeField(null=True)
    start_date = models.DateField(null=True)
    start_time = models.TimeField(null=True)
    duration = models.DurationField(null=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
