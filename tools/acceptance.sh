#!/usr/bin/env bash
# Acceptance test of the plugin in a REAL GLPI 11 instance (not the stand-in of tests/glpi).
#
# Usage: tools/acceptance.sh GLPI_DIR GLPI_URL
#   (normally through `make acceptance GLPI_DIR=/opt/glpi GLPI_URL=http://127.0.0.1:8080`,
#    which first runs `make install` to copy the plugin and install the extension for CLI and FPM)
#
# It installs and activates the plugin with GLPI's console (as the web server user), checks the
# database (state, version, tables, automatic action, right), the status page over HTTP as a
# logged-in administrator, then deactivates and uninstalls (checking that nothing is left) and
# installs + activates again, so the instance is left with the plugin active.
#
# Environment (all optional):
#   GLPI_USER            user running GLPI (default: owner of GLPI_DIR/files); the console refuses root
#   GLPI_CONFIG_DIR      GLPI's config directory (default: GLPI_DIR/config); config_db.php is read there
#   GLPI_ADMIN_USER      GLPI login used for the console and HTTP checks (default: glpi)
#   GLPI_ADMIN_PASSWORD  its password (default: glpi, GLPI's default); never printed
#   PHP                  PHP CLI binary (default: php)
#
# Prints `ok - <what>` / `not ok - <what>` per check and `N passed, M failed`; exits 1 on any failure.
set -uo pipefail

usage() { echo "usage: $0 GLPI_DIR GLPI_URL" >&2; exit 2; }
[ $# -eq 2 ] || usage
glpi="${1%/}"
url="${2%/}"
[ -n "$glpi" ] && [ -n "$url" ] || usage

root="$(cd "$(dirname "$0")/.." && pwd)"
key=gdmsintegration
php="${PHP:-php}"
admin_user="${GLPI_ADMIN_USER:-glpi}"
admin_password="${GLPI_ADMIN_PASSWORD:-glpi}"
config_dir="${GLPI_CONFIG_DIR:-$glpi/config}"
cron_itemtype=PluginGdmsintegrationSync
cron_name=SyncDevices
right=plugin_gdmsintegration
super_admin=Super-Admin

passed=0
failed=0
ok()     { passed=$((passed + 1)); echo "ok - $*"; }
not_ok() { failed=$((failed + 1)); echo "not ok - $*"; }
check()  { local what="$1"; shift; if "$@"; then ok "$what"; else not_ok "$what"; fi; }
note()   { echo "# $*"; }
# Indented copy of a command's output, shown when it failed.
show()   { sed 's/^/#   /' "$1"; }
finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ] || exit 1
    exit 0
}
die() { not_ok "$*"; finish; }

work="$(umask 077 && mktemp -d)"
trap 'rm -rf "$work"' EXIT

# --- Preflight -------------------------------------------------------------------------------

[ -f "$glpi/src/Plugin.php" ] && [ -f "$glpi/bin/console" ] || die "$glpi is a GLPI tree (src/Plugin.php, bin/console)"
glpi_version="$(ls "$glpi/version" 2>/dev/null | head -1)"
ok "$glpi is a GLPI tree (version ${glpi_version:-unknown})"

web_user="${GLPI_USER:-$(stat -c %U "$glpi/files" 2>/dev/null)}"
[ -n "$web_user" ] && [ "$web_user" != root ] || die "GLPI user found (owner of $glpi/files is '${web_user:-?}'; set GLPI_USER, GLPI refuses to run its console as root)"

# Runs a command as the GLPI user.
as_web() {
    if [ "$(id -un)" = "$web_user" ]; then
        "$@"
    elif [ "$(id -u)" -eq 0 ] && command -v runuser >/dev/null 2>&1; then
        runuser -u "$web_user" -- "$@"
    else
        sudo -n -u "$web_user" -- "$@"
    fi
}
# GLPI console as the GLPI user; output into $work/console.out.
console() { (cd "$glpi" && as_web "$php" bin/console --no-interaction --no-ansi "$@") >"$work/console.out" 2>&1; }
# Same, as a check: shows the output on failure.
console_check() {
    local what="$1"; shift
    if console "$@"; then ok "$what"; else not_ok "$what (exit $?)"; show "$work/console.out"; fi
}

expected_version="$(sed -n "s/^define('PLUGIN_GDMSINTEGRATION_VERSION', '\(.*\)');/\1/p" "$root/plugin/setup.php")"
expected_schema="$(sed -n "s/^define('PLUGIN_GDMSINTEGRATION_SCHEMA_VERSION', \([0-9]*\));/\1/p" "$root/plugin/setup.php")"
[ -n "$expected_version" ] && [ -n "$expected_schema" ] || die "plugin version and schema version read from $root/plugin/setup.php"
installed_version="$(sed -n "s/^define('PLUGIN_GDMSINTEGRATION_VERSION', '\(.*\)');/\1/p" "$glpi/plugins/$key/setup.php" 2>/dev/null)"
check "plugin files in $glpi/plugins/$key are version $expected_version (found: ${installed_version:-none})" \
    test "$installed_version" = "$expected_version"

