#!/usr/bin/env bash
# Runs PHP with the freshly built gdms extension and every other extension of
# the system's PHP CLI, but never a gdms.so installed system-wide (make install
# puts one in conf.d; a test must not pick up that older build).
# Usage: tools/php-with-ext.sh EXTENSION_SO php-args...
set -euo pipefail
ext="$1"; shift
root="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$root/build"
# Private to this run: runs side by side must not share (or delete) each other's.
scan="$(mktemp -d "$root/build/php-conf.XXXXXX")"
trap 'rm -rf "$scan"' EXIT
sysdir="$(php --ini | sed -n 's/^Scan for additional .ini files in: //p')"
for ini in "$sysdir"/*.ini; do
    [ -e "$ini" ] || continue
    grep -qE '^\s*extension\s*=\s*"?gdms(\.so)?"?\s*$' "$ini" && continue
    ln -s "$ini" "$scan/$(basename "$ini")"
done
printf 'extension=%s\n' "$ext" > "$scan/99-gdms-under-test.ini"
status=0
PHP_INI_SCAN_DIR="$scan" php "$@" || status=$?
exit "$status"
