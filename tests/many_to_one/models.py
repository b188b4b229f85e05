"""Models for the many-to-one tests: reporters and articles, to_field targets, nullable keys."""

from tether import models


class Reporter(models.Model):
    first_name = models.CharField(max_length=30)
    last_name = models.CharField(max_length=30)
    email = models.EmailField()

    class Meta:
        ordering = ("first_name", "last_name")

    def __str__(self):
        return f"{self.first_name} {self.last_name}"


class Article(models.Model):
    headline = models.CharField(max_length=100)
    pub_date = models.DateField()
    reporter = models.ForeignKey(Reporter, models.CASCADE)

    class Meta:
        ordering = ("headline",)

    def __str__(self):
        return self.headline


class Country(models.Model):
    id = models.SmallAutoField(primary_key=True)
    name = models.CharField(max_length=50)


class City(models.Model):
    id = models.BigAutoField(primary_key=True)
    country = models.ForeignKey(Country, models.CASCADE, related_name="cities", null=True)
    name = models.CharField(max_length=50)


class District(models.Model):
    city = models.ForeignKey(City, models.CASCADE, related_name="districts", null=True)
    name = models.CharField(max_length=50)

    def __str__(self):
        return self.name


class First(models.Model):
    second = models.IntegerField()


class Second(models.Model):
    first = models.ForeignKey(First, models.CASCADE, related_name="the_first")


class Parent(models.Model):
    name = models.CharField(max_length=20, unique=True)
    bestchild = models.ForeignKey("Child", models.SET_NULL, null=True, related_name="favored_by")


class ParentStringPrimaryKey(models.Model):
    name = models.CharField(primary_key=True, max_length=15)


class Child(models.Model):
    name = models.CharField(max_length=20)
    parent = models.ForeignKey(Parent, models.CASCADE)


class ChildNullableParent(models.Model):
    parent = models.ForeignKey(Parent, models.CASCADE, null=True)


class ChildStringPrimaryKeyParent(models.Model):
    parent = models.ForeignKey(ParentStringPrimaryKey, on_delete=models.CASCADE)


class ToFieldChild(models.Model):
    parent = models.ForeignKey(
        Parent, models.CASCADE, to_field="name", related_name="to_field_children"
    )


class Category(models.Model):
    name = models.CharField(max_length=20)

    class Meta:
        ordering = ("-name",)


class Record(models.Model):
    category = models.ForeignKey(Category, models.CASCADE)


class Relation(models.Model):
    left = models.ForeignKey(Record, models.CASCADE, related_name="left_set")
    right = models.ForeignKey(Record, models.CASCADE, related_name="right_set")


class School(models.Model):
    is_public = models.BooleanField(default=False)


class Student(models.Model):
    school = models.ForeignKey(School, models.CASCADE, limit_choices_to={"is_public": True})


class Hidden(models.Model):
    name = models.CharField(max_length=20)


class HiddenRef(models.Model):
    target = models.ForeignKey(Hidden, models.CASCADE, related_name="+")
    loose = models.ForeignKey(
        Hidden,
        models.DO_NOTHING,
        related_name="loose_refs",
        related_query_name="loose",
        db_constraint=False,
        null=True,
    )


class Car(models.Model):
    make = models.CharField(max_length=100, null=True, unique=True)


class Driver(models.Model):
    car = models.ForeignKey(
        Car, models.SET_NULL, to_field="make", null=True, related_name="drivers"
    )
