//! Text between the two systems: Chatwoot messages are plain text (or
//! markdown-ish), GLPI's rich-text fields hold HTML. Inbound text is escaped
//! and its line breaks kept; outbound HTML is flattened to plain text.

/// Plain text as safe GLPI rich text: HTML-escaped, line breaks as `<br>`.
///
/// ```
/// use gdms_core::chatwoot::text::text_to_html;
/// assert_eq!(text_to_html("a < b\nc"), "a &lt; b<br>c");
/// ```
pub fn text_to_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for ch in text.replace("\r\n", "\n").chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#039;"),
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    out
}

/// GLPI rich text (HTML) as plain text: block ends and `<br>` become line
/// breaks, tags are dropped, entities decoded, runs of blank lines collapsed.
///
/// ```
/// use gdms_core::chatwoot::text::html_to_text;
/// assert_eq!(html_to_text("<p>Hello&nbsp;<b>Ana</b></p><p>Done &amp; dusted</p>"), "Hello Ana\nDone & dusted");
/// ```
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let Some(end) = after.find('>') else {
            out.push_str(after);
            rest = "";
            break;
        };
        let tag = after[1..end].trim().to_ascii_lowercase();
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let closing = tag.starts_with('/');
        match name.as_str() {
            "br" => out.push('\n'),
            "p" | "div" | "tr" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "blockquote" | "pre"
                if closing =>
            {
                out.push('\n')
            }
            "li" if !closing => out.push_str("\n- "),
            _ => {}
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    let decoded = decode_entities(&out);
    let mut lines: Vec<String> = Vec::new();
    let mut blank = 0;
    for line in decoded.lines() {
        let line = line.trim_end().to_string();
        if line.trim().is_empty() {
            blank += 1;
            if blank > 1 || lines.is_empty() {
                continue;
            }
        } else {
            blank = 0;
        }
        lines.push(line);
    }
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    lines.join("\n")
}

fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let semi = after.find(';').filter(|&j| j <= 10);
        let decoded = semi.and_then(|j| {
            let ent = &after[1..j];
            let ch = match ent {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ if ent.starts_with("#x") || ent.starts_with("#X") => {
                    u32::from_str_radix(&ent[2..], 16)
                        .ok()
                        .and_then(char::from_u32)
                }
                _ if ent.starts_with('#') => ent[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            ch.map(|c| (c, j))
        });
        match decoded {
            Some((c, j)) => {
                out.push(c);
                rest = &after[j + 1..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_keeps_the_words() {
        let t = "Line 1 <tag> & \"q\"\nLine 2";
        assert_eq!(html_to_text(&text_to_html(t)), t);
    }

    #[test]
    fn flattens_lists_and_numeric_entities() {
        assert_eq!(
            html_to_text("<ul><li>one</li><li>two &#233;&#x41;</li></ul>"),
            "- one\n- two éA"
        );
        assert_eq!(html_to_text("a &unknown; b & c"), "a &unknown; b & c");
        assert_eq!(html_to_text("<p></p><p></p>x<br><br><br>y"), "x\n\ny");
    }
}
