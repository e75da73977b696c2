#!/usr/bin/env bash
# Installs the plugin into a GLPI tree and the extension into PHP (CLI and FPM),
# printing every file it writes. Usage: tools/install.sh GLPI_DIR EXTENSION_SO
set -euo pipefail

glpi="$1"
ext="$2"
[ -f "$glpi/src/Plugin.php" ] || { echo "$glpi does not look like a GLPI tree (no src/Plugin.php)"; exit 2; }
[ -f "$ext" ] || { echo "$ext not built"; exit 2; }

dest="$glpi/plugins/gdmsintegration"
mkdir -p "$dest"
root="$(cd "$(dirname "$0")/.." && pwd)"
(cd "$root/plugin" && find . -type f) | while read -r f; do
    mkdir -p "$dest/$(dirname "$f")"
    cp "$root/plugin/$f" "$dest/$f"
    echo "wrote $dest/${f#./}"
done
cp "$root/LICENSE" "$dest/LICENSE" && echo "wrote $dest/LICENSE"

extdir="$(php -r 'echo ini_get("extension_dir");')"
install -m 0644 "$ext" "$extdir/gdms.so" && echo "wrote $extdir/gdms.so"
api="$(php -r 'echo PHP_MAJOR_VERSION.".".PHP_MINOR_VERSION;')"
for sapi in cli fpm; do
    confd="/etc/php/$api/$sapi/conf.d"
    if [ -d "/etc/php/$api/$sapi" ]; then
        mkdir -p "$confd"
        printf '; GDMS Integration for GLPI: native extension\nextension=gdms.so\n' > "$confd/30-gdms.ini"
        echo "wrote $confd/30-gdms.ini"
    fi
done
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "php$api-fpm" 2>/dev/null; then
    systemctl reload "php$api-fpm" && echo "reloaded php$api-fpm"
elif [ -f "/run/php/php$api-fpm.pid" ]; then
    kill -USR2 "$(cat "/run/php/php$api-fpm.pid")" && echo "reloaded php$api-fpm"
fi
chown -R --reference="$glpi/plugins" "$dest" 2>/dev/null || true

# A production GLPI compiles Twig templates once and never looks at the source again: after an
# upgrade it would keep serving the old plugin templates. Clear its cache as the files' owner.
owner="$(stat -c %U "$glpi/files" 2>/dev/null || id -un)"
clear=(php "$glpi/bin/console" --no-interaction cache:clear)
if [ "$(id -un)" != "$owner" ] && [ "$(id -u)" -eq 0 ] && command -v runuser >/dev/null 2>&1; then
    clear=(runuser -u "$owner" -- "${clear[@]}")
fi
if "${clear[@]}" >/dev/null 2>&1; then
    echo "cleared GLPI's cache (compiled templates) as $owner"
else
    echo "could not clear GLPI's cache: run 'php bin/console cache:clear' in $glpi as $owner, or the old templates stay in use"
fi
