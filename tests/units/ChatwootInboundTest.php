<?php

declare(strict_types=1);

require_once __DIR__ . '/../support/ChatwootSim.php';

use PHPUnit\Framework\TestCase;

/**
 * Chatwoot conversations as GLPI tickets: deliveries made and signed by the
 * simulated Chatwoot, handed to front/chatwoot.php's handler.
 */
final class ChatwootInboundTest extends TestCase
{
    private ChatwootSim $cw;
    private int $bot;
    private int $category;

    protected function setUp(): void
    {
        global $DB;
        $DB = gdms_test_reset_database();
        plugin_gdmsintegration_install();
        $_SESSION = ['glpiactiveprofile' => ['config' => READ | UPDATE], 'glpiactiveentities' => [0]];
        $this->bot = (int) (new User())->add(['name' => 'chatwoot.bot']);
        $this->category = (int) (new ITILCategory())->add(['name' => 'Customer chat']);
        $this->cw = new ChatwootSim();
        $this->configure();
        // A webhook request carries no session.
        $_SESSION = [];
    }

    /** @param array<string, string> $overrides */
    private function configure(array $overrides = []): void
    {
        $this->assertTrue(PluginGdmsintegrationChatwootconfig::saveFromForm(0, $overrides + [
            'base_url' => $this->cw->uri(), 'account_id' => (string) ChatwootSim::ACCOUNT, 'api_token' => ChatwootSim::TOKEN,
            'webhook_secret' => $this->cw->secret, 'sync_type' => 'user', 'ticket_type' => (string) Ticket::DEMAND_TYPE,
            'itilcategories_id' => (string) $this->category, 'users_id_followup' => (string) $this->bot, 'is_active' => '1',
        ]));
    }

    /** The scripted conversation of the issue: contact, conversation, replies, a private note, an attachment, status and priority changes. */
    private function conversationScript(): array
    {
        return $this->cw->script([
            ['op' => 'contact', 'name' => 'Ana María López', 'email' => 'Ana.Lopez@example.com', 'phone' => '+5215550001'],
            ['op' => 'conversation', 'contact' => 101, 'content' => "My printer is jammed\nIt shows E-42"],
            ['op' => 'message', 'conversation' => 1, 'type' => 'outgoing', 'sender' => 'Bob Agent', 'content' => 'Can you send a photo?'],
            ['op' => 'message', 'conversation' => 1, 'type' => 'incoming', 'content' => 'Here it is', 'attachments' => ['https://cw.example/rails/photo-1.jpg']],
            ['op' => 'message', 'conversation' => 1, 'type' => 'outgoing', 'sender' => 'Bob Agent', 'private' => true, 'content' => 'Vendor case #77 opened'],
            ['op' => 'status', 'conversation' => 1, 'status' => 'pending'],
            ['op' => 'priority', 'conversation' => 1, 'priority' => 'high'],
            ['op' => 'status', 'conversation' => 1, 'status' => 'resolved'],
        ]);
    }

    /** @return array<string, mixed> */
    private function records(): array
    {
        global $DB;
        $rows = static function (string $table, array $columns) use ($DB): array {
            return array_values(iterator_to_array($DB->request(['SELECT' => $columns, 'FROM' => $table, 'ORDER' => 'id']), false));
        };
        return [
            // Users other than the followup author.
            'users'         => array_values(array_filter($rows('glpi_users', ['id', 'name', 'firstname', 'realname', 'phone']), fn(array $u): bool => (int) $u['id'] !== $this->bot)),
            'emails'        => $rows('glpi_useremails', ['users_id', 'email', 'is_default']),
            'tickets'       => $rows('glpi_tickets', ['id', 'entities_id', 'name', 'content', 'status', 'priority', 'type', 'itilcategories_id']),
            'requesters'    => $rows('glpi_tickets_users', ['tickets_id', 'users_id', 'type']),
            'followups'     => $rows('glpi_itilfollowups', ['id', 'items_id', 'content', 'is_private', 'users_id', 'date']),
            'links'         => $rows('glpi_plugin_gdmsintegration_chatwootcontacts', ['contact_id', 'itemtype', 'items_id']),
            'conversations' => $rows('glpi_plugin_gdmsintegration_chatwootconversations', ['conversation_id', 'tickets_id', 'status', 'priority']),
            'messages'      => $rows('glpi_plugin_gdmsintegration_chatwootmessages', ['message_id', 'itilfollowups_id', 'direction', 'role']),
            'queue'         => $rows('glpi_plugin_gdmsintegration_chatwootqueues', ['id']),
        ];
    }

