"""Proxy models: same table, own managers, ordering and methods."""

from tether import models


class PersonManager(models.Manager):
    def get_queryset(self):  # type: ignore[no-untyped-def]
        return super().get_queryset().exclude(name="fred")


class SubManager(models.Manager):
    def get_queryset(self):  # type: ignore[no-untyped-def]
        return super().get_queryset().exclude(name="wilma")


class Person(models.Model):
    name = models.CharField(max_length=50)
    objects = PersonManager()

    def __str__(self) -> str:
        return self.name


class MyPerson(Person):
    other = PersonManager()

    class Meta:
        proxy = True
        ordering = ["name"]

    def has_special_name(self) -> bool:
        return self.name.lower() == "special"


class ManagerMixin(models.Model):
    excluder = SubManager()

    class Meta:
        abstract = True


class OtherPerson(Person, ManagerMixin):
    class Meta:
        proxy = True


class StatusPerson(MyPerson):
    class Meta:
        proxy = True


class Company(models.Model):
    owner = models.ForeignKey(Person, models.CASCADE, related_name="companies")
