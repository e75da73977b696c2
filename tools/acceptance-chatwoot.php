<?php

/**
 * Chatwoot both ways in a REAL GLPI 11 with the plugin installed and active
 * (run it after `make acceptance`, as root or as the GLPI user):
 *
 *   php tools/acceptance-chatwoot.php /opt/glpi http://127.0.0.1:8080
 *
 * The simulated Chatwoot (gdms-sim) sends signed deliveries of a scripted
 * conversation to front/chatwoot.php over HTTP; the resulting user, ticket
 * and followups are read in GLPI's database; deliveries are replayed and a
 * forged one is refused; a followup and a solution are added through GLPI's
 * web forms (logged in, CSRF token), the ChatwootSend automatic action posts
 * them to the simulator, and the simulator's echoes import nothing. Every
 * record it made is removed afterwards and the entity's Chatwoot settings
 * are restored. Prints TAP-like `ok` / `not ok` lines; exit 1 on a failure.
 *
 * Environment: GLPI_ADMIN_USER / GLPI_ADMIN_PASSWORD (default glpi/glpi),
 * GLPI_USER (user running GLPI; default: owner of GLPI_DIR/files).
 */

declare(strict_types=1);

[$glpi, $url] = [rtrim($argv[1] ?? '', '/'), rtrim($argv[2] ?? '', '/')];
if ($glpi === '' || $url === '' || !is_file("$glpi/config/config_db.php")) {
    fwrite(STDERR, "usage: php tools/acceptance-chatwoot.php /path/to/glpi http://glpi-url (GLPI's config/config_db.php must be readable)\n");
    exit(2);
}
$root = dirname(__DIR__);
$failures = 0;
$n = 0;
function check(string $what, bool $ok, string $detail = ''): void
{
    global $failures, $n;
    $n++;
    echo ($ok ? 'ok' : 'not ok') . " $n - $what" . ($ok || $detail === '' ? '' : "\n#   $detail") . "\n";
    $failures += $ok ? 0 : 1;
}

// --- GLPI's database and key ---------------------------------------------------------------
class DBmysql
{
}
require "$glpi/config/config_db.php";
$cfg = new DB();
$host = is_array($cfg->dbhost) ? (string) reset($cfg->dbhost) : (string) $cfg->dbhost;
$port = 3306;
$socket = null;
if (preg_match('/^(.*):(\/.*)$/', $host, $m)) {
    [$host, $socket] = [$m[1], $m[2]];
} elseif (preg_match('/^(.*):(\d+)$/', $host, $m)) {
    [$host, $port] = [$m[1], (int) $m[2]];
}
mysqli_report(MYSQLI_REPORT_ERROR | MYSQLI_REPORT_STRICT);
$db = new mysqli($host, (string) $cfg->dbuser, rawurldecode((string) $cfg->dbpassword), (string) $cfg->dbdefault, $port, $socket);
$db->set_charset('utf8mb4');
function rows(string $sql, array $params = []): array
{
    global $db;
    $stmt = $db->prepare($sql);
    if ($params !== []) {
        $stmt->bind_param(str_repeat('s', count($params)), ...array_map(static fn($v) => $v === null ? null : (string) $v, $params));
    }
    $stmt->execute();
    $res = $stmt->get_result();
    return $res === false ? [] : $res->fetch_all(MYSQLI_ASSOC);
}
function value(string $sql, array $params = []): ?string
{
    $r = rows($sql, $params);
    return $r === [] ? null : (string) reset($r[0]);
}
$key = (string) file_get_contents("$glpi/config/glpicrypt.key");
function encrypt(string $plain): string
{
    global $key;
    $nonce = random_bytes(SODIUM_CRYPTO_AEAD_XCHACHA20POLY1305_IETF_NPUBBYTES);
    return base64_encode($nonce . sodium_crypto_aead_xchacha20poly1305_ietf_encrypt($plain, $nonce, $nonce, $key));
}

if (value("SELECT state FROM glpi_plugins WHERE directory = 'gdmsintegration'") !== '1') {
    fwrite(STDERR, "the plugin is not active in $glpi: run make acceptance first\n");
    exit(2);
}

