//! The guidance block, rendered from Markdown to HTML that is safe to insert into a page.
//!
//! The guidance comes from a server, so it is treated as hostile: raw HTML in the source is
//! shown as text, a link or image whose target is not `http:`, `https:` or `mailto:` loses its
//! target (its text stays), links open with `rel="noopener noreferrer"`, and images become
//! links (a page showing guidance never loads a remote image by itself).

use pulldown_cmark::{html, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html};

/// The destination a browser would follow for `url`, when it may be kept; `None` otherwise.
///
/// The WHATWG URL parser strips leading and trailing C0 controls and spaces and removes every
/// tab and newline before it reads the scheme, so this does the same and judges the result;
/// the renderer then writes exactly that result (never the raw text, which a browser could
/// read differently: `ht&#9;tps:` must not become the relative `ht%09tps:`).
/// pulldown-cmark has already decoded entities (`j&#97;vascript:` arrives as `javascript:`).
pub fn safe_destination(url: &str) -> Option<String> {
    let cleaned: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    // Relative (no scheme) would resolve against the page showing it.
    let colon = cleaned.find(':')?;
    let scheme = &cleaned[..colon];
    if scheme.is_empty()
        || !scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return None;
    }
    matches!(
        scheme.to_ascii_lowercase().as_str(),
        "http" | "https" | "mailto"
    )
    .then_some(cleaned)
}

/// Whether a link target may be kept (see [`safe_destination`]).
pub fn is_safe_url(url: &str) -> bool {
    safe_destination(url).is_some()
}

fn open_link(dest: &str, title: &str) -> String {
    let mut s = String::from("<a href=\"");
    // Writing to a String cannot fail.
    let _ = escape_href(&mut s, dest);
    s.push('"');
    if !title.is_empty() {
        s.push_str(" title=\"");
        let _ = escape_html(&mut s, title);
        s.push('"');
    }
    s.push_str(" rel=\"noopener noreferrer\" target=\"_blank\">");
    s
}

/// Renders guidance Markdown (CommonMark with tables and strikethrough) to safe HTML.
///
/// ```
/// use cloudinary_agent_account::guidance::render_html;
/// let html = render_html("Hi <script>alert(1)</script> [x](javascript:alert(1))");
/// assert!(!html.contains("<script"));
/// assert!(!html.contains("javascript:"));
/// ```
pub fn render_html(markdown: &str) -> String {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    // One entry per open link or image: whether we emitted an <a> for it.
    let mut open: Vec<bool> = Vec::new();
    // Inside an image, its alt text arrives as Text events; they become the link text.
    let events = Parser::new_ext(markdown, opts).map(|ev| match ev {
        // Our own HTML is only what this function writes; the source's becomes text.
        Event::Html(s) | Event::InlineHtml(s) => Event::Text(s),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            ..
        })
        | Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            ..
        }) => {
            let dest: CowStr = if link_type == LinkType::Email {
                format!("mailto:{dest_url}").into()
            } else {
                dest_url
            };
            let safe = safe_destination(&dest);
            open.push(safe.is_some());
            match safe {
                Some(checked) => Event::Html(open_link(&checked, &title).into()),
                None => Event::Text("".into()),
            }
        }
        Event::End(TagEnd::Link) | Event::End(TagEnd::Image) => {
            if open.pop().unwrap_or(false) {
                Event::Html("</a>".into())
            } else {
                Event::Text("".into())
            }
        }
        other => other,
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}
