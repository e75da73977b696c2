<?php

declare(strict_types=1);

require_once dirname(__DIR__) . '/support/WebhookReceiver.php';

use PHPUnit\Framework\TestCase;

/**
 * Outgoing webhook subscriptions end to end: GLPI items saved through the
 * stand-in fire the plugin's hooks, rows are queued, the delivery cron hands
 * them to the real extension, which sends them to a real HTTP receiver on
 * loopback. Signatures are checked here with PHP's own HMAC.
 */
final class OutgoingWebhookTest extends TestCase
{
    private const T0 = 1767225600; // 2026-01-01 00:00:00 UTC
    private const AP = 'c0:74:ad:aa:00:03';

    private static ?WebhookReceiver $rx = null;

    /** @var array<int, string> subscription id => plain secret */
    private array $secrets = [];

    public static function setUpBeforeClass(): void
    {
        self::$rx = new WebhookReceiver();
    }

    public static function tearDownAfterClass(): void
    {
        self::$rx = null;
    }

    protected function setUp(): void
    {
        global $DB;
        $DB = gdms_test_reset_database();
        plugin_gdmsintegration_install();
        $_SESSION = ['glpiID' => 2, 'glpiname' => 'glpi', 'glpiactiveentities' => [0]];
        PluginGdmsintegrationSubscription::saveSettings(['outgoing_allow_private' => 1, 'outgoing_timeout_s' => 2]);
        $this->secrets = [];
    }

    private function subscribe(string $type, string $path, array $extra = []): int
    {
        $id = (int) (new PluginGdmsintegrationSubscription())->add(['name' => "$type hook", 'url' => self::$rx->url($path), 'event_type' => $type] + $extra);
        $this->assertGreaterThan(0, $id, "subscription $type saved");
        $secret = PluginGdmsintegrationSubscription::takeSecretToShow($id);
        $this->assertIsString($secret);
        $this->secrets[$id] = $secret;
        return $id;
    }

    private function path(): string
    {
        return '/t' . bin2hex(random_bytes(6));
    }

    /** @return list<array<string, mixed>> */
    private function receivedOn(string $path): array
    {
        return array_values(array_filter(self::$rx->received(), static fn(array $r): bool => $r['path'] === $path));
    }

    private function deliver(): int
    {
        return CronTask::runByName(PluginGdmsintegrationOutgoingdelivery::class, PluginGdmsintegrationOutgoingdelivery::TASK_DELIVER);
    }

    /** Standard Webhooks verification, written out with PHP's HMAC. */
    private static function signatureValid(string $secret, array $headers, string $body): bool
    {
        $key = base64_decode(substr($secret, strlen('whsec_')), true);
        $signed = $headers['webhook-id'] . '.' . $headers['webhook-timestamp'] . '.' . $body;
        $expected = 'v1,' . base64_encode(hash_hmac('sha256', $signed, (string) $key, true));
        foreach (explode(' ', $headers['webhook-signature'] ?? '') as $candidate) {
            if (hash_equals($expected, $candidate)) {
                return true;
            }
        }
        return false;
    }

    /** @return list<array<string, mixed>> */
    private static function rows(string $table, array $where = []): array
    {
        global $DB;
        return iterator_to_array($DB->request(['FROM' => $table, 'WHERE' => $where, 'ORDER' => 'id']), false);
    }

    private function ticket(string $name = 'Printer jammed', int $category = 0): int
    {
        return (int) (new Ticket())->add(['name' => $name, 'content' => '<p>Paper everywhere</p>', 'entities_id' => 0, 'itilcategories_id' => $category]);
    }

