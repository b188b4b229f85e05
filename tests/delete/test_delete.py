"""Deletion: on_delete handlers, cascades, counts and query counts pinned against Django 5.2.

The query counts were measured by running the same scenario on Django 5.2 (in-process, SQLite,
inside a transaction as its TestCase does) with the same models.
"""

from __future__ import annotations

from tether.models import ProtectedError, RestrictedError
from tether.test import TestCase

from .models import (
    A,
    Album,
    Article,
    Artist,
    Avatar,
    M,
    Person,
    Publication,
    R,
    RChild,
    S,
    SetDefaults,
    SetDefaultTarget,
    Song,
    T,
    U,
    User,
)


def chain() -> R:
    r = R.objects.create()
    t = T.objects.create(s=S.objects.create(r=r))
    U.objects.create(t=t)
    return r


class CascadeTests(TestCase):
    def test_chain_instance(self) -> None:
        r = chain()
        with self.assertNumQueries(13):
            result = r.delete()
        self.assertEqual(result, (4, {"delete.U": 1, "delete.T": 1, "delete.S": 1, "delete.R": 1}))
        self.assertIsNone(r.pk)
        self.assertFalse(
            U.objects.exists() or T.objects.exists() or S.objects.exists() or R.objects.exists()
        )

    def test_chain_queryset(self) -> None:
        chain()
        with self.assertNumQueries(14):
            result = R.objects.all().delete()
        self.assertEqual(result, (4, {"delete.U": 1, "delete.T": 1, "delete.S": 1, "delete.R": 1}))

    def test_fast_delete_in_chunks(self) -> None:
        r = R.objects.create()
        S.objects.bulk_create([S(r=r) for _ in range(250)])
        with self.assertNumQueries(13):  # the 250 S rows go by pk in 3 batches of 100
            self.assertEqual(r.delete(), (251, {"delete.S": 250, "delete.R": 1}))

    def test_many_parents_queryset(self) -> None:
        for _ in range(250):
            S.objects.create(r=R.objects.create())
        with self.assertNumQueries(16):
            self.assertEqual(R.objects.all().delete(), (500, {"delete.S": 250, "delete.R": 250}))

    def test_handlers(self) -> None:
        r = R.objects.create()
        a = A.objects.create(name="a", setnull=r, setvalue=r, cascade=r)
        with self.assertNumQueries(9):
            self.assertEqual(r.delete(), (2, {"delete.A": 1, "delete.R": 1}))
        self.assertFalse(A.objects.filter(pk=a.pk).exists())

    def test_set_null_and_set_value(self) -> None:
        r = R.objects.create()
        a = A.objects.create(name="a", setnull=r, setvalue=r)
        self.assertEqual(r.delete(), (1, {"delete.R": 1}))
        a.refresh_from_db()
        self.assertIsNone(a.setnull_id)
        self.assertIsNone(a.setvalue_id)

    def test_set_null_many(self) -> None:
        r = R.objects.create()
        A.objects.bulk_create([A(name=str(i), setnull=r) for i in range(150)])
        with self.assertNumQueries(9):
            self.assertEqual(r.delete(), (1, {"delete.R": 1}))
        self.assertEqual(A.objects.filter(setnull__isnull=True).count(), 150)

    def test_set_null_many_parents(self) -> None:
        rs = [R.objects.create() for _ in range(150)]
        A.objects.bulk_create([A(name=str(i), setnull=r) for i, r in enumerate(rs)])
        with self.assertNumQueries(11):
            self.assertEqual(R.objects.all().delete(), (150, {"delete.R": 150}))

    def test_set_default_and_set_callable(self) -> None:
        target = SetDefaultTarget.objects.create(name="t")
        fallback = SetDefaultTarget.objects.get(
            pk=SetDefaults._meta.get_field("target").get_default()
        )
        row = SetDefaults.objects.create(target=target, by_callable=target)
        target.delete()
        row.refresh_from_db()
        self.assertEqual(row.target_id, fallback.pk)
        self.assertEqual(row.by_callable_id, fallback.pk)

    def test_set_callables_not_called_without_rows(self) -> None:
        # Deleting a target nothing points at calls neither default (each would create the
        # fallback row), as Django 5.2's collector.
        SetDefaultTarget.objects.create(name="lonely").delete()
        self.assertEqual(list(SetDefaultTarget.objects.values_list("name", flat=True)), [])

    def test_do_nothing(self) -> None:
        r = R.objects.create()
        a = A.objects.create(name="a", donothing=r)
        r.delete()
        a.refresh_from_db()
        self.assertEqual(a.donothing_id is not None, True)

    def test_cascade_through_child_model(self) -> None:
        child = RChild.objects.create(name="c")
        r = R.objects.get(pk=child.pk)
        self.assertEqual(r.delete(), (2, {"delete.RChild": 1, "delete.R": 1}))


