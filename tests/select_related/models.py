"""A taxonomy chain (non-null keys, several levels) and nullable links for select_related."""

from tether import models


class Domain(models.Model):
    name = models.CharField(max_length=50)


class Kingdom(models.Model):
    name = models.CharField(max_length=50)
    domain = models.ForeignKey(Domain, models.CASCADE)


class Phylum(models.Model):
    name = models.CharField(max_length=50)
    kingdom = models.ForeignKey(Kingdom, models.CASCADE)


class Species(models.Model):
    name = models.CharField(max_length=50)
    phylum = models.ForeignKey(Phylum, models.CASCADE)
    # A nullable link is not followed by select_related() without names.
    relative = models.ForeignKey("self", models.SET_NULL, null=True)

    class Meta:
        ordering = ("name",)


class Specimen(models.Model):
    label = models.CharField(max_length=50)
    species = models.ForeignKey(Species, models.SET_NULL, null=True)

    class Meta:
        ordering = ("label",)
