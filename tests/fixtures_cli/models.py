"""Models for the in-process fixture tests (TestCase.fixtures, call_command)."""

from __future__ import annotations

from typing import Any

from tether import models


class PersonManager(models.Manager):
    def get_by_natural_key(self, name: str) -> Any:
        return self.get(name=name)


class Person(models.Model):
    name = models.CharField(max_length=30, unique=True)

    objects = PersonManager()

    def natural_key(self) -> tuple[str]:
        return (self.name,)


class Club(models.Model):
    title = models.CharField(max_length=30)
    members = models.ManyToManyField(Person, related_name="clubs")
