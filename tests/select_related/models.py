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


class Collection(models.Model):
    """A parent of a multi-table child that select_related() reaches through a foreign key."""

    curator = models.CharField(max_length=50)


class Herbarium(Collection):
    city = models.CharField(max_length=50)


class Sheet(models.Model):
    label = models.CharField(max_length=50)
    herbarium = models.ForeignKey(Herbarium, models.SET_NULL, null=True)
    previous = models.ForeignKey("self", models.SET_NULL, null=True)


class Loan(models.Model):
    """Reaches Herbarium's parent, and from it the child by the reverse parent link."""

    collection = models.ForeignKey(Collection, models.CASCADE)