class ProtectRestrictTests(TestCase):
    def test_protect(self) -> None:
        r = R.objects.create()
        a = A.objects.create(name="p", protect=r)
        msg = (
            "Cannot delete some instances of model 'R' because they are referenced through "
            "protected foreign keys: 'A.protect'."
        )
        with self.assertNumQueries(4), self.assertRaisesMessage(ProtectedError, msg) as ctx:
            r.delete()
        self.assertEqual(ctx.exception.protected_objects, {a})
        self.assertTrue(R.objects.filter(pk=r.pk).exists())

    def test_protect_queryset(self) -> None:
        r = R.objects.create()
        A.objects.create(name="p", protect=r)
        with self.assertRaises(ProtectedError):
            R.objects.all().delete()

    def test_restrict(self) -> None:
        r = R.objects.create()
        a = A.objects.create(name="p", restrict=r)
        msg = (
            "Cannot delete some instances of model 'R' because they are referenced through "
            "restricted foreign keys: 'A.restrict'."
        )
        with self.assertNumQueries(5), self.assertRaisesMessage(RestrictedError, msg) as ctx:
            r.delete()
        self.assertEqual(ctx.exception.restricted_objects, {a})

    def test_restrict_reached_by_cascade_of_same_delete(self) -> None:
        r = R.objects.create()
        A.objects.create(name="p", restrict=r, cascade=r)
        with self.assertNumQueries(10):
            self.assertEqual(r.delete(), (2, {"delete.A": 1, "delete.R": 1}))

    def test_restrict_through_two_paths(self) -> None:
        artist = Artist.objects.create(name="a")
        album = Album.objects.create(artist=artist)
        Song.objects.create(album=album, artist=artist)
        with self.assertNumQueries(1), self.assertRaises(RestrictedError):
            album.delete()
        with self.assertNumQueries(6):
            result = artist.delete()
        self.assertEqual(result, (3, {"delete.Song": 1, "delete.Album": 1, "delete.Artist": 1}))

    def test_restrict_other_path_not_deleted(self) -> None:
        artist, other = Artist.objects.create(name="a"), Artist.objects.create(name="b")
        Song.objects.create(album=Album.objects.create(artist=artist), artist=other)
        msg = (
            "Cannot delete some instances of model 'Artist' because they are referenced through "
            "restricted foreign keys: 'Song.album'."
        )
        with self.assertNumQueries(3), self.assertRaisesMessage(RestrictedError, msg):
            artist.delete()


class CountsTests(TestCase):
    def test_single_object_fast_path(self) -> None:
        p = Person.objects.create(name="x")
        with self.assertNumQueries(1):
            self.assertEqual(p.delete(), (1, {"delete.Person": 1}))
        self.assertIsNone(p.pk)

    def test_queryset_fast_path(self) -> None:
        Person.objects.create(name="x")
        Person.objects.create(name="y")
        with self.assertNumQueries(1):
            self.assertEqual(Person.objects.all().delete(), (2, {"delete.Person": 2}))

    def test_fast_related(self) -> None:
        avatar = Avatar.objects.create()
        with self.assertNumQueries(2):
            self.assertEqual(avatar.delete(), (1, {"delete.Avatar": 1}))
        avatar = Avatar.objects.create()
        User.objects.create(avatar=avatar)
        with self.assertNumQueries(2):
            self.assertEqual(avatar.delete(), (2, {"delete.User": 1, "delete.Avatar": 1}))
        User.objects.create(avatar=Avatar.objects.create())
        with self.assertNumQueries(3):
            self.assertEqual(
                Avatar.objects.all().delete(), (2, {"delete.User": 1, "delete.Avatar": 1})
            )

    def test_m2m_through_rows_counted(self) -> None:
        pub = Publication.objects.create(title="p")
        for headline in ("a", "b"):
            Article.objects.create(headline=headline).publications.add(pub)
        with self.assertNumQueries(2):
            result = pub.delete()
        self.assertEqual(result, (3, {"delete.Article_publications": 2, "delete.Publication": 1}))

    def test_m2m_queryset(self) -> None:
        pub = Publication.objects.create(title="p")
        Article.objects.create(headline="a").publications.add(pub)
        with self.assertNumQueries(3):
            result = Publication.objects.all().delete()
        self.assertEqual(result, (2, {"delete.Article_publications": 1, "delete.Publication": 1}))

    def test_m2m_from_source_side(self) -> None:
        r = R.objects.create()
        M.objects.create().m2m.add(r)
        self.assertEqual(M.objects.all().delete(), (2, {"delete.M_m2m": 1, "delete.M": 1}))
        self.assertTrue(R.objects.filter(pk=r.pk).exists())

    def test_nothing_to_delete(self) -> None:
        self.assertEqual(Person.objects.all().delete(), (0, {}))
        self.assertEqual(R.objects.filter(name="none").delete(), (0, {}))


class QuerySetDeleteErrorsTests(TestCase):
    def test_errors(self) -> None:
        with self.assertRaisesMessage(TypeError, "Cannot use 'limit' or 'offset' with delete()."):
            Person.objects.all()[:1].delete()
        with self.assertRaisesMessage(
            TypeError, "Cannot call delete() after .values() or .values_list()"
        ):
            Person.objects.values("name").delete()
        with self.assertRaisesMessage(
            ValueError, "Person object can't be deleted because its id attribute is set to None."
        ):
            Person(name="x").delete()
        self.assertFalse(hasattr(Person.objects, "delete"))


class AsyncDeleteTests(TestCase):
    async def test_adelete(self) -> None:
        r = await R.objects.acreate()
        await S.objects.acreate(r=r)
        self.assertEqual(await r.adelete(), (2, {"delete.S": 1, "delete.R": 1}))
        await R.objects.acreate()
        self.assertEqual(await R.objects.all().adelete(), (1, {"delete.R": 1}))