# Plugin tables, from the schema class itself (it has no GLPI dependency).
mapfile -t tables < <("$php" -r 'require $argv[1]; echo implode("\n", array_keys(PluginGdmsintegrationSchema::tables())), "\n";' \
    "$root/plugin/inc/schema.class.php" 2>/dev/null)
[ "${#tables[@]}" -gt 0 ] || die "plugin tables listed from plugin/inc/schema.class.php"
note "plugin tables: ${tables[*]}"

ext_version="$("$php" -r 'echo extension_loaded("gdms") && function_exists("gdms_version") ? gdms_version() : "";' 2>/dev/null)"
[ -n "$ext_version" ] || die "gdms extension loaded in PHP CLI ($php); run make install first"
ok "gdms extension $ext_version loaded in PHP CLI"

# Database credentials from GLPI's own config_db.php (class DB extends DBmysql), written into a
# private option file for the mariadb client: nothing on the command line, nothing printed.
cnf="$work/my.cnf"
[ -r "$config_dir/config_db.php" ] || die "$config_dir/config_db.php readable (run as root or as the GLPI user)"
if ! (umask 077 && "$php" -r '
    class DBmysql {}
    require $argv[1];
    $db = new DB();
    $host = is_array($db->dbhost) ? reset($db->dbhost) : (string) $db->dbhost;
    $q = static fn (string $v): string => "\"" . addcslashes($v, "\\\"") . "\"";
    $out = "[client]\nuser=" . $q((string) $db->dbuser) . "\npassword=" . $q(rawurldecode((string) $db->dbpassword)) . "\n";
    // dbhost is "host", "host:port" or "host:/path/to/socket" (see DBmysql::connect()).
    if (preg_match("/^(.*):(\/.*)$/", $host, $m)) {
        $out .= "host=" . $q($m[1]) . "\nsocket=" . $q($m[2]) . "\n";
    } elseif (preg_match("/^(.*):(\d+)$/", $host, $m)) {
        $out .= "host=" . $q($m[1]) . "\nport=" . $m[2] . "\nprotocol=TCP\n";
    } else {
        $out .= "host=" . $q($host) . "\n";
    }
    $out .= "database=" . $q((string) $db->dbdefault) . "\n";
    file_put_contents($argv[2], $out);
' "$config_dir/config_db.php" "$cnf" 2>"$work/cnf.err"); then
    show "$work/cnf.err"
    die "database credentials parsed from $config_dir/config_db.php"
fi
mysql_bin="$(command -v mariadb || command -v mysql)" || die "mariadb client installed"
# One SQL statement, tab-separated rows without headers.
sql() { "$mysql_bin" --defaults-extra-file="$cnf" -N -B -e "$1"; }
sql_value() { sql "$1" 2>/dev/null | head -1; }
db_reachable() { sql "SELECT 1 FROM glpi_plugins LIMIT 1" >/dev/null 2>"$work/sql.err"; }
if db_reachable; then
    ok "GLPI database reachable with the credentials of config_db.php"
else
    show "$work/sql.err"
    die "GLPI database reachable with the credentials of config_db.php"
fi

table_exists() { [ "$(sql_value "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '$1'")" = 1 ]; }
plugin_state() { sql_value "SELECT state FROM glpi_plugins WHERE directory = '$key'"; }
plugin_version() { sql_value "SELECT version FROM glpi_plugins WHERE directory = '$key'"; }
cron_count() { sql_value "SELECT COUNT(*) FROM glpi_crontasks WHERE itemtype = '$cron_itemtype' AND name = '$cron_name'"; }
super_admin_right() {
    sql_value "SELECT pr.rights FROM glpi_profilerights pr JOIN glpi_profiles p ON p.id = pr.profiles_id
               WHERE p.name = '$super_admin' AND pr.name = '$right'"
}
right_rows() { sql_value "SELECT COUNT(*) FROM glpi_profilerights WHERE name = '$right'"; }
config_rows() { sql_value "SELECT COUNT(*) FROM glpi_configs WHERE context = 'plugin:$key'"; }
schema_version() { sql_value "SELECT value FROM glpi_configs WHERE context = 'plugin:$key' AND name = 'dbversion'"; }

# Remember where GLPI's error logs end, to report only what this run adds.
logdir="$glpi/files/_log"
declare -A log_start
for log in php-errors.log sql-errors.log; do
    log_start[$log]="$(stat -c %s "$logdir/$log" 2>/dev/null || echo 0)"
done

# Checks of an installed and active plugin (after install and after re-install).
check_active() {
    local when="$1" t
    check "$when: glpi_plugins state is 1 (active) (found: $(plugin_state))" test "$(plugin_state)" = 1
    check "$when: glpi_plugins version is $expected_version (found: $(plugin_version))" test "$(plugin_version)" = "$expected_version"
    for t in "${tables[@]}"; do
        check "$when: table $t exists" table_exists "$t"
    done
    check "$when: schema version $expected_schema stored in glpi_configs (found: $(schema_version))" test "$(schema_version)" = "$expected_schema"
    check "$when: automatic action $cron_itemtype/$cron_name registered once in glpi_crontasks (found: $(cron_count))" test "$(cron_count)" = 1
    check "$when: right $right is 3 (READ|UPDATE) for profile $super_admin (found: $(super_admin_right))" test "$(super_admin_right)" = 3
}

install_and_activate() {
    local when="$1"
    console_check "$when: bin/console plugin:install --username=$admin_user $key" plugin:install --username="$admin_user" "$key"
    console_check "$when: bin/console plugin:activate $key" plugin:activate "$key"
}

# --- Start from an uninstalled plugin --------------------------------------------------------

state="$(plugin_state)"
if [ -n "$state" ] && [ "$state" != 2 ] && [ "$state" != 0 ]; then
    note "plugin found in state $state from an earlier run: deactivating and uninstalling it first"
    if [ "$state" = 1 ]; then
        console plugin:deactivate "$key" || show "$work/console.out"
    fi
    console plugin:uninstall "$key" || { show "$work/console.out"; die "plugin:uninstall of the earlier installation"; }
fi

# --- Install, activate, check ----------------------------------------------------------------

install_and_activate install
check_active install

# The automatic action runs under GLPI's CronTask::launch() (CLI mode, forced): its last log
# line must be a normal end (CronTaskLog::STATE_STOP = 2), not an error (3).
cron_run() { (cd "$glpi" && as_web "$php" front/cron.php --force "$cron_name") >"$work/cron.out" 2>&1; }
cron_last_state() {
    sql_value "SELECT l.state FROM glpi_crontasklogs l JOIN glpi_crontasks t ON t.id = l.crontasks_id
               WHERE t.itemtype = '$cron_itemtype' AND t.name = '$cron_name' ORDER BY l.id DESC LIMIT 1"
}
if cron_run; then ok "cron: php front/cron.php --force $cron_name"; else not_ok "cron: php front/cron.php --force $cron_name"; show "$work/cron.out"; fi
check "cron: last log of $cron_name is a normal end (state 2) (found: $(cron_last_state))" test "$(cron_last_state)" = 2

# Install must be re-runnable (GLPI runs it again on each version change): --force re-runs it.
console_check "re-install: bin/console plugin:install --force $key (install is re-runnable)" plugin:install --force --username="$admin_user" "$key"
console_check "re-install: bin/console plugin:activate $key" plugin:activate "$key"
check_active re-install

# --- Over HTTP -------------------------------------------------------------------------------

status_url="$url/plugins/$key/front/status.php"
code="$(curl -s -o "$work/anon.html" -w '%{http_code}' "$status_url")"
check "http: status page refused without a session (HTTP $code, expected not 200)" test "$code" != 200

jar="$work/cookies"
login_page="$(curl -s -c "$jar" -b "$jar" "$url/")"
token="$(printf '%s' "$login_page" | sed -n 's/.*name="_glpi_csrf_token" value="\([^"]*\)".*/\1/p' | head -1)"
check "http: GET $url/ serves GLPI's login form with a CSRF token" test -n "$token"
# Password through a file, not the command line.
printf 'login_password=%s' "$("$php" -r 'echo rawurlencode($argv[1]);' "$admin_password")" >"$work/pw"
code="$(curl -s -c "$jar" -b "$jar" -o "$work/login.html" -w '%{http_code} %{redirect_url}' \
    --data-urlencode "_glpi_csrf_token=$token" --data-urlencode noAUTO=0 --data-urlencode redirect= \
    --data-urlencode "login_name=$admin_user" --data "@$work/pw" --data-urlencode submit= \
    "$url/front/login.php")"
rm -f "$work/pw"
case "$code" in
    302\ */front/central.php*|302\ */front/helpdesk.public.php*) ok "http: log in as $admin_user (redirected to ${code#302 })" ;;
    *) not_ok "http: log in as $admin_user (got '$code', expected a 302 to /front/central.php)" ;;
esac

code="$(curl -s -c "$jar" -b "$jar" -o "$work/status.html" -w '%{http_code}' "$status_url")"
check "http: GET /plugins/$key/front/status.php is 200 (got $code)" test "$code" = 200
check "http: status page renders the status template" grep -q 'GDMS Integration status' "$work/status.html"
check "http: status page shows the extension version $ext_version (loaded in PHP-FPM)" \
    grep -q "badge bg-success\">$ext_version<" "$work/status.html"
if grep -q 'alert-danger' "$work/status.html"; then
    not_ok "http: status page reports no extension problem"
else
    ok "http: status page reports no extension problem"
fi
if [ "$code" != 200 ] || ! grep -q 'GDMS Integration status' "$work/status.html"; then
    note "status page (first lines of text):"
    sed -e 's/<[^>]*>//g' -e '/^\s*$/d' "$work/status.html" | head -20 | sed 's/^/#   /'
fi

if [ -f "$glpi/plugins/$key/front/config.php" ]; then
    code="$(curl -s -c "$jar" -b "$jar" -o "$work/config.html" -w '%{http_code}' "$url/plugins/$key/front/config.php")"
    check "http: GET /plugins/$key/front/config.php is 200 (got $code)" test "$code" = 200
fi

# Dashboard: the page, its data endpoint (JSON of the entity's devices), the served script and library.
code="$(curl -s -c "$jar" -b "$jar" -o "$work/dashboard.html" -w '%{http_code}' "$url/plugins/$key/front/dashboard.php")"
check "http: GET /plugins/$key/front/dashboard.php is 200 (got $code)" test "$code" = 200
check "http: dashboard page carries GLPI's CSRF meta tag and the plugin's script" \
    grep -q 'glpi:csrf_token' "$work/dashboard.html"
code="$(curl -s -c "$jar" -b "$jar" -H 'X-Requested-With: XMLHttpRequest' -o "$work/dashboard.json" -w '%{http_code}' \
    "$url/plugins/$key/ajax/dashboard.php?action=data")"
check "http: dashboard data endpoint is 200 (got $code)" test "$code" = 200
check "http: dashboard data is JSON with cards and rows" \
    "$php" -r '$d = json_decode(file_get_contents($argv[1]), true); exit(is_array($d) && isset($d["cards"], $d["rows"]) ? 0 : 1);' "$work/dashboard.json"
code="$(curl -s -o /dev/null -w '%{http_code}' "$url/plugins/$key/js/dashboard.js")"
check "http: plugin serves js/dashboard.js (got $code)" test "$code" = 200
code="$(curl -s -o /dev/null -w '%{http_code}' "$url/plugins/$key/lib/vis-network.min.js")"
check "http: plugin serves lib/vis-network.min.js, no CDN (got $code)" test "$code" = 200
code="$(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' -X POST -H 'X-Requested-With: XMLHttpRequest' \
    "$url/plugins/$key/ajax/dashboard.php?action=sync")"
check "http: dashboard POST without the CSRF header is refused (got $code)" test "$code" != 200

# Outgoing webhook pages: the list (with the delivery settings) and an empty form.
for page in subscription.php subscription.form.php; do
    if [ -f "$glpi/plugins/$key/front/$page" ]; then
        code="$(curl -s -c "$jar" -b "$jar" -o "$work/$page.html" -w '%{http_code}' "$url/plugins/$key/front/$page")"
        check "http: GET /plugins/$key/front/$page is 200 (got $code)" test "$code" = 200
        if [ "$code" != 200 ]; then sed -e 's/<[^>]*>//g' -e '/^\s*$/d' "$work/$page.html" | head -20 | sed 's/^/#   /'; fi
    fi
done

# The plugin's tab on the Super-Admin profile: rendered by GLPI's ajax/common.tabs.php, saved by
# front/profile.form.php (CSRF token of the tab's form, single use).
profile_id="$(sql_value "SELECT id FROM glpi_profiles WHERE name = '$super_admin'")"
profile_tab() {
    curl -s -c "$jar" -b "$jar" -H 'X-Requested-With: XMLHttpRequest' -o "$work/tab.html" -w '%{http_code}' \
        "$url/ajax/common.tabs.php?_glpi_tab=PluginGdmsintegrationProfile%241&_target=%2Ffront%2Fprofile.form.php&_itemtype=Profile&id=$profile_id"
}
# Saves the plugin right of the Super-Admin profile through the tab's form: save_right READ UPDATE (0/1 each).
save_right() {
    local tab_token
    profile_tab >/dev/null
    tab_token="$(sed -n 's/.*name="_glpi_csrf_token" value="\([^"]*\)".*/\1/p' "$work/tab.html" | head -1)"
    curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' \
        --data-urlencode "_glpi_csrf_token=$tab_token" --data-urlencode "_${right}[1_0]=$1" \
        --data-urlencode "_${right}[2_0]=$2" --data-urlencode "id=$profile_id" --data-urlencode update=Save \
        "$url/front/profile.form.php"
}
code="$(profile_tab)"
check "http: profile tab GDMS Integration on $super_admin is 200 (got $code)" test "$code" = 200
check "http: profile tab shows the $right rights matrix" grep -q "name=\"_${right}\[1_0\]\"" "$work/tab.html"
code="$(save_right 1 0)"
check "http: profile tab saves READ only (HTTP $code; right now $(super_admin_right), expected 1)" test "$(super_admin_right)" = 1
code="$(save_right 1 1)"
check "http: profile tab saves READ|UPDATE back (HTTP $code; right now $(super_admin_right), expected 3)" test "$(super_admin_right)" = 3


# --- Deactivate, uninstall: nothing left ------------------------------------------------------

console_check "uninstall: bin/console plugin:deactivate $key" plugin:deactivate "$key"
check "uninstall: glpi_plugins state is 4 (not activated) after deactivate (found: $(plugin_state))" test "$(plugin_state)" = 4
console_check "uninstall: bin/console plugin:uninstall $key" plugin:uninstall "$key"
check "uninstall: glpi_plugins state is 2 (not installed) (found: $(plugin_state))" test "$(plugin_state)" = 2
for t in "${tables[@]}"; do
    if table_exists "$t"; then not_ok "uninstall: table $t is gone"; else ok "uninstall: table $t is gone"; fi
done
check "uninstall: automatic action removed from glpi_crontasks (found: $(cron_count))" test "$(cron_count)" = 0
check "uninstall: right $right removed from glpi_profilerights (found: $(right_rows) rows)" test "$(right_rows)" = 0
check "uninstall: plugin settings removed from glpi_configs (found: $(config_rows) rows)" test "$(config_rows)" = 0

# --- Leave the instance with the plugin active -------------------------------------------------

install_and_activate reinstall
check_active reinstall

# --- Sync against the cloud simulator: assets, tickets, followups, solutions, webhook -----------

root="$(cd "$(dirname "$0")/.." && pwd)"
sim_bin="$root/target/release/gdms-sim"
[ -x "$sim_bin" ] || sim_bin="$root/target/debug/gdms-sim"
"$sim_bin" serve --port 0 --networks 3 --devices 30 --seed 11 >"$work/sim.json" 2>/dev/null &
sim_pid=$!
trap 'kill "$sim_pid" 2>/dev/null' EXIT
for _ in $(seq 1 50); do [ -s "$work/sim.json" ] && break; sleep 0.1; done
simq() { "$php" -r '$i = json_decode(file_get_contents($argv[1]), true); echo eval("return " . $argv[2] . ";");' "$work/sim.json" "$1"; }
admin_uri="$(simq '$i["admin_uri"]')"
sim_post() { curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data "$2" "$admin_uri$1"; }
webhook_secret="whsec-acceptance-$(date +%s)"
"$php" -r '$i = json_decode(file_get_contents($argv[1]), true); echo json_encode([
    "gdms_username" => $i["uc"]["username"], "gdms_password" => $i["uc"]["password"], "gdms_client_id" => $i["uc"]["client_id"],
    "gdms_client_secret" => $i["uc"]["client_secret"], "gwn_app_id" => $i["gwn"]["app_id"], "gwn_secret" => $i["gwn"]["secret_key"],
    "gdms_base_url" => $i["uc_uri"], "gwn_base_url" => $i["gwn_uri"], "firmware_base_url" => $i["firmware_uri"],
    "is_active" => "1", "wan_debounce_seconds" => "0", "webhook_secret" => $argv[2]]);' "$work/sim.json" "$webhook_secret" >"$work/config.json"
(cd "$glpi" && as_web "$php" bin/console --no-interaction plugins:gdmsintegration:configure --entity=0 <"$work/config.json") >"$work/console.out" 2>&1
check "sync: bin/console plugins:gdmsintegration:configure --entity=0 (simulator at $(simq '$i["uri"]'))" grep -q 'saved' "$work/console.out"

fleet_json="$work/fleet.json"
curl -s "$admin_uri/fleet" >"$fleet_json"
fleetq() { "$php" -r '$f = json_decode(file_get_contents($argv[1]), true); echo eval($argv[2]);' "$fleet_json" "$1"; }
fleet_size="$(fleetq '$n = count($f["uc"]); foreach ($f["networks"] as $net) { $n += count($net["devices"]); } return $n;')"
expected_tickets="$(fleetq '$n = 0; foreach ($f["uc"] as $d) { $n += (int) ($d["status"] != 1); }
    foreach ($f["networks"] as $net) { foreach ($net["devices"] as $d) { if (!$d["online"]) { $n++; continue; }
    foreach ($d["ports"] ?? [] as $p) { $n += (int) (($p["wan"] ?? false) && (!$p["link"] || !$p["internet"])); } } } return $n;')"

gdms_tickets() { sql_value "SELECT COUNT(*) FROM glpi_tickets WHERE name LIKE '[GDMS]%' AND is_deleted = 0"; }
tickets_before="$(gdms_tickets)"
if cron_run; then ok "sync: first cycle through GLPI's cron"; else not_ok "sync: first cycle through GLPI's cron"; show "$work/cron.out"; fi
check "sync: $fleet_size device rows stored (found $(sql_value 'SELECT COUNT(*) FROM glpi_plugin_gdmsintegration_devices'))" \
    test "$(sql_value 'SELECT COUNT(*) FROM glpi_plugin_gdmsintegration_devices WHERE is_stale = 0')" = "$fleet_size"
linked="$(sql_value "SELECT COUNT(DISTINCT CONCAT(d.itemtype, d.items_id)) FROM glpi_plugin_gdmsintegration_devices d
    LEFT JOIN glpi_networkequipments n ON d.itemtype = 'NetworkEquipment' AND n.id = d.items_id
    LEFT JOIN glpi_phones p ON d.itemtype = 'Phone' AND p.id = d.items_id
    WHERE COALESCE(n.id, p.id) IS NOT NULL")"
check "sync: every cloud device is linked to its own GLPI asset ($linked distinct assets for $fleet_size devices)" test "$linked" = "$fleet_size"
check "sync: one ticket per device and WAN port down ($((tickets_before + expected_tickets)) expected, found $(gdms_tickets))" \
    test "$(gdms_tickets)" = "$((tickets_before + expected_tickets))"
unlinked="$(sql_value "SELECT COUNT(*) FROM glpi_plugin_gdmsintegration_incidents i LEFT JOIN glpi_items_tickets it ON it.tickets_id = i.tickets_id WHERE i.open_guard = 1 AND it.id IS NULL")"
check "sync: every open incident's ticket is linked to its asset (Item_Ticket; $unlinked unlinked)" test "$unlinked" = 0

# One AP goes down: its asset gets a technician first, so the ticket must be assigned to them.
ap_mac="$(fleetq 'foreach ($f["networks"] as $net) { foreach ($net["devices"] as $d) { if ($d["kind"] === "ap" && $d["online"]) { return strtolower($d["mac"]); } } } return "";')"
ap_id="$(sql_value "SELECT items_id FROM glpi_plugin_gdmsintegration_devices WHERE device_key = '$ap_mac'")"
tech_id="$(sql_value "SELECT id FROM glpi_users WHERE name = '$admin_user'")"
sql "UPDATE glpi_networkequipments SET users_id_tech = $tech_id WHERE id = $ap_id"
check "sync: simulator takes AP $ap_mac offline" test "$(sim_post /scenario "{\"op\":\"device_offline\",\"mac\":\"$ap_mac\"}")" = 200
cron_run
ticket_id="$(sql_value "SELECT i.tickets_id FROM glpi_plugin_gdmsintegration_incidents i WHERE i.device_key = '$ap_mac' AND i.open_guard = 1")"
check "sync: AP offline opens a ticket (#${ticket_id:-none})" test -n "$ticket_id"
check "sync: the ticket is assigned to the asset's technician (glpi_tickets_users type 2)" \
    test "$(sql_value "SELECT COUNT(*) FROM glpi_tickets_users WHERE tickets_id = ${ticket_id:-0} AND type = 2 AND users_id = $tech_id")" = 1
check "sync: the ticket status is Assigned (2)" test "$(sql_value "SELECT status FROM glpi_tickets WHERE id = ${ticket_id:-0}")" = 2
check "sync: the ticket is linked to NetworkEquipment #$ap_id" \
    test "$(sql_value "SELECT COUNT(*) FROM glpi_items_tickets WHERE tickets_id = ${ticket_id:-0} AND itemtype = 'NetworkEquipment' AND items_id = $ap_id")" = 1
check "sync: the ticket body carries the MAC" grep -qi "$ap_mac" <(sql_value "SELECT content FROM glpi_tickets WHERE id = ${ticket_id:-0}")
cron_run
check "sync: a second cycle while still down opens no second ticket" \
    test "$(sql_value "SELECT COUNT(*) FROM glpi_plugin_gdmsintegration_incidents WHERE device_key = '$ap_mac'")" = 1
sim_post /scenario "{\"op\":\"device_online\",\"mac\":\"$ap_mac\"}" >/dev/null
cron_run
check "sync: AP back online: ticket solved (status 5)" test "$(sql_value "SELECT status FROM glpi_tickets WHERE id = ${ticket_id:-0}")" = 5
check "sync: AP back online: a followup was added" test "$(sql_value "SELECT COUNT(*) FROM glpi_itilfollowups WHERE itemtype = 'Ticket' AND items_id = ${ticket_id:-0}")" = 1
check "sync: AP back online: a solution was added" test "$(sql_value "SELECT COUNT(*) FROM glpi_itilsolutions WHERE itemtype = 'Ticket' AND items_id = ${ticket_id:-0}")" = 1

# Outgoing webhooks in the real GLPI: settings and a subscription saved through the pages
# (CSRF tokens from the forms), a ticket created by the webhook below is captured by the
# item_add hook, and the OutgoingDeliver task sends it, signed, to a loopback receiver.
rx_port="$("$php" -r '$s = stream_socket_server("tcp://127.0.0.1:0"); $n = stream_socket_get_name($s, false); echo substr($n, strrpos($n, ":") + 1);')"
rx_log="$work/receiver.jsonl"
: >"$rx_log"
GDMS_RECEIVER_LOG="$rx_log" setsid "$php" -n -S "127.0.0.1:$rx_port" "$root/tests/support/webhook_receiver_router.php" >/dev/null 2>&1 &
rx_pid=$!
csrf_of() { sed -n 's/.*name="_glpi_csrf_token" value="\([^"]*\)".*/\1/p' "$1" | head -1; }
curl -s -c "$jar" -b "$jar" -o "$work/subs.html" "$url/plugins/$key/front/subscription.php"
code="$(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' --data-urlencode "_glpi_csrf_token=$(csrf_of "$work/subs.html")" \
    --data 'save_settings=1&outgoing_allow_private=1&outgoing_retention_days=30&outgoing_failure_threshold=50&outgoing_concurrency=8&outgoing_timeout_s=5' \
    "$url/plugins/$key/front/subscription.php")"
check "outgoing: settings saved through the page (HTTP $code)" \
    test "$(sql_value "SELECT value FROM glpi_configs WHERE context = 'plugin:$key' AND name = 'outgoing_allow_private'")" = 1
curl -s -c "$jar" -b "$jar" -o "$work/subform.html" "$url/plugins/$key/front/subscription.form.php"
code="$(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' --data-urlencode "_glpi_csrf_token=$(csrf_of "$work/subform.html")" \
    --data-urlencode "url=http://127.0.0.1:$rx_port/hook" --data 'add=1&name=Acceptance&event_type=TicketCreated&itilcategories_id=0&title_regex=' \
    "$url/plugins/$key/front/subscription.form.php")"