    public function testEveryTicketEventIsDeliveredWithItsPayloadAndAValidSignature(): void
    {
        $paths = [];
        $subs = [];
        foreach (PluginGdmsintegrationSubscription::TICKET_EVENTS as $type) {
            $paths[$type] = $this->path();
            $subs[$type] = $this->subscribe($type, $paths[$type]);
        }
        $tid = $this->ticket();
        $fid = (int) (new ITILFollowup())->add(['itemtype' => 'Ticket', 'items_id' => $tid, 'content' => '<p>On my way</p>']);
        $vid = (int) (new TicketValidation())->add(['tickets_id' => $tid, 'itemtype_target' => 'User', 'items_id_target' => 7, 'comment_submission' => 'May I?']);
        (new TicketValidation())->update(['id' => $vid, 'status' => CommonITILValidation::ACCEPTED, 'comment_validation' => 'Yes']);
        $sid = (int) (new ITILSolution())->add(['itemtype' => 'Ticket', 'items_id' => $tid, 'content' => '<p>Fixed</p>']);
        $this->assertCount(5, self::rows(PluginGdmsintegrationOutgoing::QUEUE), 'one queue row per event and subscription');
        $this->assertCount(5, self::rows(PluginGdmsintegrationOutgoing::EVENTS));

        $before = time();
        $this->assertSame(1, $this->deliver());
        $expected = [
            'TicketCreated'          => ['ticket.created', ['ticket_id' => $tid, 'subject' => 'Printer jammed', 'content' => '<p>Paper everywhere</p>']],
            'TicketFollowupAdded'    => ['ticket.followup_added', ['ticket_id' => $tid, 'followup_id' => $fid, 'content' => '<p>On my way</p>']],
            'TicketApprovalAdded'    => ['ticket.approval_added', ['approval_id' => $vid, 'ticket_id' => $tid, 'user_id' => 7, 'content' => 'May I?']],
            'TicketApprovalResolved' => ['ticket.approval_resolved', ['approval_id' => $vid, 'ticket_id' => $tid, 'user_id' => 7, 'content' => 'Yes', 'status' => 'approved']],
            'TicketSolved'           => ['ticket.solved', ['ticket_id' => $tid, 'solution_id' => $sid, 'content' => '<p>Fixed</p>', 'status' => 'accepted']],
        ];
        foreach ($expected as $type => [$topic, $data]) {
            $got = $this->receivedOn($paths[$type]);
            $this->assertCount(1, $got, $type);
            $req = $got[0];
            $this->assertSame('POST', $req['method']);
            $this->assertSame('application/json', $req['headers']['content-type']);
            $this->assertTrue(self::signatureValid($this->secrets[$subs[$type]], $req['headers'], $req['body']), "$type signature");
            $this->assertFalse(self::signatureValid($this->secrets[$subs['TicketCreated'] === $subs[$type] ? $subs['TicketSolved'] : $subs['TicketCreated']], $req['headers'], $req['body']), 'another secret does not verify');
            $this->assertEqualsWithDelta($before, (int) $req['headers']['webhook-timestamp'], 5);
            $env = json_decode($req['body'], true);
            $this->assertSame(['id', 'type', 'timestamp', 'data'], array_keys($env));
            $this->assertSame($req['headers']['webhook-id'], $env['id']);
            $this->assertSame($topic, $env['type']);
            $this->assertMatchesRegularExpression('/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/', $env['timestamp']);
            ksort($data);
            $this->assertSame($data, $env['data'], "$type data: the FPWebhook fields");
        }
        $this->assertSame(['delivered'], array_values(array_unique(array_column(self::rows(PluginGdmsintegrationOutgoing::QUEUE), 'state'))));
        $attempts = self::rows(PluginGdmsintegrationOutgoing::ATTEMPTS);
        $this->assertCount(5, $attempts, 'every attempt archived');
        $this->assertSame('200', (string) $attempts[0]['status']);
        $this->assertSame('answer 200', $attempts[0]['response']);
        $this->assertSame(0, $this->deliver(), 'nothing left to send');
    }

