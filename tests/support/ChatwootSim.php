<?php

declare(strict_types=1);

require_once __DIR__ . '/Simulator.php';

/**
 * The Chatwoot side of `gdms-sim` (crates/gdms-sim/src/chatwoot): scripted
 * conversations come back as signed deliveries (headers + raw body, exactly
 * what Chatwoot would POST), and the application API the plugin calls is
 * served on the simulator's root URI and records every call.
 */
final class ChatwootSim
{
    public const ACCOUNT = 3;
    public const TOKEN = 'cw-api-token-7f3a';

    public Simulator $sim;

    public function __construct(public string $secret = 'cw-whsec-91b2')
    {
        $this->sim = new Simulator(['--devices', '2', '--networks', '1']);
        $this->call('POST', '/__chatwoot/setup', ['account_id' => self::ACCOUNT, 'token' => self::TOKEN, 'secret' => $secret]);
    }

    public function uri(): string
    {
        return $this->sim->info['uri'];
    }

    /**
     * @param array<string, mixed>|null $body
     * @return array<string, mixed>
     */
    public function call(string $method, string $path, ?array $body = null): array
    {
        $context = stream_context_create(['http' => [
            'method' => $method, 'ignore_errors' => true, 'timeout' => 10,
            'header' => "Content-Type: application/json\r\n",
            'content' => $body !== null ? json_encode($body) : '',
        ]]);
        $raw = file_get_contents($this->uri() . $path, false, $context);
        $decoded = json_decode((string) $raw, true);
        if (!is_array($decoded)) {
            throw new RuntimeException("gdms-sim $path: " . var_export($raw, true));
        }
        return $decoded;
    }

    /**
     * Runs script steps; returns the deliveries they caused, in Chatwoot's order.
     *
     * @param list<array<string, mixed>> $steps
     * @return list<array{event: string, headers: array<string, string>, body: string}>
     */
    public function script(array $steps, ?int $timestamp = null): array
    {
        $r = $this->call('POST', '/__chatwoot/script', ['steps' => $steps, 'timestamp' => $timestamp ?? time()]);
        if (!isset($r['deliveries'])) {
            throw new RuntimeException('script refused: ' . json_encode($r));
        }
        return $r['deliveries'];
    }

    /** @return list<array<string, mixed>> API calls received */
    public function received(): array
    {
        return $this->call('GET', '/__chatwoot/received')['calls'];
    }

    /** @return list<array<string, mixed>> deliveries caused by API calls (echoes), collected once */
    public function outbox(): array
    {
        return $this->call('POST', '/__chatwoot/outbox', [])['deliveries'];
    }

    /**
     * Hands a delivery to the plugin's endpoint as front/chatwoot.php would.
     *
     * @param array{headers: array<string, string>, body: string} $delivery
     * @return array{status: int, body: array<string, mixed>, headers: array<string, string>}
     */
    public static function deliver(array $delivery, int $entities_id = 0, ?int $now = null): array
    {
        $headers = $delivery['headers'] + ['content-length' => (string) strlen($delivery['body'])];
        return PluginGdmsintegrationChatwoot::handle('POST', ['entities_id' => (string) $entities_id], $headers, $delivery['body'], $now);
    }
}