sub_id="$(sql_value "SELECT id FROM glpi_plugin_gdmsintegration_subscriptions WHERE name = 'Acceptance'")"
check "outgoing: subscription added through the form (HTTP $code, #${sub_id:-none})" test -n "$sub_id"
check "outgoing: its secret is stored encrypted (no whsec_ in the row)" \
    test "$(sql_value "SELECT COUNT(*) FROM glpi_plugin_gdmsintegration_subscriptions WHERE id = ${sub_id:-0} AND secret <> '' AND secret NOT LIKE 'whsec_%'")" = 1

# The webhook endpoint: stateless (no session cookie), signed events only.
hook="$url/plugins/$key/front/webhook.php?entities_id=0"
code="$(curl -s -D "$work/hook.h" -o "$work/hook.json" -w '%{http_code}' "$hook")"
check "webhook: GET is 200 with the health document (got $code)" grep -qx '{"status":"ok","plugin":"gdmsintegration","endpoint":"webhook"}' "$work/hook.json"
check "webhook: no session cookie is set (stateless)" test "$(grep -ci '^set-cookie' "$work/hook.h")" = 0
body="{\"mac\":\"$ap_mac\",\"status\":\"offline\"}"
code="$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data "$body" "$hook")"
check "webhook: an unsigned POST is refused with 401 (got $code)" test "$code" = 401
code="$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: text/plain' --data "$body" "$hook")"
check "webhook: a non-JSON POST is refused with 415 (got $code)" test "$code" = 415
sig="sha256=$(printf '%s' "$body" | openssl dgst -sha256 -hmac "$webhook_secret" -r | cut -d' ' -f1)"
code="$(curl -s -o "$work/hook.json" -w '%{http_code}' -H 'Content-Type: application/json' -H "X-GDMS-Signature: $sig" --data "$body" "$hook")"
check "webhook: a signed offline event is applied (HTTP $code: $(cat "$work/hook.json"))" test "$code" = 200
check "webhook: it opened a ticket for $ap_mac" \
    test "$(sql_value "SELECT COUNT(*) FROM glpi_plugin_gdmsintegration_incidents WHERE device_key = '$ap_mac' AND open_guard = 1")" = 1