    public function testFiltersByCategoryAndTitleRegex(): void
    {
        $any = $this->path();
        $cat = $this->path();
        $re = $this->path();
        $both = $this->path();
        $this->subscribe('TicketCreated', $any);
        $this->subscribe('TicketCreated', $cat, ['itilcategories_id' => 4]);
        $this->subscribe('TicketCreated', $re, ['title_regex' => '^\[GDMS\] ']);
        $this->subscribe('TicketCreated', $both, ['itilcategories_id' => 4, 'title_regex' => 'Router']);
        $this->ticket('[GDMS] Router down', 4);
        $this->ticket('[GDMS] router down', 5);
        $this->ticket('Printer', 4);
        $this->deliver();
        // Different tickets are different chains: sent concurrently, in any order.
        $subjects = function (string $p): array {
            $s = array_map(static fn($r) => json_decode($r['body'], true)['data']['subject'], $this->receivedOn($p));
            sort($s);
            return $s;
        };
        $this->assertSame(['Printer', '[GDMS] Router down', '[GDMS] router down'], $subjects($any));
        $this->assertSame(['Printer', '[GDMS] Router down'], $subjects($cat));
        $this->assertSame(['[GDMS] Router down', '[GDMS] router down'], $subjects($re));
        $this->assertSame(['[GDMS] Router down'], $subjects($both), 'case-sensitive, both filters');
    }

    public function testSubscriptionsAreValidatedAndTheSecretIsShownOnceAndStoredEncrypted(): void
    {
        $sub = new PluginGdmsintegrationSubscription();
        $this->assertFalse($sub->add(['name' => 'x', 'url' => self::$rx->url(), 'event_type' => 'TicketCreated', 'title_regex' => '(']));
        $this->assertFalse($sub->add(['name' => 'x', 'url' => 'ftp://example.com/', 'event_type' => 'TicketCreated']));
        $this->assertFalse($sub->add(['name' => 'x', 'url' => self::$rx->url(), 'event_type' => 'WanDown', 'itilcategories_id' => 3]));
        $this->assertFalse($sub->add(['name' => '', 'url' => self::$rx->url(), 'event_type' => 'TicketCreated']));
        $this->assertFalse($sub->add(['name' => 'x', 'url' => self::$rx->url(), 'event_type' => 'Nope']));
        PluginGdmsintegrationSubscription::saveSettings(['outgoing_allow_private' => 0]);
        $this->assertFalse($sub->add(['name' => 'x', 'url' => self::$rx->url(), 'event_type' => 'TicketCreated']), 'loopback refused by default');
        $this->assertSame(0, countElementsInTable(PluginGdmsintegrationSubscription::TABLE));
        $this->assertNotEmpty($_SESSION['MESSAGE_AFTER_REDIRECT'][ERROR]);
        PluginGdmsintegrationSubscription::saveSettings(['outgoing_allow_private' => 1]);

        $id = (int) $sub->add(['name' => 'ok', 'url' => self::$rx->url(), 'event_type' => 'TicketCreated', 'title_regex' => 'a|b']);
        $plain = PluginGdmsintegrationSubscription::takeSecretToShow($id);
        $this->assertMatchesRegularExpression('/^whsec_[A-Za-z0-9+\/]{43}=$/', (string) $plain);
        $this->assertNull(PluginGdmsintegrationSubscription::takeSecretToShow($id), 'shown once');
        $row = PluginGdmsintegrationSubscription::row($id);
        $this->assertStringNotContainsString((string) $plain, json_encode($row));
        $this->assertSame($plain, (new GLPIKey())->decrypt($row['secret']));
        $this->assertTrue($sub->update(['id' => $id, 'secret' => 'whsec_forged', 'failures' => 9, 'name' => 'renamed']));
        $row = PluginGdmsintegrationSubscription::row($id);
        $this->assertSame('renamed', $row['name']);
        $this->assertSame($plain, (new GLPIKey())->decrypt($row['secret']), 'a form cannot set the secret');
        $this->assertSame('0', (string) $row['failures']);
        $this->assertFalse($sub->update(['id' => $id, 'title_regex' => '(a']), 'invalid pattern refused on update');
        $this->assertSame('a|b', PluginGdmsintegrationSubscription::row($id)['title_regex'], 'nothing changed');
    }

    public function testRotationSignsWithBothSecretsDuringTheGracePeriod(): void
    {
        $path = $this->path();
        $id = $this->subscribe('TicketCreated', $path);
        $old = $this->secrets[$id];
        $new = PluginGdmsintegrationSubscription::rotateSecret($id);
        $this->assertNotSame($old, $new);
        $this->ticket();
        $this->deliver();
        $req = $this->receivedOn($path)[0];
        $this->assertCount(2, explode(' ', $req['headers']['webhook-signature']));
        $this->assertTrue(self::signatureValid($new, $req['headers'], $req['body']));
        $this->assertTrue(self::signatureValid($old, $req['headers'], $req['body']));
    }

