"""The UPDATE and DELETE statements of a query (QuerySet.update() and the collector's
deletes) as SQL text, a mixin of SQLCompiler: it relies on the compiler's compile(),
quote_name(), the WHERE and ORDER BY renderers and its leaf bookkeeping (_leaf_ids, _used).
"""

from __future__ import annotations

from typing import Any


class WriteStatementsMixin:
    query: Any
    connection: Any
    _leaf_ids: Any
    _used: Any
    compile: Any
    quote_name: Any
    _where_sql: Any
    _order_sql: Any

    def _delete_sql(self) -> str:
        query = self.query
        table = self.quote_name(query.model._meta.db_table)
        if len([a for a in query.alias_map if query.alias_refcount.get(a)]) > 1:
            return f"DELETE FROM {table} WHERE {self._pk_in_subquery()}"
        where = self._where_sql()
        return f"DELETE FROM {table}{where}"

    def _pk_in_subquery(self) -> str:
        query = self.query
        pk = query.model._meta.pk
        clone = query.clone()
        clone.values_select = (pk.name,)
        clone.clear_ordering(force=True)
        inner_compiler = clone.get_compiler(connection=self.connection)
        inner_compiler._leaf_ids = self._leaf_ids
        inner_compiler._used = self._used
        inner = inner_compiler._render_select().sql
        column = self.quote_name(pk.column)
        # MySQL refuses a subquery on the table being changed; a derived table avoids that.
        return f"{column} IN (SELECT * FROM ({inner}) subquery)"

    def _update_sql(self) -> str:
        query = self.query
        table = self.quote_name(query.model._meta.db_table)
        assignments = ", ".join(
            f"{self.quote_name(field.column)} = {self.compile(node)[0]}"
            for field, node in zip(query.update_fields, query.update_nodes, strict=True)
        )
        if len([a for a in query.alias_map if query.alias_refcount.get(a)]) > 1:
            where = f" WHERE {self._pk_in_subquery()}"
        else:
            where = self._where_sql()
        # Only an ordering the backend can honour reaches here (QuerySet.update()).
        order = self._order_sql() if query.order_by else ""
        return f"UPDATE {table} SET {assignments}{where}{order}"
