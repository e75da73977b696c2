<?php

declare(strict_types=1);

use PHPUnit\Framework\TestCase;

/**
 * The engine's plan applied through GLPI: assets, tickets, followups,
 * solutions, plugin tables. Snapshots are built by hand; the plan comes from
 * the real extension; the database is MariaDB.
 */
final class SyncApplyTest extends TestCase
{
    private const T0 = 1767225600; // 2026-01-01 00:00:00 UTC
    private const ROUTER = 'c0:74:ad:aa:00:01';
    private const AP = 'c0:74:ad:aa:00:03';
    private const PHONE = 'c0:74:ad:12:34:56';

    private PluginGdmsintegrationConfig $config;
    private int $tech;
    private int $user;

    protected function setUp(): void
    {
        global $DB;
        $DB = gdms_test_reset_database();
        plugin_gdmsintegration_install();
        $_SESSION = ['glpicronuserrunning' => 'cron_SyncDevices', 'glpiname' => 'cron', 'glpiactiveentities' => [0]];
        PluginGdmsintegrationConfig::saveFromForm(0, ['refresh_interval' => '300', 'users_id_requester' => '0', 'wan_debounce_seconds' => '0']);
        $this->config = PluginGdmsintegrationConfig::getForEntity(0);
        $this->tech = (int) (new User())->add(['name' => 'tech.ana']);
        $this->user = (int) (new User())->add(['name' => 'desk.bob']);
        (new NetworkEquipmentModel())->add(['name' => 'GWN7660']);
    }

    private function cycle(SnapshotBuilder $snap, int $at): array
    {
        return PluginGdmsintegrationSync::applySnapshot(PluginGdmsintegrationConfig::getForEntity(0), $snap->build(), $at);
    }

    private function fleet(bool $ap_online, bool $complete = true): SnapshotBuilder
    {
        return SnapshotBuilder::new()->network('1', $complete)->uc()
            ->gwnDevice('1', self::AP, 'GWN7660', $ap_online, ['name' => 'Lobby AP', 'serial' => '30xyzW9876543210'])
            ->ucDevice(self::PHONE, 'GRP2612W', true, ['name' => 'Reception phone']);
    }

    /** @return list<array<string, mixed>> */
    private function tickets(): array
    {
        global $DB;
        return iterator_to_array($DB->request(['FROM' => 'glpi_tickets', 'ORDER' => 'id']), false);
    }

    public function testFirstCycleCreatesAssetsOnceAndMatchesThemAfterwards(): void
    {
        $this->cycle($this->fleet(true), self::T0);
        $this->cycle($this->fleet(true), self::T0 + 300);

        $ne = (new NetworkEquipment())->find([]);
        $phones = (new Phone())->find([]);
        $this->assertCount(1, $ne);
        $this->assertCount(1, $phones);
        $ap = reset($ne);
        $this->assertSame('Lobby AP', $ap['name']);
        $this->assertSame('30xyzW9876543210', $ap['serial'], 'serial kept as the cloud wrote it');
        $this->assertSame(self::AP, $ap['uuid']);
        $this->assertSame('1', (string) $ap['networkequipmentmodels_id'], 'model from the catalog');
        $this->assertSame([], $this->tickets());
        $this->assertSame(2, countElementsInTable('glpi_plugin_gdmsintegration_devices'));
        $this->assertSame(4, countElementsInTable('glpi_plugin_gdmsintegration_samples'));
    }

    public function testAnExistingAssetIsMatchedAndOnlyItsEmptyFieldsAreFilled(): void
    {
        $id = (new NetworkEquipment())->add(['name' => 'AP hall (named by admin)', 'serial' => '', 'uuid' => 'C0-74-AD-AA-00-03', 'comment' => 'keep me']);
        $this->cycle($this->fleet(true), self::T0);
        $ap = new NetworkEquipment();
        $ap->getFromDB($id);
        $this->assertSame('AP hall (named by admin)', $ap->fields['name'], 'name never overwritten');
        $this->assertSame('keep me', $ap->fields['comment']);
        $this->assertSame('30xyzW9876543210', $ap->fields['serial'], 'empty serial filled');
        $this->assertSame('C0-74-AD-AA-00-03', $ap->fields['uuid'], 'uuid kept as the admin wrote it');
        $this->assertCount(1, (new NetworkEquipment())->find([]), 'no duplicate created');
    }

