"""SQLite introspection: PRAGMA table_info/index_list/foreign_key_list, plus the table's own
CREATE TABLE text for the constraints SQLite keeps no catalog of (named and inline UNIQUE and
CHECK constraints), named as Django names them."""

from __future__ import annotations

import re
from typing import Any

from tether.db.backends.base.introspection import (
    BaseDatabaseIntrospection,
    FieldInfo,
    column_info,
    constraint_entry,
)

# SQLite has no JSON type: a JSONField is a text column with this CHECK (Django's marker).
_JSON_CHECK = re.compile(r'JSON_VALID\("((?:[^"]|"")*)"\)', re.I)

_QUOTED = re.compile(r'"((?:[^"]|"")*)"|`([^`]*)`|\[([^\]]*)\]|(\w+)')


def _unquote(token: str) -> str:
    match = _QUOTED.fullmatch(token.strip())
    if match is None:
        return token.strip()
    if match.group(1) is not None:
        return match.group(1).replace('""', '"')
    return next(group for group in match.groups()[1:] if group is not None)


def split_top_level(body: str) -> list[str]:
    """`body` split at the commas outside parentheses and quotes."""
    parts, depth, quote, start = [], 0, "", 0
    for position, char in enumerate(body):
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"`[":
            quote = "]" if char == "[" else char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(body[start:position].strip())
            start = position + 1
    parts.append(body[start:].strip())
    return [part for part in parts if part]


def table_body(create_sql: str) -> str:
    """The text between the outer parentheses of a CREATE TABLE statement."""
    return create_sql[create_sql.index("(") + 1 : create_sql.rindex(")")]


def _columns_in(text: str) -> list[str]:
    inner = text[text.index("(") + 1 : text.rindex(")")]
    return [_unquote(part) for part in split_top_level(inner)]


_CONSTRAINT = re.compile(
    r'^CONSTRAINT\s+("(?:[^"]|"")*"|`[^`]*`|\[[^\]]*\]|\w+)\s+(.*)$', re.I | re.S
)
_FIRST_TOKEN = re.compile(r'^("(?:[^"]|"")*"|`[^`]*`|\[[^\]]*\]|\w+)\s*(.*)$', re.S)


def _tokens(text: str) -> list[str]:
    """Words, quoted names/strings and balanced (...) groups of a column definition."""
    tokens, position = [], 0
    while position < len(text):
        char = text[position]
        if char.isspace():
            position += 1
            continue
        end = position + 1
        if char in "'\"`[":
            close = "]" if char == "[" else char
            while end < len(text) and text[end] != close:
                end += 1
            end += 1
        elif char == "(":
            depth = 1
            while end < len(text) and depth:
                depth += {"(": 1, ")": -1}.get(text[end], 0)
                end += 1
        else:
            while end < len(text) and not text[end].isspace() and text[end] not in "(\"'":
                end += 1
        tokens.append(text[position:end])
        position = end
    return tokens


def _mentioned(text: str, columns: list[str]) -> list[str]:
    """The table's columns a CHECK expression names, in table order."""
    names = {_unquote(token) for token in re.findall(r'"(?:[^"]|"")*"|`[^`]*`|\b\w+\b', text)}
    return [column for column in columns if column in names]


