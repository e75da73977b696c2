#!/usr/bin/env bash
# Browser tests of the dashboard: the simulator, a database seeded through the
# plugin's own sync, the pages served by `php -S` over the GLPI stand-in, and
# Debian's headless Chromium driven by playwright-core. Run by `make test-browser`
# inside tools/with-mariadb.sh. Artefacts (screenshots, logs) in tests/artifacts/browser.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
art="$root/tests/artifacts/browser"
rm -rf "$art" && mkdir -p "$art"
export GDMS_TEST_DB_NAME="${GDMS_TEST_DB_NAME:-gdms_browser}"
php_ext=(tools/php-with-ext.sh "$root/target/debug/libgdms.so")

pids=()
# Each background server leads its own process group (setsid): `php -S` workers outlive a
# killed master, so the whole group is killed.
cleanup() { for p in "${pids[@]}"; do kill -- "-$p" 2>/dev/null || kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

setsid target/debug/gdms-sim serve --port 0 --seed 11 --networks 2 --devices 12 --latency-ms 0 >"$art/sim.json" 2>"$art/sim.log" &
pids+=($!)
for _ in $(seq 1 100); do [ -s "$art/sim.json" ] && break; sleep 0.1; done
[ -s "$art/sim.json" ] || { echo "gdms-sim did not start"; cat "$art/sim.log"; exit 1; }

# Two PBXs in the fleet (their models have firmware pages; seed.php publishes a beta for them).
admin="$(php -r 'echo json_decode(file_get_contents($argv[1]), true)["admin_uri"];' "$art/sim.json")"
for n in 1 2; do
    curl -fsS -X POST -H 'Content-Type: application/json' -d '{"op":"add_device","kind":"pbx"}' "$admin/scenario" >"$art/sim-add-pbx-$n.json"
done

"${php_ext[@]}" tests/browser/seed.php "$art/sim.json" >"$art/seed.json"

port="$(php -r '$s = stream_socket_server("tcp://127.0.0.1:0"); echo explode(":", stream_socket_get_name($s, false))[1];')"
PHP_CLI_SERVER_WORKERS=4 setsid "${php_ext[@]}" -S "127.0.0.1:$port" tests/browser/router.php >"$art/php-server.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/__login?user=none" >/dev/null 2>&1 && break; sleep 0.1; done

BASE="http://127.0.0.1:$port" SIM_INFO="$art/sim.json" SEED="$art/seed.json" ARTIFACTS="$art" \
    node tests/browser/dashboard.test.mjs