    public function testOutcomes410DeactivatesAndOtherFailuresAreRetriedWithBackoff(): void
    {
        $gone = $this->subscribe('TicketCreated', '/status/410');
        $bad = $this->subscribe('TicketCreated', '/status/400');
        $boom = $this->subscribe('TicketCreated', '/status/503/big');
        $moved = $this->subscribe('TicketCreated', '/status/302');
        // The slow receiver runs apart: a `php -S` worker sleeping on one request holds the others it accepted.
        $slow_rx = new WebhookReceiver();
        $slow = (int) (new PluginGdmsintegrationSubscription())->add(['name' => 'slow', 'url' => $slow_rx->url('/status/200/delay/4000'), 'event_type' => 'TicketCreated']);
        $this->ticket();
        $before = time();
        $this->deliver();
        $queue = [];
        foreach (self::rows(PluginGdmsintegrationOutgoing::QUEUE) as $q) {
            $queue[(int) $q['subscriptions_id']] = $q;
        }
        foreach ([$gone => 410, $bad => 400, $boom => 503, $moved => 302, $slow => 0] as $sid => $status) {
            $q = $queue[$sid];
            $this->assertSame('pending', $q['state'], "sub $sid kept for a retry");
            $this->assertSame('1', (string) $q['attempts']);
            $this->assertSame((string) $status, (string) $q['last_status'], "sub $sid: " . $q['last_error']);
            $wait = strtotime($q['next_attempt_at'] . ' UTC') - $before;
            $this->assertGreaterThanOrEqual(50, $wait, "sub $sid: first retry about a minute later");
            $this->assertLessThanOrEqual(70, $wait);
        }
        $this->assertStringContainsString('timeout', $queue[$slow]['last_error']);
        $this->assertSame([], $this->receivedOn('/redirected'), 'redirects are not followed');
        $archived = self::rows(PluginGdmsintegrationOutgoing::ATTEMPTS, ['subscriptions_id' => $boom]);
        $this->assertSame(4096, strlen($archived[0]['response']), 'first 4 KiB of the response');

        $this->assertSame('0', (string) PluginGdmsintegrationSubscription::row($gone)['is_active']);
        $this->assertSame('gone', PluginGdmsintegrationSubscription::row($gone)['deactivation_reason']);
        $this->assertSame('1', (string) PluginGdmsintegrationSubscription::row($bad)['is_active']);
        $this->assertSame('1', (string) PluginGdmsintegrationSubscription::row($bad)['failures']);
        $this->ticket('Another');
        $this->assertSame(4, countElementsInTable(PluginGdmsintegrationOutgoing::QUEUE, ['state' => 'pending', 'attempts' => 0]), 'a deactivated subscription gets no new events');
    }

    public function testConsecutiveFailuresPastTheThresholdDeactivate(): void
    {
        PluginGdmsintegrationSubscription::saveSettings(['outgoing_failure_threshold' => 3]);
        $sid = $this->subscribe('TicketCreated', '/status/500');
        for ($i = 0; $i < 3; $i++) {
            $this->ticket("T$i");
        }
        $this->deliver(); // three chains (one per ticket), three failures
        $row = PluginGdmsintegrationSubscription::row($sid);
        $this->assertSame('0', (string) $row['is_active']);
        $this->assertSame('max_failures', $row['deactivation_reason']);
        $this->assertSame('3', (string) $row['failures']);
        PluginGdmsintegrationSubscription::resume($sid);
        $this->assertSame('0', (string) PluginGdmsintegrationSubscription::row($sid)['failures']);
    }

