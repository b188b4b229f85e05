"""Cars and drivers linked on natural keys (to_field), and priced memberships."""

from tether import models


class Driver(models.Model):
    name = models.CharField(max_length=20, unique=True)

    class Meta:
        ordering = ("name",)

    def __str__(self):
        return self.name


class Car(models.Model):
    make = models.CharField(max_length=20, unique=True)
    drivers = models.ManyToManyField(Driver, through="CarDriver")

    class Meta:
        ordering = ("make",)

    def __str__(self):
        return self.make


class CarDriver(models.Model):
    car = models.ForeignKey(Car, models.CASCADE, to_field="make")
    driver = models.ForeignKey(Driver, models.CASCADE, to_field="name")

    def __str__(self):
        return f"pk={self.pk} car={self.car} driver={self.driver}"


class Person(models.Model):
    name = models.CharField(max_length=20)

    def __str__(self):
        return self.name


class Club(models.Model):
    name = models.CharField(max_length=20)
    members = models.ManyToManyField(Person, through="Membership", related_name="clubs")

    def __str__(self):
        return self.name


class Membership(models.Model):
    person = models.ForeignKey(Person, models.CASCADE)
    club = models.ForeignKey(Club, models.CASCADE)
    price = models.IntegerField(default=100)

    def __str__(self):
        return f"{self.person} is a member of {self.club}"


class Event(models.Model):
    name = models.CharField(max_length=50, unique=True)
    people = models.ManyToManyField(Person, through="IndividualCompetitor")
    teams = models.ManyToManyField(Club, through="CompetingTeam")

    def __str__(self):
        return self.name


class Competitor(models.Model):
    """The link to the event lives on this parent table, not on the through models' own."""

    event = models.ForeignKey(Event, models.CASCADE)


class IndividualCompetitor(Competitor):
    person = models.ForeignKey(Person, models.CASCADE)


class CompetingTeam(Competitor):
    team = models.ForeignKey(Club, models.CASCADE)
