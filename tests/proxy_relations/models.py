"""A concrete model, a proxy of it, and a relation to each."""

from __future__ import annotations

from tether import models


class Member(models.Model):
    name = models.CharField(max_length=50)

    def __str__(self) -> str:
        return self.name


class Vip(Member):
    class Meta:
        proxy = True


class Badge(models.Model):
    """Points at the proxy: the same rows as a relation to Member."""

    holder = models.ForeignKey(Vip, models.CASCADE, related_name="badges")
    label = models.CharField(max_length=20)


class Team(models.Model):
    captain = models.ForeignKey(Member, models.CASCADE, related_name="teams")