    public function testNothingIsLostWhileTheReceiverIsDownAndOrderHoldsPerTicket(): void
    {
        global $DB;
        $down = new WebhookReceiver(null, false);
        $id = (int) (new PluginGdmsintegrationSubscription())->add(['name' => 'down', 'url' => $down->url('/hook'), 'event_type' => 'TicketFollowupAdded']);
        $tid = $this->ticket();
        foreach (['one', 'two', 'three'] as $text) {
            (new ITILFollowup())->add(['itemtype' => 'Ticket', 'items_id' => $tid, 'content' => $text]);
        }
        $this->deliver();
        $q = self::rows(PluginGdmsintegrationOutgoing::QUEUE);
        $this->assertSame(['1', '0', '0'], array_map(static fn($r) => (string) $r['attempts'], $q), 'the head failed, the others wait behind it');
        $this->deliver();
        $this->assertSame('1', (string) self::rows(PluginGdmsintegrationOutgoing::QUEUE)[0]['attempts'], 'backoff: not retried at once');

        $down->start();
        $DB->update(PluginGdmsintegrationOutgoing::QUEUE, ['next_attempt_at' => gmdate('Y-m-d H:i:s', time() - 1)], ['subscriptions_id' => $id]);
        $this->deliver();
        $this->assertSame(['delivered'], array_values(array_unique(array_column(self::rows(PluginGdmsintegrationOutgoing::QUEUE), 'state'))));
        $texts = array_map(static fn($r) => json_decode($r['body'], true)['data']['content'], $down->received());
        $this->assertSame(['one', 'two', 'three'], $texts, 'all delivered, in order');
    }

    public function testAFailingReceiverNeverStarvesTheOthers(): void
    {
        PluginGdmsintegrationSubscription::saveSettings(['outgoing_batch' => 3]);
        $this->subscribe('TicketFollowupAdded', '/status/500');
        $tid = $this->ticket();
        for ($i = 0; $i < 6; $i++) {
            (new ITILFollowup())->add(['itemtype' => 'Ticket', 'items_id' => $tid, 'content' => "f$i"]);
        }
        $this->deliver(); // the failing chain's head is tried once and backs off
        $ok = $this->path();
        $this->subscribe('TicketCreated', $ok);
        $this->ticket('Later ticket');
        $this->deliver();
        $this->assertCount(1, $this->receivedOn($ok), 'the rows waiting behind a failing head take no room in the batch');
        $this->assertSame(1, countElementsInTable(PluginGdmsintegrationOutgoing::ATTEMPTS, ['status' => 500]), 'the failing head was not retried before its backoff');
    }

    public function testATicketIsSavedEvenWhenTheQueueInsertFails(): void
    {
        global $DB;
        $this->subscribe('TicketCreated', $this->path());
        $DB->doQuery('DROP TABLE `' . PluginGdmsintegrationOutgoing::QUEUE . '`');
        $tid = $this->ticket('Saved anyway');
        $this->assertGreaterThan(0, $tid);
        $t = new Ticket();
        $this->assertTrue($t->getFromDB($tid));
        $this->assertSame('Saved anyway', $t->fields['name']);
        $this->assertSame(0, countElementsInTable(PluginGdmsintegrationOutgoing::EVENTS), 'the event row was rolled back with the failed queue insert');
        $log = (string) file_get_contents(GLPI_LOG_DIR . '/gdmsintegration.log');
        $this->assertStringContainsString('Outgoing webhook event TicketCreated not queued', $log);
    }

