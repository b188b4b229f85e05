"""Models for the select_for_update() tests: countries, cities, people, a multi-table child."""

from tether import models


class Country(models.Model):
    name = models.CharField(max_length=30)


class City(models.Model):
    name = models.CharField(max_length=30)
    country = models.ForeignKey(Country, models.CASCADE)


class Capital(City):
    mayor = models.CharField(max_length=30, default="")


class Person(models.Model):
    name = models.CharField(max_length=30)
    born = models.ForeignKey(City, models.CASCADE, related_name="people_born")
    died = models.ForeignKey(City, models.CASCADE, null=True, related_name="people_died")
