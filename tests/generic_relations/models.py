"""Models for the generic relation tests: tags on any model, a text object id, a proxy."""

from tether import models
from tether.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from tether.contrib.contenttypes.models import ContentType


class TaggedItem(models.Model):
    tag = models.CharField(max_length=30)
    content_type = models.ForeignKey(ContentType, models.CASCADE)
    object_id = models.PositiveIntegerField()
    content_object = GenericForeignKey()

    class Meta:
        ordering = ["tag", "id"]

    def __str__(self) -> str:
        return self.tag


class Bookmark(models.Model):
    url = models.CharField(max_length=50)
    tags = GenericRelation(TaggedItem, related_query_name="bookmarks")

    class Meta:
        ordering = ["id"]


class Animal(models.Model):
    name = models.CharField(max_length=30)
    tags = GenericRelation(TaggedItem)

    class Meta:
        ordering = ["id"]


class ProxyAnimal(Animal):
    class Meta:
        proxy = True


class Note(models.Model):
    """A generic link whose object id is text and whose fields have other names."""

    text = models.CharField(max_length=30)
    kind = models.ForeignKey(ContentType, models.CASCADE, null=True, related_name="+")
    object_pk = models.CharField(max_length=20, null=True)
    about = GenericForeignKey("kind", "object_pk")
    proxied = GenericForeignKey("kind", "object_pk", for_concrete_model=False)


class Topic(models.Model):
    name = models.CharField(max_length=30)
    notes = GenericRelation(Note, content_type_field="kind", object_id_field="object_pk")


class AbstractComparison(models.Model):
    """A GenericForeignKey declared on an abstract parent."""

    comparative = models.CharField(max_length=50)
    content_type1 = models.ForeignKey(ContentType, models.CASCADE, related_name="+")
    object_id1 = models.PositiveIntegerField()
    first_obj = GenericForeignKey(ct_field="content_type1", fk_field="object_id1")

    class Meta:
        abstract = True


class Comparison(AbstractComparison):
    content_type2 = models.ForeignKey(ContentType, models.CASCADE, related_name="+")
    object_id2 = models.PositiveIntegerField()
    other_obj = GenericForeignKey(ct_field="content_type2", fk_field="object_id2")


class ValuableTaggedItem(TaggedItem):
    """A multi-table child: its generic columns live in TaggedItem's table."""

    value = models.PositiveIntegerField()


class Rock(models.Model):
    name = models.CharField(max_length=30)
    valuable_tags = GenericRelation(ValuableTaggedItem)
    comparisons = GenericRelation(
        Comparison, object_id_field="object_id1", content_type_field="content_type1"
    )