class DatabaseIntrospection(BaseDatabaseIntrospection):
    table_names_sql = (
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
        "'sqlite\\_%' ESCAPE '\\'"
    )
    table_list_sql = (
        "SELECT name, CASE type WHEN 'view' THEN 'v' ELSE 't' END, NULL FROM sqlite_master "
        "WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
    )

    def _pragma(self, pragma: str, table_name: str) -> list[tuple[Any, ...]]:
        quoted = self.connection.ops.quote_name(table_name)
        return self._rows(f"PRAGMA {pragma}({quoted})")

    data_types_reverse = {
        "bool": "BooleanField",
        "boolean": "BooleanField",
        "smallint": "SmallIntegerField",
        "smallint unsigned": "PositiveSmallIntegerField",
        "smallinteger": "SmallIntegerField",
        "int": "IntegerField",
        "integer": "IntegerField",
        "bigint": "BigIntegerField",
        "integer unsigned": "PositiveIntegerField",
        "bigint unsigned": "PositiveBigIntegerField",
        "decimal": "DecimalField",
        "real": "FloatField",
        "text": "TextField",
        "char": "CharField",
        "varchar": "CharField",
        "blob": "BinaryField",
        "date": "DateField",
        "datetime": "DateTimeField",
        "time": "TimeField",
        "json": "JSONField",  # a text column under a JSON_VALID check (get_table_description)
    }

    def get_table_description(self, cursor: Any, table_name: str) -> list[FieldInfo]:
        rows = self._pragma("table_info", table_name)
        pk_columns = [row[1] for row in rows if row[5]]
        # An INTEGER PRIMARY KEY is the rowid: numbered by SQLite (AUTOINCREMENT or not).
        rowid_pk = (
            pk_columns[0]
            if len(pk_columns) == 1
            and any(r[1] == pk_columns[0] and r[2].lower() == "integer" for r in rows)
            else None
        )
        json_columns = {m.group(1) for m in _JSON_CHECK.finditer(self._table_sql(table_name) or "")}
        return [
            column_info(
                name,
                "json" if name in json_columns else type_.lower(),
                not notnull,
                default,
                None,
                None,
                name == rowid_pk,
            )
            for _, name, type_, notnull, default, _pk in rows
        ]

    def get_field_type(self, data_type: Any, description: FieldInfo) -> str:
        name = str(data_type).lower().split("(")[0].strip()
        field_type = self.data_types_reverse.get(name, "TextField")
        if description.is_autofield and field_type in (
            "IntegerField",
            "BigIntegerField",
            "SmallIntegerField",
        ):
            return "AutoField"  # SQLite's rowid key, whatever Auto field made it
        return field_type

    def _pk_columns(self, table_name: str) -> list[str]:
        rows = self._pragma("table_info", table_name)
        return [row[1] for row in sorted(rows, key=lambda row: row[5]) if row[5]]

    def _table_sql(self, table_name: str) -> str | None:
        rows = self._rows(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s", (table_name,)
        )
        return rows[0][0] if rows else None

    def get_constraints(self, cursor: Any, table_name: str) -> dict[str, dict[str, Any]]:
        constraints: dict[str, dict[str, Any]] = {}
        sql = self._table_sql(table_name)
        if sql:
            constraints.update(self._parse_table_constraints(sql))
        for _, name, unique, *_rest in self._pragma("index_list", table_name):
            index_sql = self._rows(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = %s", (name,)
            )
            if not index_sql or not index_sql[0][0]:
                continue  # an automatic index of a constraint read from the table above
            columns, orders = [], []
            for row in self._rows(f"PRAGMA index_xinfo({self.connection.ops.quote_name(name)})"):
                if row[5]:  # key columns only
                    columns.append(row[2])
                    orders.append("DESC" if row[3] else "ASC")
            constraints[name] = constraint_entry(
                columns, unique=bool(unique), index=True, type_="idx", orders=orders
            )
        pk = self._pk_columns(table_name)
        if pk:
            constraints["__primary__"] = constraint_entry(pk, primary_key=True, unique=True)
        for number, (_, _, to_table, from_col, to_col, *_more) in enumerate(
            self._fk_rows(table_name)
        ):
            constraints[f"fk_{number}"] = constraint_entry(
                [from_col], foreign_key=(to_table, to_col or self._target_pk(to_table))
            )
        return constraints

    def _fk_rows(self, table_name: str) -> list[tuple[Any, ...]]:
        return self._pragma("foreign_key_list", table_name)

    def _target_pk(self, table_name: str) -> str:
        pk = self._pk_columns(table_name)
        return pk[0] if pk else "rowid"

    def _parse_table_constraints(self, sql: str) -> dict[str, dict[str, Any]]:
        """UNIQUE and CHECK constraints of a CREATE TABLE, named or not (Django names the
        unnamed ones __unnamed_constraint_N__)."""
        found: dict[str, dict[str, Any]] = {}
        unnamed = 0
        items = split_top_level(table_body(sql))
        columns = [
            _unquote(match.group(1))
            for item in items
            if (match := _FIRST_TOKEN.match(item))
            and not _CONSTRAINT.match(item)
            and item.split(None, 1)[0].upper() not in ("UNIQUE", "CHECK", "PRIMARY", "FOREIGN")
        ]

        def add(name: str | None, entry: dict[str, Any]) -> None:
            nonlocal unnamed
            if name is None:
                unnamed += 1
                name = f"__unnamed_constraint_{unnamed}__"
            found[name] = entry

        for item in items:
            named = _CONSTRAINT.match(item)
            head = item.split(None, 1)[0].upper() if item.split() else ""
            if named or head in ("UNIQUE", "CHECK", "PRIMARY", "FOREIGN"):
                name = _unquote(named.group(1)) if named else None
                rest = named.group(2) if named else item
                kind = rest.split(None, 1)[0].upper()
                if kind == "UNIQUE":
                    add(name, constraint_entry(_columns_in(rest), unique=True))
                elif kind == "CHECK":
                    add(name, constraint_entry(_mentioned(rest, columns), check=True))
                continue
            column_match = _FIRST_TOKEN.match(item)
            if column_match is None:
                continue
            column = _unquote(column_match.group(1))
            for clause in self._column_clauses(column_match.group(2)):
                kind, name = clause
                if kind == "UNIQUE":
                    add(name, constraint_entry([column], unique=True))
                elif kind == "CHECK":
                    add(name, constraint_entry([column], check=True))
        return found

    @staticmethod
    def _column_clauses(definition: str) -> list[tuple[str, str | None]]:
        """(UNIQUE|CHECK, constraint name or None) of a column definition's inline clauses."""
        clauses = []
        tokens = _tokens(definition)
        name = None
        for position, token in enumerate(tokens):
            upper = token.upper()
            if upper == "CONSTRAINT" and position + 1 < len(tokens):
                name = _unquote(tokens[position + 1])
            elif upper in ("UNIQUE", "CHECK"):
                clauses.append((upper, name))
                name = None
            elif upper in ("PRIMARY", "REFERENCES", "NOT", "NULL", "DEFAULT"):
                name = None
        return clauses
