"""Abstract bases, multi-table inheritance (implicit and explicit parent links)."""

from tether import models


class Tag(models.Model):
    name = models.CharField(max_length=20)


class CommonInfo(models.Model):
    name = models.CharField(max_length=50)
    age = models.PositiveIntegerField()
    tags = models.ManyToManyField(Tag, related_name="%(app_label)s_%(class)s_related")

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.name}"


class AdultManager(models.Manager):
    def get_queryset(self):  # type: ignore[no-untyped-def]
        return super().get_queryset().filter(age__gte=18)


class Worker(CommonInfo):
    job = models.CharField(max_length=50)
    adults = AdultManager()


class Student(CommonInfo):
    school_class = models.CharField(max_length=10)

    class Meta(CommonInfo.Meta):
        pass


class Place(models.Model):
    name = models.CharField(max_length=50)
    address = models.CharField(max_length=80, default="")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} the place"


class Rating(models.Model):
    rating = models.IntegerField(null=True)

    class Meta:
        abstract = True


class Restaurant(Place, Rating):
    serves_hot_dogs = models.BooleanField(default=False)
    serves_pizza = models.BooleanField(default=False)


class ItalianRestaurant(Restaurant):
    serves_gnocchi = models.BooleanField(default=False)


class Supplier(Place):
    customers = models.ManyToManyField(Restaurant, related_name="provider")


class ParkingLot(Place):
    # An explicit parent link, under a name of our choosing.
    parent = models.OneToOneField(Place, models.CASCADE, primary_key=True, parent_link=True)
    main_site = models.ForeignKey(Place, models.CASCADE, related_name="lot")


class Review(models.Model):
    restaurant = models.ForeignKey(Restaurant, models.CASCADE)
    place = models.ForeignKey(Place, models.CASCADE, null=True, related_name="reviews")


class Brand(models.Model):
    brand_id = models.AutoField(primary_key=True)
    brand_name = models.CharField(max_length=30)


class BrandedPlace(Place, Brand):
    """Two concrete parents: the pk is place_ptr, brand_ptr is a parent link beside it."""

    motto = models.CharField(max_length=30, default="")


class BrandedShop(BrandedPlace):
    """A grandchild reaching Brand through its parent's non-pk link."""

    opening = models.IntegerField(default=9)
