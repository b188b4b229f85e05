#!/bin/bash
# Times a migration of a 1,000,000-row table (README, "Migrating large tables"):
#   tools/time_migrations.sh sqlite sqlite:////tmp/timing.sqlite3       (AlterField: a rebuild)
#   tools/time_migrations.sh postgresql postgresql://postgres@127.0.0.1/DB  (AddField, default;
#   DB: an empty database)
# On PostgreSQL it prints pg_relation_filenode before and after: the same number, no rewrite.
set -e
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=${PY:-$ROOT/.venv/bin/python}
backend=$1; url=$2
d=${TMPDIR:-/tmp}/tether-migration-timing/$backend; rm -rf $d; mkdir -p $d/shop/migrations; cd $d
touch shop/__init__.py shop/migrations/__init__.py
printf "[tool.tether]\nmodels = ['shop.models']\ndatabases = {default = '%s'}\n" "$url" > pyproject.toml
cat > shop/models.py <<'PY'
from tether import models
class Item(models.Model):
    name = models.CharField(max_length=50)
    qty = models.IntegerField()
PY
$PY -m tether makemigrations shop --noinput >/dev/null
$PY -m tether migrate >/dev/null
if [ $backend = sqlite ]; then
  sqlite3 "${url#sqlite://}" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<1000000) INSERT INTO shop_item (name, qty) SELECT 'item ' || i, i FROM n;"
  sqlite3 "${url#sqlite://}" "SELECT count(*) FROM shop_item"
  sed -i 's/qty = models.IntegerField()/qty = models.BigIntegerField(null=True)/' shop/models.py
else
  psql -q "$url" -c "INSERT INTO shop_item (name, qty) SELECT 'item ' || i, i FROM generate_series(1, 1000000) i"
  psql -At "$url" -c "SELECT count(*), pg_relation_filenode('shop_item') FROM shop_item"
  echo '    flag = models.IntegerField(default=0)' >> shop/models.py
fi
$PY -m tether makemigrations shop --noinput
$PY -m tether sqlmigrate shop 0002
/usr/bin/time -f "migrate: %e s wall, %M KB max RSS" $PY -m tether migrate
if [ $backend = sqlite ]; then
  sqlite3 "${url#sqlite://}" "SELECT count(*), sum(qty) FROM shop_item"
else
  psql -At "$url" -c "SELECT count(*), sum(flag), pg_relation_filenode('shop_item') FROM shop_item"
fi
