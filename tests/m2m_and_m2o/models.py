"""Issues with a client (FK) and a cc list (M2M), both to User, with distinct related_names."""

from tether import models


class User(models.Model):
    username = models.CharField(max_length=20)

    def __str__(self):
        return self.username


class Issue(models.Model):
    num = models.IntegerField()
    cc = models.ManyToManyField(User, blank=True, related_name="test_issue_cc")
    client = models.ForeignKey(User, models.CASCADE, related_name="test_issue_client")

    class Meta:
        ordering = ("num",)

    def __str__(self):
        return str(self.num)
