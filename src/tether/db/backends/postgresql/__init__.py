"""PostgreSQL through psycopg 3 (sync Connection and AsyncConnection, optional psycopg_pool)."""
