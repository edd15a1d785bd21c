# Sourced by test.sh and bench/run: starts a throw-away PostgreSQL cluster owned by the postgres user, in a temp
# dir, on a free loopback port, and sets TEMP_PG_CONNECTION. Call stop_temp_postgres (e.g. from an EXIT trap).
pg_bin=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n1)")
pg_dir=$(mktemp -d /tmp/waid-pg.XXXXXX)
chown postgres "$pg_dir" 2>/dev/null || true
pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
run_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
run_pg "$pg_bin/initdb -D $pg_dir/data -U postgres -A trust >/dev/null"
run_pg "$pg_bin/pg_ctl -D $pg_dir/data -o '-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off' -l $pg_dir/log -w start >/dev/null"
stop_temp_postgres() { run_pg "$pg_bin/pg_ctl -D $pg_dir/data -m immediate stop >/dev/null" || true; rm -rf "$pg_dir"; }
TEMP_PG_CONNECTION="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres;Pooling=true"
