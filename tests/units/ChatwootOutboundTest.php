<?php

declare(strict_types=1);

require_once __DIR__ . '/../support/ChatwootSim.php';

use PHPUnit\Framework\TestCase;

/**
 * GLPI replies back to Chatwoot: public followups and solutions of a linked
 * ticket are queued and posted by the ChatwootSend task to the simulated
 * Chatwoot's API; solving the ticket resolves the conversation; the
 * webhook echoes of what the plugin posted import nothing.
 */
final class ChatwootOutboundTest extends TestCase
{
    private ChatwootSim $cw;
    private int $ticket;

    protected function setUp(): void
    {
        global $DB;
        $DB = gdms_test_reset_database();
        plugin_gdmsintegration_install();
        $this->cw = new ChatwootSim();
        $this->configure();
        $_SESSION = [];
        foreach ($this->cw->script([
            ['op' => 'contact', 'name' => 'Ana López', 'email' => 'ana@example.com'],
            ['op' => 'conversation', 'contact' => 101, 'content' => 'Printer jammed'],
        ]) as $d) {
            $this->assertSame(200, ChatwootSim::deliver($d)['status']);
        }
        $this->ticket = (int) $DB->request(['SELECT' => ['id'], 'FROM' => 'glpi_tickets'])->current()['id'];
        // A technician works in GLPI.
        $_SESSION = ['glpiID' => 2, 'glpiname' => 'tech', 'glpiactiveprofile' => ['config' => READ | UPDATE, 'ticket' => ALLSTANDARDRIGHT], 'glpiactiveentities' => [0]];
    }

    private function configure(string $base_url = '', string $token = ChatwootSim::TOKEN): void
    {
        $_SESSION = ['glpiactiveprofile' => ['config' => READ | UPDATE], 'glpiactiveentities' => [0]];
        $this->assertTrue(PluginGdmsintegrationChatwootconfig::saveFromForm(0, [
            'base_url' => $base_url !== '' ? $base_url : $this->cw->uri(), 'account_id' => (string) ChatwootSim::ACCOUNT,
            'api_token' => $token, 'webhook_secret' => $this->cw->secret, 'is_active' => '1',
        ]));
    }

    private function runTask(): int
    {
        return CronTask::runByName(PluginGdmsintegrationChatwootqueue::class, PluginGdmsintegrationChatwootqueue::TASK_NAME);
    }

    /** @return list<array<string, mixed>> */
    private function queue(): array
    {
        global $DB;
        return array_values(iterator_to_array($DB->request(['FROM' => 'glpi_plugin_gdmsintegration_chatwootqueues', 'ORDER' => 'id']), false));
    }

    public function testAFollowupAndASolutionReachChatwootOnceAndTheConversationIsResolved(): void
    {
        (new ITILFollowup())->add(['itemtype' => 'Ticket', 'items_id' => $this->ticket, 'content' => '<p>Please open tray 2 &amp; remove the paper</p>']);
        (new ITILFollowup())->add(['itemtype' => 'Ticket', 'items_id' => $this->ticket, 'content' => '<p>internal: vendor called</p>', 'is_private' => 1]);
        (new ITILSolution())->add(['itemtype' => 'Ticket', 'items_id' => $this->ticket, 'content' => '<p>Fuser replaced.</p><p>Thanks for your patience</p>']);
        $this->assertSame(['ITILFollowup', 'Ticket', 'ITILSolution'], array_column($this->queue(), 'itemtype'), 'private followups stay in GLPI');

        $this->assertSame(1, $this->runTask());
        $calls = $this->cw->received();
        $path = '/api/v1/accounts/' . ChatwootSim::ACCOUNT . '/conversations/1';
        $this->assertSame([
            ['POST', "$path/messages", 'Please open tray 2 & remove the paper', 200],
            ['POST', "$path/messages", "Fuser replaced.\nThanks for your patience", 200],
            ['POST', "$path/toggle_status", null, 200],
        ], array_map(static fn(array $c): array => [$c['method'], $c['path'], $c['body']['content'] ?? null, $c['status']], $calls), 'replies first, then the resolution');
        $this->assertSame('resolved', $calls[2]['body']['status']);
        $this->assertSame(['outgoing', false], [$calls[0]['body']['message_type'], $calls[0]['body']['private']]);
        $this->assertSame(['sent', 'sent', 'sent'], array_column($this->queue(), 'state'));

        // Nothing is sent twice.
        $this->assertSame(0, $this->runTask());
        $this->assertCount(3, $this->cw->received());

        // Chatwoot's webhooks for what the plugin posted import nothing and queue nothing.
        $_SESSION = [];
        $followups = countElementsInTable('glpi_itilfollowups');
        $echoes = $this->cw->outbox();
        $this->assertSame(['message_created', 'message_created', 'conversation_status_changed', 'message_created'], array_column($echoes, 'event'));
        foreach ($echoes as $d) {
            $this->assertContains(ChatwootSim::deliver($d)['status'], [200, 202]);
        }
        $this->assertSame($followups, countElementsInTable('glpi_itilfollowups'));
        $this->assertCount(3, $this->queue());
        $ticket = new Ticket();
        $ticket->getFromDB($this->ticket);
        $this->assertSame(CommonITILObject::SOLVED, (int) $ticket->fields['status']);
    }

    public function testFailuresAreRetriedWithBackoffAndPermanentErrorsGiveUp(): void
    {
        $this->configure('http://127.0.0.1:9');
        $_SESSION['glpi_currenttime'] = '2026-03-01 10:00:00';
        (new ITILFollowup())->add(['itemtype' => 'Ticket', 'items_id' => $this->ticket, 'content' => 'Any news?']);
        $this->runTask();
        $row = $this->queue()[0];
        $this->assertSame(['pending', 1, '2026-03-01 10:01:00'], [$row['state'], (int) $row['attempts'], $row['next_attempt_at']]);
        $this->assertStringContainsString('cannot connect', $row['last_error']);

        $this->configure();
        $_SESSION['glpi_currenttime'] = '2026-03-01 10:00:30';
        $this->assertSame(0, $this->runTask(), 'not due before its backoff');
        $_SESSION['glpi_currenttime'] = '2026-03-01 10:01:00';
        $this->runTask();
        $this->assertSame('sent', $this->queue()[0]['state']);
        $this->assertCount(1, $this->cw->received());

        $this->configure('', 'wrong-token');
        (new ITILFollowup())->add(['itemtype' => 'Ticket', 'items_id' => $this->ticket, 'content' => 'Second']);
        $this->runTask();
        $row = $this->queue()[1];
        $this->assertSame(['failed', 1], [$row['state'], (int) $row['attempts']], 'a refused token is not retried');
        $this->assertStringNotContainsString('wrong-token', $row['last_error']);
    }

    public function testTicketsWithoutConversationAndDisabledConfigurationsSendNothing(): void
    {
        $other = (int) (new Ticket())->add(['name' => 'Phone call', 'content' => 'x', 'entities_id' => 0]);
        (new ITILFollowup())->add(['itemtype' => 'Ticket', 'items_id' => $other, 'content' => 'Not linked']);
        $_SESSION['glpiactiveprofile']['config'] = READ | UPDATE;
        PluginGdmsintegrationChatwootconfig::saveFromForm(0, ['is_active' => '0']);
        (new ITILFollowup())->add(['itemtype' => 'Ticket', 'items_id' => $this->ticket, 'content' => 'Disabled']);
        $this->assertSame([], $this->queue());
    }
}
