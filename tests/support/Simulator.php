<?php

declare(strict_types=1);

/**
 * A running `gdms-sim serve` (the cloud simulator crate) for PHP tests:
 * started on a free loopback port, stopped when the object is destroyed.
 * Tests drive it through its admin API (test-only HTTP, never from the plugin).
 */
final class Simulator
{
    /** @var resource */
    private $process;
    /** @var array<string, mixed> the JSON line `serve` prints: URIs and credentials */
    public array $info;

    /**
     * @param list<string> $args extra `serve` options
     */
    public function __construct(array $args = [])
    {
        $bin = dirname(__DIR__, 2) . '/target/debug/gdms-sim';
        if (!is_executable($bin)) {
            throw new RuntimeException("$bin is not built (make build)");
        }
        $cmd = array_merge([$bin, 'serve', '--port', '0', '--seed', '7'], $args);
        $this->process = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['file', '/dev/null', 'a']], $pipes);
        if (!is_resource($this->process)) {
            throw new RuntimeException('could not start gdms-sim');
        }
        $line = fgets($pipes[1]);
        $info = is_string($line) ? json_decode($line, true) : null;
        if (!is_array($info)) {
            throw new RuntimeException('gdms-sim printed no JSON line: ' . var_export($line, true));
        }
        $this->info = $info;
    }

    public function __destruct()
    {
        if (is_resource($this->process)) {
            proc_terminate($this->process);
            proc_close($this->process);
        }
    }

    /**
     * Configuration form values pointing an entity at this simulator.
     *
     * @return array<string, string>
     */
    public function configForm(): array
    {
        return [
            'gdms_username' => $this->info['uc']['username'], 'gdms_password' => $this->info['uc']['password'],
            'gdms_client_id' => $this->info['uc']['client_id'], 'gdms_client_secret' => $this->info['uc']['client_secret'],
            'gwn_app_id' => $this->info['gwn']['app_id'], 'gwn_secret' => $this->info['gwn']['secret_key'],
            'gdms_base_url' => $this->info['uc_uri'], 'gwn_base_url' => $this->info['gwn_uri'],
            'firmware_base_url' => $this->info['firmware_uri'], 'is_active' => '1',
        ];
    }

    /**
     * @param array<string, mixed>|null $body
     * @return array<string, mixed>
     */
    public function admin(string $method, string $path, ?array $body = null): array
    {
        $context = stream_context_create(['http' => [
            'method' => $method, 'ignore_errors' => true, 'timeout' => 10,
            'header' => "Content-Type: application/json\r\n",
            'content' => $body !== null ? json_encode($body) : '',
        ]]);
        $raw = file_get_contents($this->info['admin_uri'] . $path, false, $context);
        $decoded = json_decode((string) $raw, true);
        return is_array($decoded) ? $decoded : ['raw' => $raw];
    }

    /** @param array<string, mixed> $scenario */
    public function scenario(array $scenario): array
    {
        return $this->admin('POST', '/scenario', $scenario);
    }

    /** @param array<string, mixed> $rule */
    public function fault(array $rule): array
    {
        return $this->admin('POST', '/faults', $rule);
    }

    /** @return array<string, mixed> */
    public function fleet(): array
    {
        return $this->admin('GET', '/fleet');
    }

    /** @return array<string, mixed> */
    public function stats(): array
    {
        return $this->admin('GET', '/stats');
    }
}