check "outgoing: the new ticket was queued for the subscription" \
    test "$(sql_value "SELECT COUNT(*) FROM glpi_plugin_gdmsintegration_outgoingqueues WHERE subscriptions_id = ${sub_id:-0}")" -ge 1
if (cd "$glpi" && as_web "$php" front/cron.php --force OutgoingDeliver) >"$work/cron-out.out" 2>&1; then ok "outgoing: php front/cron.php --force OutgoingDeliver"; else not_ok "outgoing: OutgoingDeliver"; show "$work/cron-out.out"; fi
check "outgoing: the receiver got a signed ticket.created envelope" \
    grep -q '"webhook-signature":"v1,' "$rx_log"
check "outgoing: the delivery is archived as delivered (HTTP 200)" \
    test "$(sql_value "SELECT COUNT(*) FROM glpi_plugin_gdmsintegration_outgoingattempts WHERE subscriptions_id = ${sub_id:-0} AND status = 200 AND outcome = 'delivered'")" -ge 1
grep -q 'ticket.created' "$rx_log" || { note "receiver log:"; show "$rx_log"; }
kill -- -"$rx_pid" 2>/dev/null || kill "$rx_pid" 2>/dev/null || true

# --- Dashboard firmware actions over HTTP: background check, beta upgrade with GLPI's CSRF header ---

