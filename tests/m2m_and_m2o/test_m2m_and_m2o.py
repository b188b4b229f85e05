"""OR across a foreign key and a many-to-many to the same model; distinct() de-duplicates."""

from tether.models import Q
from tether.test import TestCase

from .models import Issue, User


class RelatedObjectTests(TestCase):
    def test_fk_or_m2m(self) -> None:
        r = User.objects.create(username="russell")
        g = User.objects.create(username="gustav")
        i1 = Issue.objects.create(num=1, client=r)
        i2 = Issue.objects.create(num=2, client=g)
        i2.cc.add(r)
        i3 = Issue.objects.create(num=3, client=r)
        i3.cc.add(r, g)
        self.assertEqual(list(Issue.objects.filter(client=r.id)), [i1, i3])
        self.assertEqual(list(Issue.objects.filter(cc__id__exact=g.id)), [i3])
        self.assertEqual(list(Issue.objects.filter(cc__id__exact=r.id)), [i2, i3])
        either = Issue.objects.filter(Q(cc__id__exact=r.id) | Q(client=r.id))
        self.assertEqual(list(either.distinct()), [i1, i2, i3])
        self.assertEqual(either.count(), 4)  # i3 joins twice: as cc and as client
        self.assertEqual(either.distinct().count(), 3)
        self.assertEqual(list(r.test_issue_client.all()), [i1, i3])
        self.assertEqual(list(r.test_issue_cc.all()), [i2, i3])
