"""SQLite through the standard library's sqlite3: the embedded default backend."""