    public function testAScriptedConversationProducesExactlyTheExpectedRecords(): void
    {
        $deliveries = $this->conversationScript();
        $this->assertSame(
            ['contact_created', 'conversation_created', 'message_created', 'message_created', 'message_created', 'message_created',
             'conversation_status_changed', 'message_created', 'conversation_updated', 'conversation_status_changed', 'message_created'],
            array_column($deliveries, 'event')
        );
        $statuses = [];
        foreach ($deliveries as $i => $d) {
            $r = ChatwootSim::deliver($d);
            $statuses[] = $r['status'];
            $ticket = $this->records()['tickets'][0] ?? null;
            if ($i === 6) {
                $this->assertSame(CommonITILObject::WAITING, (int) $ticket['status'], 'pending -> Pending');
            }
            if ($i === 8) {
                $this->assertSame(4, (int) $ticket['priority'], 'high -> 4');
            }
        }
        // The first message is the ticket's description (its message_created adds nothing); activity messages are ignored.
        $this->assertSame([200, 200, 200, 200, 200, 200, 200, 202, 200, 200, 202], $statuses);

        $r = $this->records();
        $user = (int) $r['users'][0]['id'];
        $this->assertEquals([
            ['id' => $user, 'name' => 'ana.lopez@example.com', 'firstname' => 'Ana', 'realname' => 'María López', 'phone' => '+5215550001'],
        ], $r['users']);
        $this->assertEquals([['users_id' => $user, 'email' => 'ana.lopez@example.com', 'is_default' => 1]], $r['emails']);
        $this->assertCount(1, $r['tickets']);
        $t = $r['tickets'][0];
        $this->assertSame('[Chatwoot #1] My printer is jammed', $t['name']);
        $this->assertMatchesRegularExpression('/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] Ana María López:<br>My printer is jammed<br>It shows E-42$/', $t['content']);
        $this->assertSame([0, CommonITILObject::SOLVED, 4, Ticket::DEMAND_TYPE, $this->category], [(int) $t['entities_id'], (int) $t['status'], (int) $t['priority'], (int) $t['type'], (int) $t['itilcategories_id']]);
        $this->assertEquals([['tickets_id' => (int) $t['id'], 'users_id' => $user, 'type' => CommonITILActor::REQUESTER]], $r['requesters']);

        $this->assertCount(3, $r['followups']);
        [$reply, $photo, $note] = $r['followups'];
        $this->assertStringContainsString('] Bob Agent:<br>Can you send a photo?', $reply['content']);
        $this->assertSame(0, (int) $reply['is_private']);
        $this->assertStringEndsWith('] Ana María López:<br>Here it is<br><br>Attachments:<br>- https://cw.example/rails/photo-1.jpg', $photo['content']);
        $this->assertSame(1, (int) $note['is_private'], 'a private note stays private');
        foreach ($r['followups'] as $f) {
            $this->assertSame([(int) $t['id'], $this->bot], [(int) $f['items_id'], (int) $f['users_id']]);
        }
        $this->assertEquals([['contact_id' => 101, 'itemtype' => 'User', 'items_id' => $user]], $r['links']);
        $this->assertEquals([['conversation_id' => 1, 'tickets_id' => (int) $t['id'], 'status' => 'resolved', 'priority' => 'high']], $r['conversations']);
        $this->assertSame(['description', 'followup', 'followup', 'followup'], array_column($r['messages'], 'role'));
        $this->assertSame([], $r['queue'], 'what came from Chatwoot is never sent back');
    }

    public function testReplayedDeliveriesChangeNothing(): void
    {
        $deliveries = $this->conversationScript();
        foreach ($deliveries as $d) {
            ChatwootSim::deliver($d);
        }
        $before = $this->records();
        foreach ([$deliveries, array_reverse($deliveries)] as $replay) {
            foreach ($replay as $d) {
                $r = ChatwootSim::deliver($d);
                $this->assertContains($r['status'], [200, 202], json_encode($r['body']));
                $this->assertSame([], $r['body']['changed'] ?? [], 'a replayed update changes nothing');
                $this->assertSame(0, $r['body']['followups_added'] ?? 0);
                $this->assertArrayNotHasKey('itilfollowups_id', $r['body']);
            }
            $this->assertSame($before, $this->records());
        }
    }