pbx_mac="$(curl -s -H 'Content-Type: application/json' --data '{"op":"add_device","kind":"pbx"}' "$admin_uri/scenario" | "$php" -r 'echo strtolower(json_decode(stream_get_contents(STDIN), true)["mac"] ?? "");')"
cron_run
pbx_id="$(sql_value "SELECT id FROM glpi_plugin_gdmsintegration_devices WHERE device_key = '$pbx_mac'")"
pbx_model="$(sql_value "SELECT model FROM glpi_plugin_gdmsintegration_devices WHERE id = ${pbx_id:-0}")"
check "firmware: a new PBX ($pbx_mac, $pbx_model) is synchronised (#${pbx_id:-none})" test -n "$pbx_id"
sim_post /scenario "{\"op\":\"firmware\",\"model\":\"$pbx_model\",\"version\":\"1.0.40.1\",\"beta\":\"1.0.41.3\"}" >/dev/null
sql "UPDATE glpi_plugin_gdmsintegration_devices SET firmware = '1.0.0.1' WHERE id = ${pbx_id:-0}"
sql "DELETE FROM glpi_plugin_gdmsintegration_firmwares"
curl -s -X POST "$admin_uri/recorded/clear" >/dev/null
curl -s -c "$jar" -b "$jar" -H 'X-Requested-With: XMLHttpRequest' -o "$work/firmware.json" "$url/plugins/$key/ajax/dashboard.php?action=firmware"
check "firmware: the check offers the PBX its official 1.0.40.1 and beta 1.0.41.3 (firmware pages)" "$php" -r '
    $d = json_decode(file_get_contents($argv[1]), true);
    foreach ($d["devices"] ?? [] as $x) { if ($x["id"] === (int) $argv[2]) { exit(array_column($x["channels"], "version", "channel") === ["official" => "1.0.40.1", "beta" => "1.0.41.3"] ? 0 : 1); } }
    exit(1);' "$work/firmware.json" "${pbx_id:-0}"
