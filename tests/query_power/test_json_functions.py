"""JSONObject and JSONArray: the same values as Django 5.2 (differential; Django on the same
backend), on every backend."""

from __future__ import annotations

from typing import Any

from .base import DifferentialTestCase, rows_of


def json_scenarios(m: dict[str, Any], r: dict[str, Any]) -> dict[str, Any]:
    Author, F, Value = m["Author"], m["F"], m["Value"]
    JSONObject, JSONArray, Lower = m["JSONObject"], m["JSONArray"], m["Lower"]
    authors = Author.objects.order_by("pk")

    def values(**annotations: Any) -> Any:
        return rows_of(authors.annotate(**annotations).values_list(*annotations))

    return {
        "object": lambda: values(
            o=JSONObject(name="name", age=F("age"), rating="rating", none=Value(None))
        ),
        "object_expressions": lambda: values(
            o=JSONObject(lower=Lower("name"), double=F("age") * 2, text=Value('it\'s "x"'))
        ),
        "object_nested": lambda: values(
            o=JSONObject(n=JSONObject(name="name"), a=JSONArray("age", Value("x")))
        ),
        "object_empty": lambda: values(o=JSONObject()),
        "array": lambda: values(a=JSONArray("name", "age", "rating", Value(None))),
        "array_nested": lambda: values(
            a=JSONArray(JSONArray("age"), JSONObject(name="name"), JSONArray())
        ),
        "array_empty": lambda: values(a=JSONArray()),
        "order_by_key": lambda: rows_of(
            Author.objects.annotate(o=JSONObject(n="name", age="age"))
            .order_by("-o__age")
            .values_list("name", flat=True)
        ),
        "order_by_nested_key": lambda: rows_of(
            Author.objects.annotate(o=JSONObject(inner=JSONObject(n="name")))
            .order_by("-o__inner__n")
            .values_list("name", flat=True)
        ),
        "order_by_array_index": lambda: rows_of(
            Author.objects.annotate(a=JSONArray("age", "name"))
            .order_by("a__0")
            .values_list("name", flat=True)
        ),
        "filter_key": lambda: rows_of(
            authors.annotate(o=JSONObject(n="name", age="age"))
            .filter(o__n="Bob")
            .values_list("name", flat=True)
        ),
        "output_field": lambda: [
            type(JSONObject(a=Value(1)).output_field).__name__,
            type(JSONArray(Value(1)).output_field).__name__,
        ],
    }


class JSONFunctionTests(DifferentialTestCase):
    def test_json_functions(self) -> None:
        # Django casts each element on PostgreSQL, and Value(None) has no type to cast to.
        self.compare(json_scenarios, {"postgresql": {"array": "Value(None) in JSONArray"}})

    def test_cached_statement_params(self) -> None:
        # One query shape with other keys and values: the cached statement binds the new ones.
        from tether.models import F, Value
        from tether.models.functions import JSONArray, JSONObject

        from .models import Author

        for word in ("one", "two"):
            row = (
                Author.objects.filter(name="Ann")
                .annotate(o=JSONObject(w=Value(word), n=F("age")), a=JSONArray(Value(word)))
                .order_by("o__w")
                .values_list("o", "a")
                .get()
            )
            self.assertEqual(row, ({"w": word, "n": 34}, [word]))