    public function testOutOfOrderMessagesStillYieldEveryFollowupOnce(): void
    {
        $deliveries = $this->cw->script([
            ['op' => 'contact', 'name' => 'Bo Chen', 'email' => 'bo@example.com'],
            ['op' => 'conversation', 'contact' => 101, 'content' => 'VPN is down'],
            ['op' => 'message', 'conversation' => 1, 'type' => 'outgoing', 'content' => 'Checking'],
            ['op' => 'message', 'conversation' => 1, 'type' => 'incoming', 'content' => 'Still down'],
            ['op' => 'message', 'conversation' => 1, 'type' => 'outgoing', 'content' => 'Restarted the gateway'],
            ['op' => 'message', 'conversation' => 1, 'type' => 'incoming', 'content' => 'Works, thanks'],
        ]);
        // Newest first, the conversation_created last, the contact never: every message still arrives once.
        $messages = array_values(array_filter($deliveries, static fn(array $d): bool => $d['event'] === 'message_created'));
        $created = array_values(array_filter($deliveries, static fn(array $d): bool => $d['event'] === 'conversation_created'));
        foreach (array_merge(array_reverse($messages), $created, $messages) as $d) {
            $r = ChatwootSim::deliver($d);
            $this->assertSame(200, $r['status'], json_encode($r['body']));
        }
        $r = $this->records();
        $this->assertCount(1, $r['tickets'], 'one ticket per conversation');
        $this->assertStringEndsWith('Works, thanks', $r['tickets'][0]['content'], 'the first delivery received opened the ticket');
        $texts = array_map(static fn(array $f): string => preg_replace('/^\[[^\]]+\] [^:]+:<br>/', '', $f['content']), $r['followups']);
        sort($texts);
        $this->assertSame(['Checking', 'Restarted the gateway', 'Still down', 'VPN is down'], $texts);
        $this->assertCount(5, $r['messages'], 'every message id stored once');
        $this->assertSame('bo@example.com', $r['users'][0]['name'], 'the requester came from the conversation meta');
    }

    public function testBadDeliveriesAreRefusedWithTheirStatusAndStoreNothing(): void
    {
        [$contact, $created] = $this->cw->script([
            ['op' => 'contact', 'name' => 'Eve', 'email' => 'eve@example.com'],
            ['op' => 'conversation', 'contact' => 101, 'content' => 'Hello'],
        ]);
        $stale = $this->cw->script([['op' => 'message', 'conversation' => 1, 'content' => 'late']], time() - 301)[0];
        $forged = $created;
        $forged['body'] = str_replace('Hello', 'Hallo', $created['body']);
        $other = new ChatwootSim('another-secret');
        $other->call('POST', '/__chatwoot/setup', ['account_id' => 99, 'secret' => $this->cw->secret]);
        $foreign = $other->script([['op' => 'contact', 'name' => 'Mallory'], ['op' => 'conversation', 'contact' => 101, 'content' => 'x']])[1];
        $unsigned = $created;
        unset($unsigned['headers']['x-chatwoot-signature'], $unsigned['headers']['x-chatwoot-timestamp']);
        $signedJunk = static function (string $body, string $secret): array {
            $ts = (string) time();
            return ['headers' => ['content-type' => 'application/json', 'x-chatwoot-timestamp' => $ts,
                'x-chatwoot-signature' => 'sha256=' . hash_hmac('sha256', "$ts.$body", $secret)], 'body' => $body];
        };
        $before = $this->records();
        $cases = [
            'bad signature'     => [ChatwootSim::deliver($forged), 401, 'invalid signature'],
            'no signature'      => [ChatwootSim::deliver($unsigned), 401, 'invalid signature'],
            'old timestamp'     => [ChatwootSim::deliver($stale), 401, 'timestamp outside the 5-minute window'],
            'malformed body'    => [ChatwootSim::deliver($signedJunk('{"event":', $this->cw->secret)), 400, 'body is not valid JSON'],
            'not an event'      => [ChatwootSim::deliver($signedJunk('{"id":4}', $this->cw->secret)), 400, 'no event name'],
            'unknown account'   => [ChatwootSim::deliver($foreign), 404, 'unknown account'],
            'unknown entity'    => [ChatwootSim::deliver($created, 5), 404, 'no active Chatwoot configuration for this entity'],
            'not json'          => [ChatwootSim::deliver(['headers' => ['content-type' => 'text/plain'] + $created['headers'], 'body' => $created['body']]), 415, 'Content-Type must be application/json'],
            'too large'         => [ChatwootSim::deliver(['headers' => $created['headers'], 'body' => str_repeat(' ', 65537)]), 413, 'body larger than 64 KiB'],
            'empty'             => [ChatwootSim::deliver(['headers' => $created['headers'], 'body' => '']), 400, 'empty body'],
            'method'            => [PluginGdmsintegrationChatwoot::handle('PUT', ['entities_id' => '0'], [], ''), 405, 'method not allowed'],
        ];
        foreach ($cases as $name => [$response, $status, $error]) {
            $this->assertSame([$status, $error], [$response['status'], $response['body']['error'] ?? null], $name);
        }
        $this->assertSame($before, $this->records(), 'nothing stored');
        $this->assertSame(200, ChatwootSim::deliver($contact)['status'], 'the genuine deliveries still work');
        $this->assertSame(200, ChatwootSim::deliver($created)['status']);
        $this->assertCount(1, $this->records()['tickets']);
    }

