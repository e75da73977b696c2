<?php

declare(strict_types=1);

use PHPUnit\Framework\TestCase;

/**
 * front/webhook.php as the cloud (or an attacker) calls it.
 */
final class WebhookTest extends TestCase
{
    private const MAC = 'c0:74:ad:aa:00:03';
    private const SECRET = 'whsec-demo-123';

    protected function setUp(): void
    {
        global $DB;
        $DB = gdms_test_reset_database();
        plugin_gdmsintegration_install();
        $_SESSION = ['glpicronuserrunning' => 'cron_SyncDevices', 'glpiactiveentities' => [0]];
        PluginGdmsintegrationConfig::saveFromForm(0, ['webhook_secret' => self::SECRET, 'wan_debounce_seconds' => '0']);
        (new NetworkEquipment())->add(['name' => 'AP hall', 'uuid' => self::MAC]);
        $snap = SnapshotBuilder::new()->network('1')
            ->gwnDevice('1', self::MAC, 'GWN7660', true, ['name' => 'Lobby AP', 'network_name' => 'Branch Monterrey', 'firmware' => '1.0.25.30']);
        PluginGdmsintegrationSync::applySnapshot(PluginGdmsintegrationConfig::getForEntity(0), $snap->build(), time() - 600);
        // A webhook request carries no session.
        $_SESSION = [];
    }

    private function post(string $body, ?string $signature = null, string $type = 'application/json', array $query = ['entities_id' => '0']): array
    {
        $headers = ['content-type' => $type, 'content-length' => (string) strlen($body)];
        if ($signature !== null) {
            $headers['x-gdms-signature'] = $signature;
        }
        return PluginGdmsintegrationWebhook::handle('POST', $query, $headers, $body);
    }

    private static function sign(string $body, string $secret = self::SECRET): string
    {
        return 'sha256=' . hash_hmac('sha256', $body, $secret);
    }

    private function ticketCount(): int
    {
        return countElementsInTable('glpi_tickets');
    }

    public function testGetIsAHealthCheck(): void
    {
        $r = PluginGdmsintegrationWebhook::handle('GET', [], [], '');
        $this->assertSame(200, $r['status']);
        $this->assertSame('{"status":"ok","plugin":"gdmsintegration","endpoint":"webhook"}', json_encode($r['body']));
    }

    public function testBadRequestsGetTheirStatusAndChangeNothing(): void
    {
        $before = $this->deviceRow();
        $body = '{"mac":"c0:74:ad:aa:00:03","status":"offline"}';
        $cases = [
            'method'          => [PluginGdmsintegrationWebhook::handle('PUT', [], [], $body), 405],
            'no body'         => [$this->post('', self::sign('')), 400],
            'huge body'       => [$this->post(str_repeat(' ', 65537) . $body, 'sha256=00'), 413],
            'not json type'   => [$this->post($body, self::sign($body), 'text/plain'), 415],
            'bad json'        => [$this->post('{"mac":', self::sign('{"mac":')), 400],
            'bad signature'   => [$this->post($body, self::sign($body, 'guess')), 401],
            'no signature'    => [$this->post($body), 401],
            'unknown status'  => [$this->post($b = '{"mac":"c0:74:ad:aa:00:03","status":"sideways"}', self::sign($b)), 400],
            'unknown device'  => [$this->post($b = '{"mac":"c0:74:ad:ff:ff:ff","status":"offline"}', self::sign($b)), 202],
            'unknown entity'  => [$this->post($body, self::sign($body), 'application/json', ['entities_id' => '7']), 404],
        ];
        foreach ($cases as $name => [$response, $status]) {
            $this->assertSame($status, $response['status'], $name . ': ' . json_encode($response['body']));
        }
        $this->assertSame('invalid signature', $cases['bad signature'][0]['body']['error'], 'no oracle: same answer with or without a header');
        $this->assertSame($cases['bad signature'][0]['body'], $cases['no signature'][0]['body']);
        $this->assertSame(0, $this->ticketCount());
        $this->assertSame($before, $this->deviceRow());
    }

