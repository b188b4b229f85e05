"""Join types, chunk sizes and other constants of the query layer."""

INNER = "INNER JOIN"
LOUTER = "LEFT OUTER JOIN"
LOOKUP_SEP = "__"
# get() fetches at most this many rows to report "more than 20" without reading them all.
MAX_GET_RESULTS = 21
# repr() of a QuerySet shows this many items, then "...(remaining elements truncated)...".
REPR_OUTPUT_SIZE = 20
# Default chunk size for iterator() and deletion batches.
GET_ITERATOR_CHUNK_SIZE = 100
# SQLCompiler.execute_sql()'s result types (Django's names): the list of rows, or the first.
MULTI = "multi"
SINGLE = "single"
ORDER_DIR = {"ASC": ("ASC", "DESC"), "DESC": ("DESC", "ASC")}
