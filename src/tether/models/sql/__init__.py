"""The backend-neutral query representation (Query, joins, WHERE tree) and its compilers."""

from tether.models.sql.query import Query
from tether.models.sql.where import AND, OR, XOR

__all__ = ["AND", "OR", "XOR", "Query"]