    public function testDeviceEventsOfASyncCycleAreQueuedAndDelivered(): void
    {
        $path = $this->path();
        $this->subscribe('DeviceOffline', $path, ['title_regex' => '^Lobby']);
        $this->subscribe('DeviceOnline', $this->path(), ['title_regex' => '^Nope']);
        $_SESSION = ['glpicronuserrunning' => 'cron_SyncDevices', 'glpiname' => 'cron', 'glpiactiveentities' => [0]];
        PluginGdmsintegrationConfig::saveFromForm(0, ['refresh_interval' => '300', 'users_id_requester' => '0', 'wan_debounce_seconds' => '0']);
        $fleet = static fn(bool $up) => SnapshotBuilder::new()->network('1')->uc()
            ->gwnDevice('1', self::AP, 'GWN7660', $up, ['name' => 'Lobby AP']);
        PluginGdmsintegrationSync::applySnapshot(PluginGdmsintegrationConfig::getForEntity(0), $fleet(true)->build(), self::T0);
        PluginGdmsintegrationSync::applySnapshot(PluginGdmsintegrationConfig::getForEntity(0), $fleet(false)->build(), self::T0 + 300);
        PluginGdmsintegrationSync::applySnapshot(PluginGdmsintegrationConfig::getForEntity(0), $fleet(true)->build(), self::T0 + 600);
        $this->assertSame(1, countElementsInTable(PluginGdmsintegrationOutgoing::QUEUE), 'offline queued; online filtered out by its regex');
        $this->deliver();
        $got = $this->receivedOn($path);
        $this->assertCount(1, $got);
        $env = json_decode($got[0]['body'], true);
        $this->assertSame('device.offline', $env['type']);
        $this->assertSame(self::AP, $env['data']['device_key']);
        $this->assertSame('Lobby AP', $env['data']['name']);
        $this->assertSame(self::T0 + 300, $env['data']['observed_at']);
        $this->assertSame('2026-01-01T00:05:00Z', $env['timestamp']);
    }

    public function testReplayTestEventPauseResumeAndCleanup(): void
    {
        global $DB;
        $path = $this->path();
        $sid = $this->subscribe('TicketCreated', $path);
        $this->ticket();
        $this->deliver();
        $qid = (int) self::rows(PluginGdmsintegrationOutgoing::QUEUE)[0]['id'];
        $attempt = PluginGdmsintegrationOutgoingdelivery::replay($qid);
        $this->assertSame('delivered', $attempt['outcome']);
        $got = $this->receivedOn($path);
        $this->assertCount(2, $got);
        $this->assertSame($got[0]['headers']['webhook-id'], $got[1]['headers']['webhook-id'], 'same message id on replay');

        $test = PluginGdmsintegrationOutgoingdelivery::sendTest($sid);
        $this->assertSame(200, $test['status']);
        $this->assertSame('webhook.test', json_decode($this->receivedOn($path)[2]['body'], true)['type']);

        PluginGdmsintegrationSubscription::pause($sid);
        $this->ticket('While paused');
        $this->assertSame(0, $this->deliver(), 'paused: queued, not sent');
        $this->assertSame(1, countElementsInTable(PluginGdmsintegrationOutgoing::QUEUE, ['state' => 'pending']));
        PluginGdmsintegrationSubscription::resume($sid);
        $this->assertSame(1, $this->deliver(), 'resumed: the queued event goes out');
        $this->assertCount(4, $this->receivedOn($path));

        $this->assertSame(4, count(PluginGdmsintegrationOutgoingdelivery::log($sid)));
        $this->assertCount(0, PluginGdmsintegrationOutgoingdelivery::log($sid, ['outcome' => 'retry']));
        $this->assertSame(0, PluginGdmsintegrationOutgoingdelivery::cleanup(time()), 'all within retention');
        $old = gmdate('Y-m-d H:i:s', time() - 40 * DAY_TIMESTAMP);
        $DB->update(PluginGdmsintegrationOutgoing::ATTEMPTS, ['sent_at' => $old], ['id' => ['>', 0]]);
        $DB->update(PluginGdmsintegrationOutgoing::QUEUE, ['date_mod' => $old], ['id' => ['>', 0]]);
        $DB->update(PluginGdmsintegrationOutgoing::EVENTS, ['date_creation' => $old], ['id' => ['>', 0]]);
        $this->assertGreaterThan(0, PluginGdmsintegrationOutgoingdelivery::cleanup(time()));
        $this->assertSame(0, countElementsInTable(PluginGdmsintegrationOutgoing::ATTEMPTS));
        $this->assertSame(0, countElementsInTable(PluginGdmsintegrationOutgoing::QUEUE));
        $this->assertSame(0, countElementsInTable(PluginGdmsintegrationOutgoing::EVENTS));
    }

