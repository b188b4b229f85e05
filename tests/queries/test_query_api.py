"""Pieces of the Query layer that Django exposes under the same names: add_select_related()
(a clone's additions stay its own) and JoinPromoter's repr."""

from tether.models.sql.query import JoinPromoter, Query
from tether.models.sql.where import AND, OR
from tether.test import SimpleTestCase

from .models import Shift


class AddSelectRelatedTests(SimpleTestCase):
    def test_names_become_a_tree(self):
        query = Query(Shift)
        query.add_select_related(["day", "day__x", "other"])
        self.assertEqual(query.select_related, {"day": {"x": {}}, "other": {}})

    def test_clone_keeps_its_additions(self):
        query = Query(Shift)
        query.add_select_related(["day"])
        clone = query.clone()
        clone.add_select_related(["day__x", "other"])
        self.assertEqual(query.select_related, {"day": {}})
        self.assertEqual(clone.select_related, {"day": {"x": {}}, "other": {}})


class JoinPromoterReprTests(SimpleTestCase):
    def test_repr(self):
        self.assertEqual(
            repr(JoinPromoter(AND, 3, True)),
            "JoinPromoter(connector='AND', num_children=3, negated=True)",
        )
        self.assertEqual(
            repr(JoinPromoter(OR, 1, False)),
            "JoinPromoter(connector='OR', num_children=1, negated=False)",
        )


class ReprTests(SimpleTestCase):
    def test_connection_and_compiler(self):
        from tether.db import DEFAULT_DB_ALIAS, connection, connections
        from tether.models.sql import Query as PackageQuery

        self.assertIs(PackageQuery, Query)
        wrapper = connections[DEFAULT_DB_ALIAS]
        expected = f"<DatabaseWrapper vendor={wrapper.vendor!r} alias='default'>"
        self.assertEqual(repr(wrapper), expected)
        self.assertEqual(repr(connection), expected)
        compiler = Query(Shift).get_compiler(DEFAULT_DB_ALIAS, connection)
        self.assertEqual(
            repr(compiler), f"<SQLCompiler model=Shift connection={expected} using='default'>"
        )
