"""The backend-neutral query representation (Query, joins, WHERE tree) and its compilers."""