    public function testOfflineOpensOneAssignedTicketAndOnlineSolvesIt(): void
    {
        $id = (new NetworkEquipment())->add(['name' => 'AP hall', 'uuid' => self::AP, 'users_id_tech' => $this->tech, 'users_id' => $this->user, 'locations_id' => 4]);
        $this->cycle($this->fleet(true), self::T0);
        $this->cycle($this->fleet(false), self::T0 + 300);
        $this->cycle($this->fleet(false), self::T0 + 600);

        $tickets = $this->tickets();
        $this->assertCount(1, $tickets, 'one ticket for one outage, however many cycles');
        $t = new Ticket();
        $t->getFromDB($tickets[0]['id']);
        $this->assertSame('[GDMS] Device Offline: AP hall', $t->fields['name'], 'title uses the GLPI asset name');
        $this->assertSame(CommonITILObject::ASSIGNED, (int) $t->fields['status']);
        $this->assertSame(Ticket::INCIDENT_TYPE, (int) $t->fields['type']);
        $this->assertSame('4', (string) $t->fields['locations_id']);
        $this->assertSame([$this->tech], $t->getUsers(CommonITILActor::ASSIGN));
        $this->assertSame([$this->user], $t->getUsers(CommonITILActor::REQUESTER));
        $this->assertSame(1, countElementsInTable('glpi_items_tickets', ['tickets_id' => $t->getID(), 'itemtype' => 'NetworkEquipment', 'items_id' => $id]));
        foreach (['<td><strong>MAC</strong></td><td>C0:74:AD:AA:00:03</td>', '<td><strong>Serial</strong></td><td>30XYZW9876543210</td>', 'Branch 1', '2026-01-01 00:05:00'] as $needle) {
            $this->assertStringContainsString($needle, $t->fields['content']);
        }

        $this->cycle($this->fleet(true), self::T0 + 900);
        $t->getFromDB($t->getID());
        $this->assertSame(CommonITILObject::SOLVED, (int) $t->fields['status']);
        $followups = (new ITILFollowup())->find(['items_id' => $t->getID()]);
        $this->assertCount(1, $followups);
        $this->assertStringContainsString('Device AP hall is back online as of 2026-01-01 00:15:00 (outage: 0d 0h 10m)', strip_tags(reset($followups)['content']));
        $this->assertCount(1, (new ITILSolution())->find(['items_id' => $t->getID()]));
        $this->assertSame(0, countElementsInTable('glpi_plugin_gdmsintegration_incidents', ['open_guard' => 1]));
    }

    public function testWithoutTechnicianTheTicketIsNewAndTheConfiguredRequesterIsUsed(): void
    {
        PluginGdmsintegrationConfig::saveFromForm(0, ['users_id_requester' => (string) $this->user]);
        (new NetworkEquipment())->add(['name' => 'AP hall', 'uuid' => self::AP]);
        $this->cycle($this->fleet(false), self::T0);
        $t = new Ticket();
        $t->getFromDB($this->tickets()[0]['id']);
        $this->assertSame(CommonITILObject::INCOMING, (int) $t->fields['status'], 'a device first seen offline gets its ticket on the first cycle');
        $this->assertSame([], $t->getUsers(CommonITILActor::ASSIGN));
        $this->assertSame([$this->user], $t->getUsers(CommonITILActor::REQUESTER));
    }

