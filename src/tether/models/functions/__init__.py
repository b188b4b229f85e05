"""`tether.models.functions`: database functions, named as `django.db.models.functions`."""

from tether.models.functions.window import Rank, RowNumber

__all__ = ["Rank", "RowNumber"]
