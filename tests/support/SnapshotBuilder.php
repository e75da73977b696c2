<?php

declare(strict_types=1);

/**
 * Builds snapshot documents (gdms_core::snapshot, as gdms_fetch returns them)
 * for tests that drive the engine and the applier without a cloud.
 */
final class SnapshotBuilder
{
    /** @var array<string, array<string, mixed>> */
    private array $sources = [];
    /** @var list<array<string, mixed>> */
    private array $devices = [];

    public static function new(): self
    {
        return new self();
    }

    public function network(string $id, bool $complete = true): self
    {
        $this->sources["gwn:$id"] = [
            'source' => ['kind' => 'gwn_network', 'network_id' => $id], 'complete' => $complete,
            'failure' => $complete ? null : ['kind' => 'timeout'], 'endpoint' => $complete ? null : '/oapi/v1.0.0/ap/list',
            'page' => $complete ? null : 1, 'pages' => 1, 'devices' => 0,
        ];
        $this->sources['gwn_networks'] ??= ['source' => ['kind' => 'gwn_networks'], 'complete' => true, 'failure' => null, 'endpoint' => null, 'page' => null, 'pages' => 1, 'devices' => 0];
        return $this;
    }

    public function uc(bool $complete = true): self
    {
        $this->sources['uc'] = [
            'source' => ['kind' => 'uc_devices'], 'complete' => $complete,
            'failure' => $complete ? null : ['kind' => 'http', 'status' => 503], 'endpoint' => $complete ? null : '/oapi/v1.0.0/device/list',
            'page' => null, 'pages' => 1, 'devices' => 0,
        ];
        return $this;
    }

    /**
     * @param array<string, mixed> $extra
     */
    public function gwnDevice(string $network, string $mac, string $model, bool $online, array $extra = []): self
    {
        $this->devices[] = $extra + [
            'cloud' => 'gwn', 'source' => ['kind' => 'gwn_network', 'network_id' => $network], 'mac' => $mac,
            'serial' => null, 'name' => "dev-$mac", 'model' => $model, 'status' => $online ? 'online' : 'offline',
            'network_id' => $network, 'network_name' => "Branch $network", 'public_ip' => '198.51.100.10',
            'private_ip' => '192.168.1.1', 'firmware' => '1.0.5.12', 'uptime_sec' => 86400,
            'ports' => ['state' => 'not_applicable'], 'sip' => null,
        ];
        return $this;
    }

    /**
     * @param array<string, mixed> $extra
     */
    public function ucDevice(string $mac, string $model, bool $online, array $extra = []): self
    {
        $this->devices[] = $extra + [
            'cloud' => 'uc', 'source' => ['kind' => 'uc_devices'], 'mac' => $mac, 'serial' => null,
            'name' => "uc-$mac", 'model' => $model, 'status' => $online ? 'online' : 'offline',
            'network_name' => 'HQ', 'public_ip' => '203.0.113.45', 'private_ip' => '192.168.10.21',
            'firmware' => '1.0.11.3', 'ports' => ['state' => 'not_applicable'], 'sip' => null,
        ];
        return $this;
    }

    /**
     * A WAN port as the router reports it.
     *
     * @return array<string, mixed>
     */
    public static function wan(string $id, bool $link, ?bool $internet, string $isp): array
    {
        return [
            'id' => $id, 'name' => "WAN$id", 'silk' => "P$id", 'role' => 'wan', 'link_up' => $link,
            'internet' => $internet === null ? 'unknown' : ($internet ? 'up' : 'down'),
            'medium' => 'ge', 'is_combo' => false, 'wan_name' => $isp, 'ip' => $link ? "198.51.100.$id" : null,
        ];
    }

    /**
     * @return array<string, mixed>
     */
    public function build(): array
    {
        return ['sources' => array_values($this->sources), 'devices' => $this->devices, 'networks' => [], 'tokens' => [], 'stats' => ['requests' => 0, 'tokens_issued' => 0, 'retries' => 0, 'duration_ms' => 0]];
    }
}
