#!/usr/bin/env bash
# Runs PHP with the freshly built gdms extension and every other extension of
# the system's PHP CLI, but never a gdms.so installed system-wide (make install
# puts one in conf.d; a test must not pick up that older build).
# Usage: tools/php-with-ext.sh EXTENSION_SO php-args...
set -euo pipefail
ext="$1"; shift
root="$(cd "$(dirname "$0")/.." && pwd)"
scan="$root/build/php-conf.d"
rm -rf "$scan" && mkdir -p "$scan"
sysdir="$(php --ini | sed -n 's/^Scan for additional .ini files in: //p')"
for ini in "$sysdir"/*.ini; do
    [ -e "$ini" ] || continue
    grep -qE '^\s*extension\s*=\s*"?gdms(\.so)?"?\s*$' "$ini" && continue
    ln -s "$ini" "$scan/$(basename "$ini")"
done
printf 'extension=%s\n' "$ext" > "$scan/99-gdms-under-test.ini"
PHP_INI_SCAN_DIR="$scan" exec php "$@"
