//! The seed integration's rules (spec §5), with its guide honoured where the
//! guide and its code disagree:
//!
//! | Chatwoot status | GLPI status | | Chatwoot priority | GLPI priority |
//! |---|---|---|---|---|
//! | open | 2 Processing (assigned) | | low | 2 Low |
//! | pending | 4 Pending | | medium | 3 Medium |
//! | resolved | 5 Solved | | high | 4 High |
//! | snoozed | 4 Pending (guide; the code said 2) | | urgent | 5 Very high |
//! | anything else | 1 New (the code's fallback) | | none / null / other | 3 Medium |
//!
//! Titles follow the guide ("conversation subject or first message") and
//! carry the conversation number, e.g. `[Chatwoot #42] Printer on fire`.

/// GLPI ticket status for a Chatwoot conversation status.
pub fn glpi_status(status: &str) -> i64 {
    match status.trim().to_ascii_lowercase().as_str() {
        "open" => 2,
        "pending" => 4,
        "resolved" => 5,
        "snoozed" => 4,
        _ => 1,
    }
}

/// GLPI ticket priority for a Chatwoot priority (`None` = no priority).
pub fn glpi_priority(priority: Option<&str>) -> i64 {
    match priority.map(|p| p.trim().to_ascii_lowercase()).as_deref() {
        Some("low") => 2,
        Some("medium") => 3,
        Some("high") => 4,
        Some("urgent") => 5,
        _ => 3,
    }
}

/// Longest ticket title, characters (GLPI's `name` is a varchar(255)).
pub const TITLE_MAX: usize = 200;

/// `[Chatwoot #<display id>] <subject, else first line of the first message, else "Conversation from <name>">`.
pub fn ticket_title(
    display_id: i64,
    subject: Option<&str>,
    first_message: Option<&str>,
    contact_name: Option<&str>,
) -> String {
    let pick = |s: Option<&str>| {
        s.and_then(|s| s.lines().map(str::trim).find(|l| !l.is_empty()))
            .map(str::to_string)
    };
    let text = pick(subject)
        .or_else(|| pick(first_message))
        .unwrap_or_else(
            || match contact_name.map(str::trim).filter(|n| !n.is_empty()) {
                Some(n) => format!("Conversation from {n}"),
                None => "Conversation".to_string(),
            },
        );
    let prefix = format!("[Chatwoot #{display_id}] ");
    let room = TITLE_MAX.saturating_sub(prefix.chars().count());
    let mut t: String = text.chars().take(room).collect();
    if text.chars().count() > room {
        t.pop();
        t.push('…');
    }
    prefix + &t
}

/// The seed's followup text: `[YYYY-MM-DD HH:MM:SS] Sender:\n<content>`,
/// then `\n\nAttachments:\n- <url>` per attachment.
pub fn followup_text(
    created_at: &str,
    sender: &str,
    content: &str,
    attachments: &[String],
) -> String {
    let mut out = format!("[{created_at}] {sender}:\n{}", content.trim_end());
    if !attachments.is_empty() {
        out.push_str("\n\nAttachments:");
        for url in attachments {
            out.push_str("\n- ");
            out.push_str(url);
        }
    }
    out
}

/// `(firstname, realname)`: the first word, and the rest (GLPI's realname is the surname).
pub fn split_name(name: &str) -> (String, String) {
    let mut words = name.split_whitespace();
    let first = words.next().unwrap_or_default().to_string();
    let rest: Vec<&str> = words.collect();
    (first, rest.join(" "))
}

/// Login of a GLPI user made for a Chatwoot contact: the e-mail when there
/// is one (GLPI accepts e-mails as logins), else `chatwoot-<contact id>`.
pub fn user_login(contact_id: i64, email: Option<&str>) -> String {
    match email.map(str::trim).filter(|e| !e.is_empty()) {
        Some(e) => e.to_lowercase(),
        None => format!("chatwoot-{contact_id}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_table() {
        for (s, g) in [
            ("open", 2),
            ("pending", 4),
            ("resolved", 5),
            ("snoozed", 4),
            ("Open", 2),
            ("weird", 1),
        ] {
            assert_eq!(glpi_status(s), g, "{s}");
        }
    }

    #[test]
    fn priority_table() {
        for (p, g) in [
            (Some("low"), 2),
            (Some("medium"), 3),
            (Some("high"), 4),
            (Some("urgent"), 5),
            (Some("none"), 3),
            (None, 3),
        ] {
            assert_eq!(glpi_priority(p), g, "{p:?}");
        }
    }

    #[test]
    fn titles() {
        assert_eq!(
            ticket_title(42, Some("Invoice"), Some("hello"), None),
            "[Chatwoot #42] Invoice"
        );
        assert_eq!(
            ticket_title(42, Some("  "), Some("\n My printer\nis broken"), None),
            "[Chatwoot #42] My printer"
        );
        assert_eq!(
            ticket_title(7, None, None, Some("Ana")),
            "[Chatwoot #7] Conversation from Ana"
        );
        let long = "x".repeat(500);
        let t = ticket_title(1, None, Some(&long), None);
        assert_eq!(t.chars().count(), TITLE_MAX);
        assert!(t.ends_with('…'));
    }

    #[test]
    fn followup_and_names() {
        assert_eq!(
            followup_text(
                "2026-01-02 03:04:05",
                "Ana",
                "Hi\n",
                &["https://x/a.png".into()]
            ),
            "[2026-01-02 03:04:05] Ana:\nHi\n\nAttachments:\n- https://x/a.png"
        );
        assert_eq!(
            split_name("Ana María López"),
            ("Ana".into(), "María López".into())
        );
        assert_eq!(split_name("  Cher "), ("Cher".into(), String::new()));
        assert_eq!(user_login(5, Some(" Ana@Example.com")), "ana@example.com");
        assert_eq!(user_login(5, None), "chatwoot-5");
    }
}
