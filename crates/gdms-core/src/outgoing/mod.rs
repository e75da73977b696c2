//! Outgoing webhook subscriptions: what is sent, how it is signed, whom it
//! is sent to, and the delivery itself.
//!
//! The PHP shell captures ticket events (GLPI hooks) and device events (the
//! sync plan), stores one content row per event and one queue row per
//! matching subscription, and a cron task hands the due rows to
//! [`delivery::deliver`]. Every decision (filters, signature, outcome,
//! next attempt, deactivation) is made here; PHP stores what it is told.
//! The documents are described in [`crate::contract::outgoing`].

use serde::{Deserialize, Serialize};

pub mod backoff;
pub mod delivery;
pub mod envelope;
pub mod filters;
pub mod guard;
pub mod random;
pub mod signing;

/// Every event a subscription can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EventType {
    /// A ticket was created (`item_add` on Ticket).
    TicketCreated,
    /// A solution was added to a ticket (`item_add` on ITILSolution).
    TicketSolved,
    /// A followup was added to a ticket (`item_add` on ITILFollowup).
    TicketFollowupAdded,
    /// An approval was requested (`item_add` on TicketValidation).
    TicketApprovalAdded,
    /// An approval was answered (`item_update` on TicketValidation, status changed).
    TicketApprovalResolved,
    /// A device went from online (or never seen) to not online.
    DeviceOffline,
    /// A device came back online.
    DeviceOnline,
    /// A WAN port lost its link.
    WanDown,
    /// A WAN port has link but no internet.
    WanNoInternet,
    /// A WAN port is back to link and internet.
    WanRecovered,
    /// The cloud offers a newer firmware than the installed one.
    FirmwareAvailable,
    /// The "send test event" button of a subscription.
    Test,
}

impl EventType {
    /// The types a subscription can choose (not [`EventType::Test`]).
    pub const SUBSCRIBABLE: [EventType; 11] = [
        EventType::TicketCreated,
        EventType::TicketSolved,
        EventType::TicketFollowupAdded,
        EventType::TicketApprovalAdded,
        EventType::TicketApprovalResolved,
        EventType::DeviceOffline,
        EventType::DeviceOnline,
        EventType::WanDown,
        EventType::WanNoInternet,
        EventType::WanRecovered,
        EventType::FirmwareAvailable,
    ];

    /// The FPWebhook-style name stored in a subscription, e.g. `TicketCreated`.
    pub fn name(self) -> &'static str {
        match self {
            EventType::TicketCreated => "TicketCreated",
            EventType::TicketSolved => "TicketSolved",
            EventType::TicketFollowupAdded => "TicketFollowupAdded",
            EventType::TicketApprovalAdded => "TicketApprovalAdded",
            EventType::TicketApprovalResolved => "TicketApprovalResolved",
            EventType::DeviceOffline => "DeviceOffline",
            EventType::DeviceOnline => "DeviceOnline",
            EventType::WanDown => "WanDown",
            EventType::WanNoInternet => "WanNoInternet",
            EventType::WanRecovered => "WanRecovered",
            EventType::FirmwareAvailable => "FirmwareAvailable",
            EventType::Test => "Test",
        }
    }

    /// The dotted `type` of the envelope, e.g. `ticket.created`; device
    /// events use the engine's topics ([`crate::engine::events::EventKind::topic`]).
    pub fn topic(self) -> &'static str {
        use crate::engine::events::EventKind as K;
        match self {
            EventType::TicketCreated => "ticket.created",
            EventType::TicketSolved => "ticket.solved",
            EventType::TicketFollowupAdded => "ticket.followup_added",
            EventType::TicketApprovalAdded => "ticket.approval_added",
            EventType::TicketApprovalResolved => "ticket.approval_resolved",
            EventType::DeviceOffline => K::DeviceOffline.topic(),
            EventType::DeviceOnline => K::DeviceOnline.topic(),
            EventType::WanDown => K::WanDown.topic(),
            EventType::WanNoInternet => K::WanNoInternet.topic(),
            EventType::WanRecovered => K::WanRecovered.topic(),
            EventType::FirmwareAvailable => K::FirmwareAvailable.topic(),
            EventType::Test => "webhook.test",
        }
    }

    /// Whether the event concerns a ticket (so the category filter applies).
    pub fn is_ticket(self) -> bool {
        matches!(
            self,
            EventType::TicketCreated
                | EventType::TicketSolved
                | EventType::TicketFollowupAdded
                | EventType::TicketApprovalAdded
                | EventType::TicketApprovalResolved
        )
    }

    /// The type of an engine event.
    pub fn from_engine(kind: crate::engine::events::EventKind) -> Self {
        use crate::engine::events::EventKind as K;
        match kind {
            K::DeviceOffline => EventType::DeviceOffline,
            K::DeviceOnline => EventType::DeviceOnline,
            K::WanDown => EventType::WanDown,
            K::WanNoInternet => EventType::WanNoInternet,
            K::WanRecovered => EventType::WanRecovered,
            K::FirmwareAvailable => EventType::FirmwareAvailable,
        }
    }

    /// Parses a name ([`EventType::name`]) or a topic ([`EventType::topic`]).
    pub fn parse(s: &str) -> Option<Self> {
        std::iter::once(EventType::Test)
            .chain(EventType::SUBSCRIBABLE)
            .find(|t| t.name() == s || t.topic() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_topics_round_trip() {
        for t in EventType::SUBSCRIBABLE {
            assert_eq!(EventType::parse(t.name()), Some(t));
            assert_eq!(EventType::parse(t.topic()), Some(t));
        }
        assert_eq!(EventType::WanNoInternet.topic(), "wan.no_internet");
        assert_eq!(EventType::parse("nope"), None);
        assert!(EventType::TicketSolved.is_ticket());
        assert!(!EventType::WanDown.is_ticket());
    }
}