    public function testATicketClosedByATechnicianIsNotReopenedWhileTheDeviceStaysDown(): void
    {
        (new NetworkEquipment())->add(['name' => 'AP hall', 'uuid' => self::AP]);
        $this->cycle($this->fleet(false), self::T0);
        $tid = (int) $this->tickets()[0]['id'];
        (new Ticket())->update(['id' => $tid, 'status' => CommonITILObject::CLOSED]);
        $this->cycle($this->fleet(false), self::T0 + 300);
        $this->cycle($this->fleet(false), self::T0 + 600);
        $this->assertCount(1, $this->tickets());
        $this->cycle($this->fleet(true), self::T0 + 900);
        $this->assertCount(0, (new ITILFollowup())->find(['items_id' => $tid]), 'no followup on a closed ticket');
        $this->assertSame(0, countElementsInTable('glpi_plugin_gdmsintegration_incidents', ['open_guard' => 1]));
        $this->cycle($this->fleet(false), self::T0 + 1200);
        $this->assertCount(2, $this->tickets(), 'a new outage gets a new ticket');
    }

    public function testAPartialListingPurgesNothingAndOpensNothing(): void
    {
        (new NetworkEquipment())->add(['name' => 'AP hall', 'uuid' => self::AP]);
        $this->cycle($this->fleet(true), self::T0);
        // The network listing times out: the AP is missing from it.
        $partial = SnapshotBuilder::new()->network('1', false)->uc()->ucDevice(self::PHONE, 'GRP2612W', true);
        $this->cycle($partial, self::T0 + 300);
        $this->assertSame(2, countElementsInTable('glpi_plugin_gdmsintegration_devices'));
        $this->assertSame(1, countElementsInTable('glpi_plugin_gdmsintegration_devices', ['device_key' => self::AP, 'is_stale' => 1]));
        $this->assertSame([], $this->tickets());
    }

    public function testARemovedDeviceIsPurgedWithItsHistoryAndReLinkedWhenItComesBack(): void
    {
        $id = (new NetworkEquipment())->add(['name' => 'AP hall', 'uuid' => self::AP]);
        $this->cycle($this->fleet(true), self::T0);
        $without = SnapshotBuilder::new()->network('1')->uc()
            ->gwnDevice('1', self::ROUTER, 'GWN7003', true)
            ->ucDevice(self::PHONE, 'GRP2612W', true);
        $this->cycle($without, self::T0 + 300);
        $this->assertSame(0, countElementsInTable('glpi_plugin_gdmsintegration_devices', ['device_key' => self::AP]));
        $this->assertSame(0, countElementsInTable('glpi_plugin_gdmsintegration_samples', ['device_key' => self::AP]));
        $this->assertSame(0, countElementsInTable('glpi_plugin_gdmsintegration_dailies', ['device_key' => self::AP]));
        $this->assertTrue((new NetworkEquipment())->getFromDB($id), 'the GLPI asset stays');
        $this->assertSame([], $this->tickets(), 'removal opens no ticket');

        $this->cycle($this->fleet(true), self::T0 + 600);
        $row = (new PluginGdmsintegrationStoreProbe())->device(self::AP);
        $this->assertSame('NetworkEquipment', $row['itemtype']);
        $this->assertSame($id, (int) $row['items_id'], 're-linked to the same asset');
    }

