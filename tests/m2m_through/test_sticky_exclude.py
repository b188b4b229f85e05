"""exclude() on a related manager's queryset asks about the link rows the manager joined (its
"sticky" filter), not about every link: `ann.group_set.exclude(membership__invite_reason=x)`
keeps a group where ann has another membership without that reason. The expected rows are
Django 5.2's for the same data (run by hand against Django with the same models)."""

from tether.test import TestCase

from .models import Group, Membership, Person


class StickyExcludeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.ann = Person.objects.create(name="Ann")
        cls.bob = Person.objects.create(name="Bob")
        cls.oracle, cls.google, cls.microsoft, cls.intel = (
            Group.objects.create(name=name) for name in ("Oracle", "Google", "Microsoft", "Intel")
        )
        for group, person, reason in [
            (cls.oracle, cls.ann, "Engineer"),
            (cls.oracle, cls.ann, "Developer"),
            (cls.google, cls.ann, "Engineer"),
            (cls.google, cls.ann, "Manager"),
            (cls.microsoft, cls.ann, "Manager"),
            (cls.intel, cls.ann, "Manager"),
            (cls.microsoft, cls.bob, "Developer"),
            (cls.intel, cls.bob, "Manager"),
        ]:
            Membership.objects.create(group=group, person=person, invite_reason=reason)

    def names(self, qs):
        return [g.name for g in qs.order_by("name")]

    def test_exclude_on_the_managers_link_rows(self):
        tech = ("Engineer", "Developer")
        self.assertEqual(
            self.names(self.ann.group_set.exclude(membership__invite_reason__in=tech).distinct()),
            ["Google", "Intel", "Microsoft"],
        )
        self.assertEqual(
            self.names(self.ann.group_set.exclude(membership__invite_reason="Manager")),
            ["Google", "Oracle", "Oracle"],
        )
        # Only the call right after the manager is sticky: after another filter() the exclude
        # asks about every link again (Oracle has an Engineer link), as Django's.
        self.assertEqual(
            self.names(
                self.ann.group_set.filter(name__startswith="O").exclude(
                    membership__invite_reason="Engineer"
                )
            ),
            [],
        )

    def test_exclude_through_the_many_to_many_itself(self):
        # The link row the manager joined is Ann's: it never names Bob.
        self.assertEqual(
            self.names(self.ann.group_set.exclude(members=self.bob)),
            ["Google", "Google", "Intel", "Microsoft", "Oracle", "Oracle"],
        )

    def test_plain_queryset_excludes_over_every_link(self):
        self.assertEqual(
            self.names(Group.objects.exclude(membership__invite_reason="Manager")), ["Oracle"]
        )


class ExcludeWithOuterRefTests(TestCase):
    """exclude() across a many-to-many inside a subquery: its OuterRef still names the query
    outside the subquery (the exclude's own subquery adds a level), as Django's."""

    def test_outer_ref_value(self):
        from tether.models import Exists, OuterRef

        ann, bob = Person.objects.create(name="Ann"), Person.objects.create(name="Bob")
        for name in ("A", "B"):
            Membership.objects.create(group=Group.objects.create(name=name), person=ann)
        Membership.objects.create(group=Group.objects.get(name="A"), person=bob)
        # Someone is missing from some group: Bob (not in B); Ann is in every group.
        missing = Group.objects.exclude(members=OuterRef("pk"))
        self.assertSequenceEqual(Person.objects.filter(Exists(missing)), [bob])
        self.assertSequenceEqual(Person.objects.filter(~Exists(missing)), [ann])
