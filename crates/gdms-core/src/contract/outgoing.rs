//! Documents of the outgoing webhook calls ([`crate::outgoing`]).
//!
//! | PHP function | Input | Output |
//! |---|---|---|
//! | `gdms_outgoing_secret(): string` | — | a fresh secret `whsec_<base64 of 32 random bytes>` |
//! | `gdms_outgoing_check_filter(string $pattern): string` | title regex | `""` when usable, else why not |
//! | `gdms_outgoing_check_url(string $url, bool $allow_private): string` | subscription URL | `""` when acceptable, else why not |
//! | `gdms_outgoing_prepare(string $json): string` | prepare request | prepared event |
//! | `gdms_outgoing_deliver(string $json): string` | deliver request | deliver report |
//!
//! ## Prepare ([`crate::outgoing::envelope::PrepareRequest`] → [`crate::outgoing::envelope::Prepared`])
//! ```json
//! {"event": {"type": "TicketCreated", "occurred_at": 1795000000,
//!            "data": {"ticket_id": 12, "subject": "Printer", "content": "<p>..</p>"},
//!            "subject": "Printer", "itilcategories_id": 3},
//!  "subscriptions": [{"id": 1, "itilcategories_id": 0, "title_regex": ""}]}
//! ```
//! → `{"id": "msg_<32 hex>", "type": "ticket.created", "body": "<the envelope JSON>",
//! "subscriptions": [1], "problems": [{"id": 9, "error": "regex parse error ..."}]}`.
//! `type` accepts a name (`TicketCreated`) or a topic (`ticket.created`); the
//! body is `{"id","type","timestamp","data"}` (see README "Outgoing webhooks").
//!
//! ## Deliver ([`crate::outgoing::delivery::DeliverRequest`] → [`crate::outgoing::delivery::DeliverReport`])
//! ```json
//! {"options": {"concurrency": 32, "connect_timeout_ms": 5000, "timeout_ms": 10000,
//!              "allow_private": false, "failure_threshold": 50},
//!  "deliveries": [{"queue_id": 7, "subscription_id": 1, "chain": "ticket:12", "chain_head": 7,
//!                  "url": "https://hooks.example.com/x", "secrets": ["whsec_..."],
//!                  "message_id": "msg_...", "body": "{...}", "attempts": 0}],
//!  "subscriptions": [{"id": 1, "failures": 0}]}
//! ```
//! → `{"attempts": [{"queue_id": 7, "subscription_id": 1, "attempt": 1, "sent_at": 1795000000,
//! "status": 200, "duration_ms": 12, "response": "ok", "error": "",
//! "outcome": "delivered"|"retry"|"dead"|"gone", "next_attempt_at": null}],
//! "skipped": [8], "subscriptions": [{"id": 1, "failures": 0, "deactivate": null|"gone"|"max_failures"}],
//! "duration_ms": 15}`.
//!
//! The PHP side stores what it is told: `delivered` removes the row from the
//! queue, `retry`/`gone` set its next attempt, `dead` dead-letters it; every
//! attempt is archived; `skipped` rows are left untouched.
