"""MariaDB and MySQL through PyMySQL (sync) and aiomysql (async, built on PyMySQL)."""