    public function testPagesListSearchFormSecretOnceAndOperatorActions(): void
    {
        $_SESSION['glpiactiveprofile'] = ['config' => READ | UPDATE];
        $url = self::$rx->url($this->path());
        $redirect = PluginGdmsintegrationSubscriptionui::handlePost(['add' => 1, 'name' => 'Pager', 'url' => $url, 'event_type' => 'WanDown', 'title_regex' => '^GW']);
        $id = (int) PluginGdmsintegrationSubscription::row(1)['id'];
        $this->assertSame(PluginGdmsintegrationSubscriptionui::FORM_URL . '?id=' . $id, $redirect);

        ob_start();
        PluginGdmsintegrationSubscriptionui::showForm($id, []);
        $first = (string) ob_get_clean();
        $this->assertMatchesRegularExpression('/value="whsec_[^"]+" readonly/', $first, 'the secret, once, with a copy button');
        $this->assertStringContainsString('gdms-secret-copy', $first);
        $this->assertStringContainsString('_glpi_csrf_token', $first);
        ob_start();
        PluginGdmsintegrationSubscriptionui::showForm($id, []);
        $this->assertStringNotContainsString('whsec_', (string) ob_get_clean(), 'never shown again');

        PluginGdmsintegrationSubscriptionui::handlePost(['id' => $id, 'test' => 1]);
        PluginGdmsintegrationSubscriptionui::handlePost(['id' => $id, 'pause' => 1]);
        $this->assertSame('paused', PluginGdmsintegrationSubscription::row($id)['deactivation_reason']);
        PluginGdmsintegrationSubscriptionui::handlePost(['id' => $id, 'update' => 1, 'name' => 'Pager 2', 'url' => $url, 'event_type' => 'WanDown', 'title_regex' => '(']);
        $this->assertSame('Pager', PluginGdmsintegrationSubscription::row($id)['name'], 'an invalid pattern changes nothing');
        PluginGdmsintegrationSubscriptionui::handlePost(['id' => $id, 'resume' => 1]);
        $this->assertSame('1', (string) PluginGdmsintegrationSubscription::row($id)['is_active']);

        ob_start();
        PluginGdmsintegrationSubscriptionui::showForm($id, ['outcome' => 'delivered']);
        $page = (string) ob_get_clean();
        $this->assertStringContainsString('Delivery log', $page);
        $this->assertStringContainsString('name="replay"', $page);

        (new PluginGdmsintegrationSubscription())->add(['name' => 'Chat', 'url' => $url, 'event_type' => 'TicketCreated']);
        ob_start();
        PluginGdmsintegrationSubscriptionui::showList(['q' => 'Pag']);
        $list = (string) ob_get_clean();
        $this->assertStringContainsString('>Pager<', $list);
        $this->assertStringNotContainsString('>Chat<', $list, 'search by name');
        ob_start();
        PluginGdmsintegrationSubscriptionui::showList(['event_type' => 'TicketCreated']);
        $list = (string) ob_get_clean();
        $this->assertStringContainsString('>Chat<', $list);
        $this->assertStringNotContainsString('>Pager<', $list, 'filter by event');

        PluginGdmsintegrationSubscriptionui::handlePost(['save_settings' => 1, 'outgoing_retention_days' => '7', 'outgoing_timeout_s' => '999']);
        $settings = PluginGdmsintegrationSubscription::settings();
        $this->assertSame(7, $settings['outgoing_retention_days']);
        $this->assertSame(60, $settings['outgoing_timeout_s'], 'clamped');
        $this->assertSame(0, $settings['outgoing_allow_private'], 'an unchecked box turns it off');

        $this->assertGreaterThan(0, countElementsInTable(PluginGdmsintegrationOutgoing::QUEUE, ['subscriptions_id' => $id]));
        $this->assertSame(PluginGdmsintegrationSubscriptionui::LIST_URL, PluginGdmsintegrationSubscriptionui::handlePost(['id' => $id, 'purge' => 1]));
        $this->assertSame([], PluginGdmsintegrationSubscription::row($id));
        $this->assertSame(0, countElementsInTable(PluginGdmsintegrationOutgoing::QUEUE, ['subscriptions_id' => $id]), 'its deliveries go with it');
        $this->assertSame(0, countElementsInTable(PluginGdmsintegrationOutgoing::ATTEMPTS, ['subscriptions_id' => $id]));
    }
}
