"""Models for F() expressions: companies with counts, employees, a nullable link."""

from tether import models


class Employee(models.Model):
    firstname = models.CharField(max_length=50)
    lastname = models.CharField(max_length=50)
    salary = models.IntegerField(blank=True, null=True)

    def __str__(self):
        return f"{self.firstname} {self.lastname}"


class Company(models.Model):
    name = models.CharField(max_length=100)
    num_employees = models.PositiveIntegerField()
    num_chairs = models.PositiveIntegerField()
    ceo = models.ForeignKey(Employee, models.CASCADE, related_name="company_ceo_set")
    point_of_contact = models.ForeignKey(
        Employee, models.SET_NULL, related_name="company_point_of_contact_set", null=True
    )
    rating = models.FloatField(default=1.0)

    def __str__(self):
        return self.name


class Moment(models.Model):
    """Date, time-stamp and duration columns for date arithmetic in F()."""

    count = models.IntegerField(default=0)
    when = models.DateTimeField(null=True)
    day = models.DateField(null=True)
    length = models.DurationField(null=True)


class Reading(models.Model):
    """A decimal with more places than a double's digits (SQLite stores it as REAL)."""

    value = models.DecimalField(max_digits=20, decimal_places=17, null=True)