// --- HTTP ------------------------------------------------------------------------------------
/** @return array{0: int, 1: string} */
function http(string $method, string $target, string $body = '', array $headers = [], ?string $jar = null): array
{
    $h = [];
    foreach ($headers as $k => $v) {
        $h[] = "$k: $v";
    }
    if ($jar !== null && is_file($jar)) {
        $h[] = 'Cookie: ' . trim((string) file_get_contents($jar));
    }
    $ctx = stream_context_create(['http' => [
        'method' => $method, 'header' => implode("\r\n", $h), 'content' => $body,
        'ignore_errors' => true, 'follow_location' => 0, 'timeout' => 30,
    ]]);
    $out = (string) @file_get_contents($target, false, $ctx);
    $status = 0;
    $cookies = [];
    foreach ($http_response_header ?? [] as $line) {
        if (preg_match('#^HTTP/\S+ (\d+)#', $line, $m)) {
            $status = (int) $m[1];
        } elseif ($jar !== null && preg_match('/^Set-Cookie:\s*([^=;]+)=([^;]*)/i', $line, $m)) {
            $cookies[$m[1]] = $m[2];
        }
    }
    if ($jar !== null && $cookies !== []) {
        $old = [];
        foreach (explode('; ', trim((string) @file_get_contents($jar))) as $pair) {
            if (str_contains($pair, '=')) {
                [$k, $v] = explode('=', $pair, 2);
                $old[$k] = $v;
            }
        }
        $all = array_merge($old, $cookies);
        file_put_contents($jar, implode('; ', array_map(static fn($k, $v) => "$k=$v", array_keys($all), $all)));
    }
    return [$status, $out];
}
function json(string $method, string $target, ?array $body = null): array
{
    [, $out] = http($method, $target, $body === null ? '' : json_encode($body), ['Content-Type' => 'application/json']);
    return json_decode($out, true) ?? [];
}

// --- The simulator ----------------------------------------------------------------------------
$bin = is_executable("$root/target/release/gdms-sim") ? "$root/target/release/gdms-sim" : "$root/target/debug/gdms-sim";
$proc = proc_open([$bin, 'serve', '--port', '0', '--devices', '2', '--networks', '1'], [1 => ['pipe', 'w'], 2 => ['file', '/dev/null', 'a']], $pipes);
$sim = json_decode((string) fgets($pipes[1]), true)['uri'] ?? null;
if ($sim === null) {
    fwrite(STDERR, "cannot start $bin\n");
    exit(2);
}
$endpoint = "$url/plugins/gdmsintegration/front/chatwoot.php?entities_id=0";
$secret = 'acc-' . bin2hex(random_bytes(8));
$token = 'acc-token-' . bin2hex(random_bytes(8));
json('POST', "$sim/__chatwoot/setup", ['account_id' => 3, 'token' => $token, 'secret' => $secret, 'webhook_url' => $endpoint]);

// The entity's settings, kept to be restored.
$saved = rows('SELECT * FROM glpi_plugin_gdmsintegration_chatwootconfigs WHERE entities_id = 0');
$db->query('DELETE FROM glpi_plugin_gdmsintegration_chatwootconfigs WHERE entities_id = 0');
rows(
    "INSERT INTO glpi_plugin_gdmsintegration_chatwootconfigs (entities_id, is_active, base_url, account_id, api_token, webhook_secret, sync_type, ticket_type, users_id_followup)
     VALUES (0, 1, ?, 3, ?, ?, 'user', 2, 0)",
    [$sim, encrypt($token), encrypt($secret)]
);
$max = ['ticket' => (int) value('SELECT MAX(id) FROM glpi_tickets'), 'user' => (int) value('SELECT MAX(id) FROM glpi_users')];
$logs = [];
foreach (['php-errors.log', 'sql-errors.log'] as $log) {
    $logs[$log] = (int) @filesize("$glpi/files/_log/$log");
}