curl -s -c "$jar" -b "$jar" -o "$work/dashboard.html" "$url/plugins/$key/front/dashboard.php"
page_token="$(sed -n 's/.*property="glpi:csrf_token" content="\([^"]*\)".*/\1/p' "$work/dashboard.html" | head -1)"
code="$(curl -s -c "$jar" -b "$jar" -o "$work/upgrade.json" -w '%{http_code}' -H 'X-Requested-With: XMLHttpRequest' \
    -H "X-Glpi-Csrf-Token: $page_token" -H 'Content-Type: application/json' --data "{\"id\":${pbx_id:-0},\"channel\":\"beta\"}" \
    "$url/plugins/$key/ajax/dashboard.php?action=upgrade")"
check "firmware: POST upgrade (beta) with the page's CSRF header is accepted (HTTP $code: $(cat "$work/upgrade.json"))" \
    "$php" -r 'exit((json_decode(file_get_contents($argv[1]), true)["ok"] ?? false) === true ? 0 : 1);' "$work/upgrade.json"
curl -s "$admin_uri/recorded" >"$work/recorded.json"
check "firmware: the simulator got one task/add installing the beta 1.0.41.3 from its own file" "$php" -r '
    $tasks = array_values(array_filter(json_decode(file_get_contents($argv[1]), true), fn($r) => str_contains($r["endpoint"], "task/add")));
    $b = json_decode($tasks[0]["body"] ?? "{}", true);
    exit(count($tasks) === 1 && ($b["fwVersion"] ?? "") === "1.0.41.3" && str_ends_with($b["firmwareDownloadUrl"] ?? "", "fw1.0.41.3.bin") ? 0 : 1);' "$work/recorded.json"
curl -s -c "$jar" -b "$jar" -H 'X-Requested-With: XMLHttpRequest' -o "$work/data-pbx.json" "$url/plugins/$key/ajax/dashboard.php?action=data&search=$pbx_mac"
check "firmware: the device row now says the upgrade is under way" "$php" -r '
    $rows = json_decode(file_get_contents($argv[1]), true)["rows"] ?? [];
    exit(($rows[0]["upgrade"]["state"] ?? "") === "updating" && ($rows[0]["upgrade"]["version"] ?? "") === "1.0.41.3" ? 0 : 1);' "$work/data-pbx.json"

# --- Excel export and history import over HTTP ----------------------------------------------------

code="$(curl -s -c "$jar" -b "$jar" -D "$work/export.h" -o "$work/export.xlsx" -w '%{http_code}' "$url/plugins/$key/front/export.php")"
check "export: GET front/export.php is 200 (got $code)" test "$code" = 200
check "export: sent as a download named gdms_history_<date>.xlsx" grep -qiE 'content-disposition: attachment; filename="?gdms_history_[0-9]{4}-[0-9]{2}-[0-9]{2}\.xlsx' "$work/export.h"
check "export: the file is a workbook with the Summary, Availability and Incidents sheets naming the fleet's devices" "$php" -r '
    $z = new ZipArchive();
    if ($z->open($argv[1]) !== true) { exit(1); }
    $wb = (string) $z->getFromName("xl/workbook.xml");
    $sheets = (string) $z->getFromName("xl/worksheets/sheet1.xml") . $z->getFromName("xl/sharedStrings.xml");
    exit(substr_count($wb, "<sheet ") === 3 && str_contains($sheets, $argv[2]) ? 0 : 1);' "$work/export.xlsx" "$(sql_value "SELECT name FROM glpi_plugin_gdmsintegration_devices WHERE name <> '' ORDER BY id LIMIT 1")"
import_page="$(curl -s -c "$jar" -b "$jar" "$url/plugins/$key/front/import.php")"
import_token="$(printf '%s' "$import_page" | sed -n 's/.*name="_glpi_csrf_token" value="\([^"]*\)".*/\1/p' | head -1)"
check "import: the upload form carries a CSRF token" test -n "$import_token"
dailies_before="$(sql_value "SELECT COUNT(*) FROM glpi_plugin_gdmsintegration_dailies")"
code="$(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' -F "_glpi_csrf_token=$import_token" -F import=1 \
    -F "workbook=@$work/export.xlsx;type=application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" "$url/plugins/$key/front/import.php")"
check "import: re-importing the export is accepted (HTTP $code) and adds no day already stored" \
    test "$code" = 302 -a "$(sql_value "SELECT COUNT(*) FROM glpi_plugin_gdmsintegration_dailies")" = "$dailies_before"

# --- GLPI's error logs -------------------------------------------------------------------------

for log in php-errors.log sql-errors.log; do
    new="$work/new-$log"
    if [ -f "$logdir/$log" ]; then
        tail -c +"$((log_start[$log] + 1))" "$logdir/$log" | grep -v '\*\*\* Test logger' >"$new" || true
    else
        : >"$new"
    fi
    if [ -s "$new" ]; then
        not_ok "no new entries in $logdir/$log ($(wc -l <"$new") lines, first 20:)"
        head -20 "$new" | show /dev/stdin
    else
        ok "no new entries in $logdir/$log"
    fi
done

finish
