"""Articles and publications (app `m2m_bulk`): `Article.publications` is linked in bulk;
`Article.tracked` opts in to complete events; `Enrollment` is a through model with data."""

from tether import models


class Publication(models.Model):
    title = models.CharField(max_length=30)


class Article(models.Model):
    headline = models.CharField(max_length=30)
    publications = models.ManyToManyField(Publication, related_name="articles")
    tracked = models.ManyToManyField(Publication, related_name="tracked", complete_events=True)


class Person(models.Model):
    name = models.CharField(max_length=30)
    friends = models.ManyToManyField("self")


class Student(models.Model):
    name = models.CharField(max_length=30)


class Course(models.Model):
    name = models.CharField(max_length=30)
    students = models.ManyToManyField(Student, through="Enrollment", related_name="courses")


class Enrollment(models.Model):
    course = models.ForeignKey(Course, models.CASCADE)
    student = models.ForeignKey(Student, models.CASCADE)
    grade = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["course", "student"], name="one_enrollment")]
