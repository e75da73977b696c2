#!/usr/bin/env bash
# Runs a command with a private MariaDB: its own datadir and socket under
# build/mariadb, no TCP port, never the system service. The server is created
# if needed, started, and stopped when the command ends; the command's exit
# status is returned. GDMS_TEST_DB_SOCKET tells the command where it listens.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/build/mariadb"
sock="$dir/mysqld.sock"
pidfile="$dir/mysqld.pid"
mkdir -p "$dir"

if [ ! -d "$dir/data/mysql" ]; then
    mariadb-install-db --no-defaults --datadir="$dir/data" --user="$(id -un)" \
        --auth-root-authentication-method=normal --skip-test-db >"$dir/install.log" 2>&1 \
        || { cat "$dir/install.log"; exit 1; }
fi

# Several runs may share one server (developers run tests side by side): each
# holds a shared lock while it runs and uses its own database; the run that
# started the server stops it only when no other run holds the lock.
exec 9>"$dir/users.lock"
flock -s 9

started=0
if [ ! -S "$sock" ] || ! mariadb-admin --no-defaults --socket="$sock" -uroot ping >/dev/null 2>&1; then
    rm -f "$sock"
    mariadbd --no-defaults --datadir="$dir/data" --socket="$sock" --pid-file="$pidfile" \
        --skip-networking --user="$(id -un)" --innodb-buffer-pool-size=256M \
        --innodb-flush-log-at-trx-commit=2 --log-error="$dir/error.log" 2>>"$dir/error.log" 9>&- &
    started=1
    for _ in $(seq 1 100); do
        mariadb-admin --no-defaults --socket="$sock" -uroot ping >/dev/null 2>&1 && break
        sleep 0.1
    done
    mariadb-admin --no-defaults --socket="$sock" -uroot ping >/dev/null || { cat "$dir/error.log"; exit 1; }
fi

export GDMS_TEST_DB_SOCKET="$sock"
export GDMS_TEST_DB_NAME="gdms_test_$$"

stop() {
    mariadb --no-defaults --socket="$sock" -uroot -e "DROP DATABASE IF EXISTS \`$GDMS_TEST_DB_NAME\`" >/dev/null 2>&1 || true
    if [ "$started" = 1 ] && flock -n -x 9; then
        mariadb-admin --no-defaults --socket="$sock" -uroot shutdown >/dev/null 2>&1 || true
        wait 2>/dev/null || true
    fi
}
trap stop EXIT
status=0
# The lock stays with this shell only: a server the command leaves behind must not hold it.
"$@" 9>&- || status=$?
exit "$status"