try {
    // --- Chatwoot -> GLPI ---------------------------------------------------------------------
    $email = 'acc-' . bin2hex(random_bytes(4)) . '@example.com';
    $c = json('POST', "$sim/__chatwoot/script", ['send' => true, 'steps' => [['op' => 'contact', 'name' => 'Ana María López', 'email' => $email, 'phone' => '+5215550001']]]);
    $v = json('POST', "$sim/__chatwoot/script", ['send' => true, 'steps' => [['op' => 'conversation', 'contact' => $c['ids'][0], 'content' => "Printer jammed\nE-42"]]]);
    $conv = $v['ids'][0];
    $rest = json('POST', "$sim/__chatwoot/script", ['send' => true, 'steps' => [
        ['op' => 'message', 'conversation' => $conv, 'type' => 'outgoing', 'sender' => 'Bob Agent', 'content' => 'Photo please'],
        ['op' => 'message', 'conversation' => $conv, 'content' => 'Here', 'attachments' => ['https://cw.example/p.jpg']],
        ['op' => 'message', 'conversation' => $conv, 'type' => 'outgoing', 'private' => true, 'content' => 'vendor case 77'],
        ['op' => 'status', 'conversation' => $conv, 'status' => 'pending'],
        ['op' => 'priority', 'conversation' => $conv, 'priority' => 'high'],
    ]]);
    $deliveries = array_merge($c['deliveries'], $v['deliveries'], $rest['deliveries']);
    $statuses = array_column($deliveries, 'sent_status');
    check('chatwoot: 9 signed deliveries answered 200/202 (' . implode(' ', $statuses) . ')', count($statuses) === 9 && array_diff($statuses, [200, 202]) === []);

    $ticket = rows('SELECT id, name, status, priority, type FROM glpi_tickets WHERE id > ? AND name LIKE ?', [$max['ticket'], "[Chatwoot #$conv]%"]);
    check('chatwoot: one ticket "[Chatwoot #' . $conv . '] Printer jammed", Pending, priority 4, type Request', count($ticket) === 1
        && $ticket[0]['name'] === "[Chatwoot #$conv] Printer jammed" && [(int) $ticket[0]['status'], (int) $ticket[0]['priority'], (int) $ticket[0]['type']] === [4, 4, 2], json_encode($ticket));
    $tid = (int) ($ticket[0]['id'] ?? 0);
    $user = rows('SELECT u.id, u.name, u.firstname, u.realname, u.phone FROM glpi_users u JOIN glpi_useremails e ON e.users_id = u.id WHERE e.email = ?', [$email]);
    check('chatwoot: the contact became a GLPI user (login = e-mail, first name, surname, phone)', count($user) === 1
        && [$user[0]['name'], $user[0]['firstname'], $user[0]['realname'], $user[0]['phone']] === [$email, 'Ana', 'María López', '+5215550001'], json_encode($user));
    check('chatwoot: the user is the requester', value('SELECT users_id FROM glpi_tickets_users WHERE tickets_id = ? AND type = 1', [$tid]) === (string) ($user[0]['id'] ?? ''));
    $fups = rows('SELECT is_private, content FROM glpi_itilfollowups WHERE itemtype = ? AND items_id = ? ORDER BY id', ['Ticket', $tid]);
    check('chatwoot: three followups, the note private, the attachment URL listed', array_map('intval', array_column($fups, 'is_private')) === [0, 0, 1]
        && str_contains($fups[1]['content'] ?? '', 'https://cw.example/p.jpg'), json_encode($fups));

    $replayed = [];
    foreach ($deliveries as $d) {
        $replayed[] = http('POST', $endpoint, $d['body'], $d['headers'])[0];
    }
    check('chatwoot: replayed deliveries answer 200/202 (' . implode(' ', $replayed) . ')', array_diff($replayed, [200, 202]) === []);
    check('chatwoot: replaying changed nothing (followups, tickets, status)', count(rows('SELECT id FROM glpi_itilfollowups WHERE items_id = ? AND itemtype = ?', [$tid, 'Ticket'])) === 3
        && value('SELECT COUNT(*) FROM glpi_tickets WHERE id > ?', [$max['ticket']]) === '1' && value('SELECT status FROM glpi_tickets WHERE id = ?', [$tid]) === '4');
    $reversed = [];
    foreach (array_reverse($deliveries) as $d) {
        $reversed[] = http('POST', $endpoint, $d['body'], $d['headers'])[0];
    }
    check('chatwoot: deliveries replayed newest first answer 200/202 and change nothing (status Pending, priority 4, 3 followups)',
        array_diff($reversed, [200, 202]) === [] && value('SELECT CONCAT(status, \'/\', priority) FROM glpi_tickets WHERE id = ?', [$tid]) === '4/4'
        && count(rows('SELECT id FROM glpi_itilfollowups WHERE items_id = ? AND itemtype = ?', [$tid, 'Ticket'])) === 3, implode(' ', $reversed));
    $forged = $deliveries[3];
    [$code, $out] = http('POST', $endpoint, str_replace('"content":"', '"content":"Pay now. ', $forged['body']), $forged['headers']);
    check("chatwoot: a forged delivery is refused with 401 (got $code $out)", $code === 401);

    // --- GLPI -> Chatwoot: a followup and a solution through GLPI's forms ----------------------
    $jar = tempnam(sys_get_temp_dir(), 'cwjar');
    [, $page] = http('GET', "$url/", '', [], $jar);
    preg_match('/name="_glpi_csrf_token" value="([^"]+)"/', $page, $m);
    $form = static fn(array $f): string => http_build_query($f);
    [$code] = http('POST', "$url/front/login.php", $form([
        '_glpi_csrf_token' => $m[1] ?? '', 'noAUTO' => 0, 'redirect' => '', 'submit' => '',
        'login_name' => getenv('GLPI_ADMIN_USER') ?: 'glpi', 'login_password' => getenv('GLPI_ADMIN_PASSWORD') ?: 'glpi',
    ]), ['Content-Type' => 'application/x-www-form-urlencoded'], $jar);
    check("glpi: logged in (HTTP $code)", $code === 302);
    $csrf = static function () use ($url, $tid, $jar): string {
        [, $p] = http('GET', "$url/front/ticket.form.php?id=$tid", '', [], $jar);
        preg_match('/name="_glpi_csrf_token" value="([^"]+)"/', $p, $m);
        return $m[1] ?? '';
    };
    [$code] = http('POST', "$url/front/itilfollowup.form.php", $form(['_glpi_csrf_token' => $csrf(), 'itemtype' => 'Ticket', 'items_id' => $tid,
        'content' => '<p>Open tray 2 &amp; remove the paper</p>', 'is_private' => 0, 'add' => 1]), ['Content-Type' => 'application/x-www-form-urlencoded'], $jar);
    check("glpi: public followup added through the form (HTTP $code)", $code === 302);
    [$code] = http('POST', "$url/front/itilsolution.form.php", $form(['_glpi_csrf_token' => $csrf(), 'itemtype' => 'Ticket', 'items_id' => $tid,
        'content' => '<p>Fuser replaced.</p>', 'add' => 1]), ['Content-Type' => 'application/x-www-form-urlencoded'], $jar);
    check("glpi: solution added through the form (HTTP $code)", $code === 302);
    [$code, $page] = http('GET', "$url/plugins/gdmsintegration/front/chatwootconfig.php", '', [], $jar);
    check("glpi: the Chatwoot settings page renders (HTTP $code), secrets not shown", $code === 200 && str_contains($page, 'gdms-chatwoot-config')
        && str_contains($page, 'front/chatwoot.php?entities_id=0') && !str_contains($page, $token) && !str_contains($page, $secret));
    preg_match('/name="_glpi_csrf_token" value="([^"]+)"/', $page, $m);
    [$code] = http('POST', "$url/plugins/gdmsintegration/front/chatwootconfig.php", $form(['_glpi_csrf_token' => $m[1] ?? '', 'entities_id' => 0, 'test_connection' => 1]),
        ['Content-Type' => 'application/x-www-form-urlencoded'], $jar);
    [, $page] = http('GET', "$url/plugins/gdmsintegration/front/chatwootconfig.php", '', [], $jar);
    @unlink($jar);
    check("glpi: \"Test connection\" through the extension leaves the Connected badge (HTTP $code)", $code === 302 && str_contains($page, 'bg-success ms-2 gdms-chatwoot-test'));
    $queued = rows('SELECT kind, itemtype FROM glpi_plugin_gdmsintegration_chatwootqueues WHERE tickets_id = ? ORDER BY id', [$tid]);
    check('glpi: followup, solution and resolution queued (' . json_encode($queued) . ')', count($queued) === 3);

    $web_user = getenv('GLPI_USER') ?: (posix_getpwuid((int) fileowner("$glpi/files"))['name'] ?? 'www-data');
    $cmd = 'cd ' . escapeshellarg($glpi) . ' && ' . (posix_geteuid() === 0 ? 'runuser -u ' . escapeshellarg($web_user) . ' -- ' : '') . 'php front/cron.php --force ChatwootSend 2>&1';
    exec($cmd, $cron_out, $cron_rc);
    check("glpi: php front/cron.php --force ChatwootSend (exit $cron_rc)", $cron_rc === 0, implode(' ', $cron_out));
    $calls = json('GET', "$sim/__chatwoot/received")['calls'] ?? [];
    $seen = array_map(static fn(array $x): string => $x['method'] . ' ' . basename($x['path']) . ' ' . $x['status'] . ' ' . ($x['body']['content'] ?? $x['body']['status'] ?? ''), $calls);
    check('chatwoot API: the connection test, then the followup, the solution and the resolution, once each (' . implode(' | ', $seen) . ')', $seen === [
        'GET search 200 ', 'POST messages 200 Open tray 2 & remove the paper', 'POST messages 200 Fuser replaced.', 'POST toggle_status 200 resolved',
    ]);
    exec($cmd);
    check('chatwoot API: a second run sends nothing', count(json('GET', "$sim/__chatwoot/received")['calls'] ?? []) === 4);

    $echoes = json('POST', "$sim/__chatwoot/outbox", [])['deliveries'] ?? [];
    $answers = [];
    foreach ($echoes as $d) {
        $answers[] = http('POST', $endpoint, $d['body'], $d['headers'])[0];
    }
    check('chatwoot: the echoes of what GLPI posted are accepted (' . implode(' ', $answers) . ')', count($answers) === 4 && array_diff($answers, [200, 202]) === []);
    check('chatwoot: and import nothing (4 followups, ticket Solved)', value('SELECT COUNT(*) FROM glpi_itilfollowups WHERE itemtype = ? AND items_id = ?', ['Ticket', $tid]) === '4'
        && value('SELECT status FROM glpi_tickets WHERE id = ?', [$tid]) === '5');

    // Contact mode: an external person becomes a GLPI Contact; the requester is its e-mail address.
    rows("UPDATE glpi_plugin_gdmsintegration_chatwootconfigs SET sync_type = 'contact' WHERE entities_id = 0");
    $email2 = 'acc-' . bin2hex(random_bytes(4)) . '@example.com';
    $c2 = json('POST', "$sim/__chatwoot/script", ['send' => true, 'steps' => [['op' => 'contact', 'name' => 'Carla Gómez Ruiz', 'email' => $email2]]]);
    $v2 = json('POST', "$sim/__chatwoot/script", ['send' => true, 'steps' => [['op' => 'conversation', 'contact' => $c2['ids'][0], 'content' => 'Invoice question']]]);
    $sent = array_column(array_merge($c2['deliveries'], $v2['deliveries']), 'sent_status');
    $contact = rows('SELECT name, firstname FROM glpi_contacts WHERE email = ?', [$email2]);
    check('chatwoot (contact mode): a GLPI Contact "Gómez Ruiz, Carla" (' . implode(' ', $sent) . ')', $sent === [200, 200, 200]
        && count($contact) === 1 && [$contact[0]['name'], $contact[0]['firstname']] === ['Gómez Ruiz', 'Carla'], json_encode($contact));
    $tid2 = (int) value('SELECT id FROM glpi_tickets WHERE id > ? AND name = ?', [$max['ticket'], '[Chatwoot #' . $v2['ids'][0] . '] Invoice question']);
    check('chatwoot (contact mode): the ticket\'s requester is the contact\'s e-mail address',
        value('SELECT alternative_email FROM glpi_tickets_users WHERE tickets_id = ? AND type = 1 AND users_id = 0', [$tid2]) === $email2);

    foreach ($logs as $log => $size) {
        $new = trim((string) @file_get_contents("$glpi/files/_log/$log", false, null, $size));
        check("glpi: no new entries in files/_log/$log", $new === '', substr($new, 0, 800));
    }
} finally {
    // --- Leave GLPI as it was -------------------------------------------------------------------
    $tickets = array_column(rows('SELECT id FROM glpi_tickets WHERE id > ? AND name LIKE ?', [$max['ticket'], '[Chatwoot #%']), 'id');
    foreach ($tickets as $id) {
        foreach (['glpi_itilfollowups', 'glpi_itilsolutions'] as $t) {
            rows("DELETE FROM $t WHERE itemtype = 'Ticket' AND items_id = ?", [$id]);
        }
        rows('DELETE FROM glpi_tickets_users WHERE tickets_id = ?', [$id]);
        rows('DELETE FROM glpi_tickets WHERE id = ?', [$id]);
    }
    rows("DELETE FROM glpi_contacts WHERE email LIKE 'acc-%@example.com'");
    foreach (array_column(rows('SELECT users_id FROM glpi_useremails WHERE users_id > ? AND email LIKE ?', [$max['user'], 'acc-%@example.com']), 'users_id') as $id) {
        foreach (['glpi_useremails', 'glpi_profiles_users'] as $t) {
            rows("DELETE FROM $t WHERE users_id = ?", [$id]);
        }
        rows('DELETE FROM glpi_users WHERE id = ?', [$id]);
    }
    foreach (['chatwootcontacts', 'chatwootconversations', 'chatwootmessages', 'chatwootqueues', 'chatwootconfigs'] as $t) {
        $db->query("DELETE FROM glpi_plugin_gdmsintegration_$t WHERE entities_id = 0");
    }
    foreach ($saved as $row) {
        $cols = array_keys($row);
        rows(sprintf('INSERT INTO glpi_plugin_gdmsintegration_chatwootconfigs (%s) VALUES (%s)', implode(', ', array_map(static fn($c) => "`$c`", $cols)), implode(', ', array_fill(0, count($cols), '?'))), array_values($row));
    }
    proc_terminate($proc);
}
echo "1..$n\n";
exit($failures > 0 ? 1 : 0);
