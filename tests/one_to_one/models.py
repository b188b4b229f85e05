"""Models for the one-to-one tests: places, restaurants (pk is the link), waiters."""

from tether import models


class Place(models.Model):
    name = models.CharField(max_length=50)
    address = models.CharField(max_length=80)

    def __str__(self):
        return f"{self.name} the place"


class Restaurant(models.Model):
    place = models.OneToOneField(Place, models.CASCADE, primary_key=True)
    serves_hot_dogs = models.BooleanField(default=False)

    def __str__(self):
        return f"{self.place.name} the restaurant"


class Waiter(models.Model):
    restaurant = models.ForeignKey(Restaurant, models.CASCADE)
    name = models.CharField(max_length=50)

    def __str__(self):
        return f"{self.name} the waiter at {self.restaurant}"


class Bar(models.Model):
    place = models.OneToOneField(Place, models.CASCADE, null=True, related_name="bar_here")
    name = models.CharField(max_length=50, default="")