    public function testWanLinkDownThenNoInternetThenRecoveryEndsResolvedWithFailoverNamed(): void
    {
        (new NetworkEquipment())->add(['name' => 'Edge router', 'uuid' => self::ROUTER]);
        $router = fn(array $ports): SnapshotBuilder => SnapshotBuilder::new()->network('1')
            ->gwnDevice('1', self::ROUTER, 'GWN7003', true, ['name' => 'Edge router', 'ports' => ['state' => 'fetched', 'ports' => $ports]]);

        $this->cycle($router([SnapshotBuilder::wan('1', true, true, 'ISP-Alpha'), SnapshotBuilder::wan('2', true, true, 'ISP-Beta')]), self::T0);
        $this->cycle($router([SnapshotBuilder::wan('1', false, null, 'ISP-Alpha'), SnapshotBuilder::wan('2', true, true, 'ISP-Beta')]), self::T0 + 300);
        $tickets = $this->tickets();
        $this->assertCount(1, $tickets);
        $this->assertSame('[GDMS] Edge router — WAN P1 (ISP-Alpha): Link Down [GDMS-WAN:P1]', $tickets[0]['name']);
        $this->assertSame(4, (int) $tickets[0]['urgency']);
        $this->assertStringContainsString('Active → ISP-Beta', $tickets[0]['content'], 'failover names the other WAN with internet');

        $this->cycle($router([SnapshotBuilder::wan('1', true, false, 'ISP-Alpha'), SnapshotBuilder::wan('2', true, true, 'ISP-Beta')]), self::T0 + 600);
        $tickets = $this->tickets();
        $this->assertCount(2, $tickets, 'link back without internet: the link-down ticket is resolved, a No-Internet one opens');
        $this->assertSame(CommonITILObject::SOLVED, (int) $tickets[0]['status']);
        $this->assertStringContainsString('No Internet [GDMS-WAN-NOINET:P1]', $tickets[1]['name']);

        $this->cycle($router([SnapshotBuilder::wan('1', true, true, 'ISP-Alpha'), SnapshotBuilder::wan('2', true, true, 'ISP-Beta')]), self::T0 + 900);
        $this->assertSame(CommonITILObject::SOLVED, (int) $this->tickets()[1]['status']);
        $this->assertSame(0, countElementsInTable('glpi_plugin_gdmsintegration_incidents', ['open_guard' => 1]));
    }

    public function testAvailabilityRollsUpObservedTimePerUtcDay(): void
    {
        $this->cycle($this->fleet(true), self::T0 - 300);
        $this->cycle($this->fleet(false), self::T0 + 300);
        $this->cycle($this->fleet(false), self::T0 + 600);
        global $DB;
        $rows = [];
        foreach ($DB->request(['FROM' => 'glpi_plugin_gdmsintegration_dailies', 'WHERE' => ['device_key' => self::AP], 'ORDER' => 'day']) as $r) {
            $rows[$r['day']] = [(int) $r['online_seconds'], (int) $r['observed_seconds']];
        }
        // Online from 23:55 until the 00:05 observation: 300 s each side of midnight; then 300 s offline.
        $this->assertSame(['2025-12-31' => [300, 300], '2026-01-01' => [300, 600]], $rows);
    }

    public function testADeviceStoredBySerialKeepsItsHistoryWhenItStartsReportingAMac(): void
    {
        $no_mac = SnapshotBuilder::new()->uc()->ucDevice('', 'GRP2612W', true, ['mac' => null, 'serial' => '20EZ9KX7A1234567', 'name' => 'Reception phone']);
        $this->cycle($no_mac, self::T0);
        $this->cycle($no_mac, self::T0 + 300);
        $this->assertSame(2, countElementsInTable('glpi_plugin_gdmsintegration_samples', ['device_key' => 'sn:20EZ9KX7A1234567']));

        $with_mac = SnapshotBuilder::new()->uc()->ucDevice(self::PHONE, 'GRP2612W', true, ['serial' => '20EZ9KX7A1234567', 'name' => 'Reception phone']);
        $this->cycle($with_mac, self::T0 + 600);
        $this->assertSame(1, countElementsInTable('glpi_plugin_gdmsintegration_devices'), 'the same row, not a purge and a new one');
        $this->assertSame(3, countElementsInTable('glpi_plugin_gdmsintegration_samples', ['device_key' => self::PHONE]), 'history carried over to the MAC key');
        $this->assertSame(0, countElementsInTable('glpi_plugin_gdmsintegration_samples', ['device_key' => 'sn:20EZ9KX7A1234567']));
        $this->assertCount(1, (new Phone())->find([]));
    }
}

/** Reads one device row the way an administrator's SQL would. */
final class PluginGdmsintegrationStoreProbe
{
    /** @return array<string, mixed> */
    public function device(string $key): array
    {
        global $DB;
        return $DB->request(['FROM' => 'glpi_plugin_gdmsintegration_devices', 'WHERE' => ['device_key' => $key]])->current() ?? [];
    }
}