    public function testAContactUpdateUpdatesTheLinkedUserAndAnExistingUserIsReused(): void
    {
        $existing = (int) (new User())->add(['name' => 'dan.w', '_useremails' => [-1 => 'dan@example.com'], '_default_email' => -1]);
        [$created, $updated, $other] = $this->cw->script([
            ['op' => 'contact', 'name' => 'Eva Ruiz', 'email' => 'eva@example.com'],
            ['op' => 'contact_update', 'contact' => 101, 'name' => 'Eva Ruiz Soto', 'phone' => '+34600000000'],
            ['op' => 'contact', 'name' => 'Dan W', 'email' => 'Dan@Example.com'],
        ]);
        foreach ([$created, $updated, $updated, $other] as $d) {
            $this->assertSame(200, ChatwootSim::deliver($d)['status']);
        }
        $r = $this->records();
        $eva = array_values(array_filter($r['users'], static fn(array $u): bool => $u['name'] === 'eva@example.com'));
        $this->assertEquals([['firstname' => 'Eva', 'realname' => 'Ruiz Soto', 'phone' => '+34600000000']], array_map(static fn(array $u): array => array_intersect_key($u, array_flip(['firstname', 'realname', 'phone'])), $eva));
        $this->assertCount(2, $r['users'], 'Eva once; Dan is the existing user found by e-mail');
        $this->assertEquals([101, 102], array_column($r['links'], 'contact_id'));
        $this->assertEquals([(int) $eva[0]['id'], $existing], array_column($r['links'], 'items_id'));
    }

    public function testADeliveryRacingTheTicketCreationIsAskedToRetry(): void
    {
        global $DB;
        [, $created, $first] = $this->cw->script([['op' => 'contact', 'name' => 'Gil'], ['op' => 'conversation', 'contact' => 101, 'content' => 'Hi']]);
        // Another request has claimed the conversation and is creating its ticket.
        $DB->insert('glpi_plugin_gdmsintegration_chatwootconversations', ['entities_id' => 0, 'conversation_id' => 1, 'tickets_id' => 0]);
        $this->assertSame(503, ChatwootSim::deliver($first)['status']);
        $this->assertSame(503, ChatwootSim::deliver($created)['status']);
        $this->assertSame([], $this->records()['messages'], 'nothing claimed, so the retry is processed');
    }

    public function testTicketsGoToTheConfiguredEntity(): void
    {
        $_SESSION = ['glpiactiveprofile' => ['config' => READ | UPDATE], 'glpiactiveentities' => [0, 1]];
        $this->assertFalse(PluginGdmsintegrationChatwootconfig::saveFromForm(0, ['tickets_entity' => '7']), 'an entity out of reach is refused');
        $this->configure(['tickets_entity' => '1']);
        $_SESSION = [];
        foreach ($this->cw->script([['op' => 'contact', 'name' => 'Fer'], ['op' => 'conversation', 'contact' => 101, 'content' => 'Hi']]) as $d) {
            ChatwootSim::deliver($d);
        }
        $this->assertSame(1, (int) $this->records()['tickets'][0]['entities_id']);
    }

    public function testContactsAreSkippedWhenNotIdentifiableAndBecomeGlpiContactsInContactMode(): void
    {
        $_SESSION = ['glpiactiveprofile' => ['config' => READ | UPDATE], 'glpiactiveentities' => [0]];
        $this->configure(['sync_type' => 'contact']);
        $_SESSION = [];
        [$nobody, $carla, $conv] = $this->cw->script([
            ['op' => 'contact'],
            ['op' => 'contact', 'name' => 'Carla Gómez Ruiz', 'email' => 'carla@example.com', 'phone' => '+34910000000'],
            ['op' => 'conversation', 'contact' => 102, 'content' => 'Invoice question'],
        ]);
        $this->assertSame(202, ChatwootSim::deliver($nobody)['status']);
        $this->assertStringContainsString('contact 101 skipped: Contact not identifiable', (string) file_get_contents(GLPI_LOG_DIR . '/gdmsintegration.log'));
        $this->assertSame(200, ChatwootSim::deliver($carla)['status']);
        $this->assertSame(200, ChatwootSim::deliver($conv)['status']);
        global $DB;
        $contacts = array_values(iterator_to_array($DB->request(['SELECT' => ['name', 'firstname', 'email', 'phone'], 'FROM' => 'glpi_contacts']), false));
        $this->assertSame([['name' => 'Gómez Ruiz', 'firstname' => 'Carla', 'email' => 'carla@example.com', 'phone' => '+34910000000']], $contacts);
        $r = $this->records();
        $this->assertSame([], $r['users'], 'no GLPI user made in contact mode');
        $this->assertSame('carla@example.com', $DB->request(['FROM' => 'glpi_tickets_users'])->current()['alternative_email'], 'the requester is the contact\'s address');
    }
}
