<?php

declare(strict_types=1);

/**
 * A real HTTP receiver on loopback for the outgoing webhook tests: PHP's
 * built-in server with webhook_receiver_router.php, on a given or free
 * port, stopped when the object is destroyed. Tests read what it received.
 */
final class WebhookReceiver
{
    /** @var resource|null */
    private $process = null;
    private string $log;
    public readonly int $port;

    public function __construct(?int $port = null, bool $start = true)
    {
        $this->port = $port ?? self::freePort();
        $this->log = tempnam(sys_get_temp_dir(), 'gdms-receiver-');
        if ($start) {
            $this->start();
        }
    }

    public static function freePort(): int
    {
        $sock = stream_socket_server('tcp://127.0.0.1:0');
        $name = stream_socket_get_name($sock, false);
        fclose($sock);
        return (int) substr((string) strrchr((string) $name, ':'), 1);
    }

    public function start(): void
    {
        $env = getenv() + ['GDMS_RECEIVER_LOG' => $this->log, 'PHP_CLI_SERVER_WORKERS' => '4'];
        $env['GDMS_RECEIVER_LOG'] = $this->log;
        $this->process = proc_open(
            ['setsid', PHP_BINARY, '-n', '-S', '127.0.0.1:' . $this->port, __DIR__ . '/webhook_receiver_router.php'],
            [0 => ['file', '/dev/null', 'r'], 1 => ['file', '/dev/null', 'a'], 2 => ['file', '/dev/null', 'a']],
            $pipes,
            null,
            $env
        );
        for ($i = 0; $i < 100; $i++) {
            $c = @stream_socket_client('tcp://127.0.0.1:' . $this->port, $errno, $errstr, 0.1);
            if ($c !== false) {
                fclose($c);
                return;
            }
            usleep(50000);
        }
        throw new RuntimeException('the webhook receiver did not start');
    }

    public function stop(): void
    {
        if (is_resource($this->process)) {
            $status = proc_get_status($this->process);
            // The server and its workers: the process group of `php -S`.
            posix_kill(-$status['pid'], SIGTERM);
            posix_kill($status['pid'], SIGTERM);
            proc_close($this->process);
        }
        $this->process = null;
    }

    public function __destruct()
    {
        $this->stop();
        @unlink($this->log);
    }

    public function url(string $path = '/hook'): string
    {
        return 'http://127.0.0.1:' . $this->port . $path;
    }

    /**
     * @return list<array{method: string, path: string, headers: array<string, string>, body: string}>
     */
    public function received(): array
    {
        $out = [];
        foreach (file($this->log, FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES) ?: [] as $line) {
            $out[] = json_decode($line, true);
        }
        return $out;
    }
}
