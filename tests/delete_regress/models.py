"""Models whose foreign keys use on_delete callables written for Django: (collector, field,
sub_objs, using)."""

from tether import models

CALLS: list[tuple[str, object, list[int], str]] = []


def record(name, sub_objs, using):
    CALLS.append((name, sub_objs.model, sorted(obj.pk for obj in sub_objs), using))


def django_cascade(collector, field, sub_objs, using):
    """Django's CASCADE as a user would write it against Django's collector."""
    record("cascade", sub_objs, using)
    collector.collect(
        sub_objs,
        source=field.remote_field.model,
        source_attr=field.name,
        nullable=field.null,
        fail_on_restricted=False,
    )


def set_label(collector, field, sub_objs, using):
    """Point the rows at the fallback owner instead of deleting them."""
    record("set_label", sub_objs, using)
    fallback = Owner.objects.using(using).get(name="fallback")
    collector.add_field_update(field, fallback.pk, sub_objs)


def restrict_like(collector, field, sub_objs, using):
    record("restrict", sub_objs, using)
    collector.add_restricted_objects(field, sub_objs)
    collector.add_dependency(field.remote_field.model, field.model)


class Owner(models.Model):
    name = models.CharField(max_length=30)


class Cascaded(models.Model):
    owner = models.ForeignKey(Owner, django_cascade, related_name="cascaded")


class Leaf(models.Model):
    cascaded = models.ForeignKey(Cascaded, models.CASCADE)


class Moved(models.Model):
    owner = models.ForeignKey(Owner, set_label, related_name="moved")


class Guarded(models.Model):
    owner = models.ForeignKey(Owner, restrict_like, null=True, related_name="guarded")
    other = models.ForeignKey(Owner, models.CASCADE, null=True, related_name="+")


# Foreign keys to a proxy model: followed when the concrete model's rows are deleted.
class Document(models.Model):
    name = models.CharField(max_length=30)


class DocumentProxy(Document):
    class Meta:
        proxy = True


class Image(Document):
    width = models.IntegerField(default=0)


class Page(models.Model):
    doc = models.ForeignKey(DocumentProxy, models.CASCADE, related_name="pages")


class Stamp(models.Model):
    doc = models.ForeignKey(DocumentProxy, models.PROTECT, null=True, related_name="stamps")


class Note(models.Model):
    doc = models.ForeignKey(DocumentProxy, models.SET_NULL, null=True, related_name="notes")