    public function testASignedEventOpensAndSolvesLikeTheCronWithoutWipingStoredFields(): void
    {
        $off = '{"mac":"C0-74-AD-AA-00-03","status":"offline"}';
        $r = $this->post($off, self::sign($off));
        $this->assertSame(200, $r['status'], json_encode($r['body']));
        $this->assertSame(1, $r['body']['tickets_opened']);
        $row = $this->deviceRow();
        $this->assertSame('offline', $row['status']);
        $this->assertSame('Branch Monterrey', $row['network_name'], 'a webhook never wipes stored fields');
        $this->assertSame('1.0.25.30', $row['firmware']);
        $this->assertSame('Lobby AP', $row['name']);

        $this->post($off, self::sign($off));
        $this->assertSame(1, $this->ticketCount(), 'a repeated event opens nothing more');

        $on = '{"mac":"c0:74:ad:aa:00:03","status":"online"}';
        $r = $this->post($on, self::sign($on));
        $this->assertSame(1, $r['body']['tickets_resolved']);
        $ticket = new Ticket();
        $ticket->getFromDB((int) (new Ticket())->find([])[array_key_first((new Ticket())->find([]))]['id']);
        $this->assertSame(CommonITILObject::SOLVED, (int) $ticket->fields['status']);
    }

    public function testCronAndWebhookForTheSameOutageMakeOneTicket(): void
    {
        $off = '{"mac":"c0:74:ad:aa:00:03","status":"offline"}';
        $this->post($off, self::sign($off));
        $_SESSION = ['glpicronuserrunning' => 'cron_SyncDevices', 'glpiactiveentities' => [0]];
        $snap = SnapshotBuilder::new()->network('1')->gwnDevice('1', self::MAC, 'GWN7660', false, ['name' => 'Lobby AP']);
        PluginGdmsintegrationSync::applySnapshot(PluginGdmsintegrationConfig::getForEntity(0), $snap->build(), time() + 5);
        $this->assertSame(1, $this->ticketCount());
    }

    public function testAnUnsignedEventIsNeverTrustedItOnlyQueuesOneRepollAMinute(): void
    {
        PluginGdmsintegrationConfig::saveFromForm(0, ['_clear_webhook_secret' => '1']);
        $off = '{"mac":"c0:74:ad:aa:00:03","status":"offline"}';
        $first = $this->post($off);
        $second = $this->post($off);
        $this->assertSame([202, 'repoll queued'], [$first['status'], $first['body']['status']]);
        $this->assertSame([202, 'repoll already queued'], [$second['status'], $second['body']['status']]);
        $this->assertSame('online', $this->deviceRow()['status'], 'the unsigned event changed nothing');
        $this->assertSame(0, $this->ticketCount());
        $this->assertNotNull(PluginGdmsintegrationConfig::getForEntity(0)->fields['repoll_requested_at']);
    }

    /** @return array<string, mixed> */
    private function deviceRow(): array
    {
        global $DB;
        $row = $DB->request(['FROM' => 'glpi_plugin_gdmsintegration_devices', 'WHERE' => ['device_key' => self::MAC]])->current();
        unset($row['date_mod']);
        return $row;
    }

    public function testCronAndWebhookRacingOnTheSameOutageInTwoProcessesMakeOneTicket(): void
    {
        $start = microtime(true) + 1.5;
        $child = <<<'PHP'
            require getenv('GDMS_BOOTSTRAP');
            time_sleep_until((float) getenv('GDMS_START'));
            $config = PluginGdmsintegrationConfig::getForEntity(0);
            if (getenv('GDMS_ROLE') === 'cron') {
                $_SESSION = ['glpicronuserrunning' => 'cron_SyncDevices', 'glpiactiveentities' => [0]];
                $snap = SnapshotBuilder::new()->network('1')->gwnDevice('1', 'c0:74:ad:aa:00:03', 'GWN7660', false, ['name' => 'Lobby AP']);
                PluginGdmsintegrationSync::applySnapshot($config, $snap->build(), time());
            } else {
                $body = '{"mac":"c0:74:ad:aa:00:03","status":"offline"}';
                PluginGdmsintegrationWebhook::handle('POST', ['entities_id' => '0'], ['content-type' => 'application/json',
                    'x-gdms-signature' => 'sha256=' . hash_hmac('sha256', $body, 'whsec-demo-123')], $body);
            }
            echo 'done';
            PHP;
        $procs = [];
        foreach (['cron', 'webhook'] as $role) {
            $env = getenv() + ['GDMS_BOOTSTRAP' => dirname(__DIR__) . '/bootstrap.php', 'GDMS_START' => (string) $start,
                'GDMS_ROLE' => $role, 'GDMS_TEST_KEEP_DATABASE' => '1'];
            $procs[$role] = proc_open([PHP_BINARY, '-r', $child], [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, $env);
            $procs[$role] = [$procs[$role], $pipes];
        }
        foreach ($procs as $role => [$proc, $pipes]) {
            $out = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
            proc_close($proc);
            $this->assertStringEndsWith('done', trim($out), "$role process: $out");
        }
        $this->assertSame(1, $this->ticketCount(), 'one outage, one ticket, whoever came first');
        $this->assertSame(1, countElementsInTable('glpi_plugin_gdmsintegration_incidents', ['open_guard' => 1]));
    }
}
