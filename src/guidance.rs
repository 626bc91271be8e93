//! The guidance block, rendered from Markdown to HTML that is safe to insert into a page.
//!
//! The guidance comes from a server, so it is treated as hostile: raw HTML in the source is
//! shown as text, a link or image whose target is not `http:`, `https:` or `mailto:` loses its
//! target (its text stays), links open with `rel="noopener noreferrer"`, and images become
//! links (a page showing guidance never loads a remote image by itself).
//!
//! [`render_text`] writes the same parse for a terminal (`text`).

mod text;
pub use text::render_text;

use crate::text::push_decimal;
use pulldown_cmark::{
    Alignment, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};
use pulldown_cmark_escape::{escape_href, escape_html, escape_html_body_text};

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
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    write_html(&mut out, safe_events(markdown));
    out
}

/// CommonMark with tables and strikethrough: what both writers read.
fn parse_options() -> Options {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts
}

/// The Markdown's events with the source's HTML made text and every link and image made
/// safe (see the module's doc): what [`render_html`] writes as HTML.
pub fn safe_events(markdown: &str) -> impl Iterator<Item = Event<'_>> {
    // One entry per open link or image: whether we emitted an <a> for it.
    let mut open: Vec<bool> = Vec::new();
    // Inside an image, its alt text arrives as Text events; they become the link text.
    Parser::new_ext(markdown, parse_options()).map(move |ev| match ev {
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
                ["mailto:", &dest_url].concat().into()
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
    })
}

/// Writes the HTML of [`safe_events`]: what pulldown-cmark's `html::push_html` writes for
/// them, byte for byte (tests/guidance_html.rs compares the two on a corpus, the `guidance`
/// fuzz target on any input), reduced to the events that these options produce. `push_html`
/// also carries footnotes, math, definition lists, alerts, heading attributes, images, a hash
/// map for footnote numbers and `core::fmt` for numbers: 3.8 KB of the renderer's wasm,
/// gzipped (measured), that this renderer never runs.
/// Events these options never produce are not written.
fn write_html<'a>(out: &mut String, events: impl Iterator<Item = Event<'a>>) {
    let mut w = Writer {
        out,
        end_newline: true,
    };
    let mut alignments: Vec<Alignment> = Vec::new();
    let mut in_head = true;
    let mut cell = 0;
    for event in events {
        // Writing to a String cannot fail: the escapes' `Result`s are ignored.
        match event {
            Event::Start(tag) => match tag {
                Tag::Paragraph => w.block("<p>"),
                Tag::Heading { level, .. } => {
                    w.block("<");
                    w.write(heading(level));
                    w.write(">");
                }
                Tag::BlockQuote(_) => w.block("<blockquote>\n"),
                Tag::CodeBlock(kind) => {
                    if !w.end_newline {
                        w.write("\n");
                    }
                    let lang = match &kind {
                        CodeBlockKind::Fenced(info) => info.split(' ').next().unwrap_or(""),
                        CodeBlockKind::Indented => "",
                    };
                    if lang.is_empty() {
                        w.write("<pre><code>");
                    } else {
                        w.write("<pre><code class=\"language-");
                        let _ = escape_html(&mut *w.out, lang);
                        w.write("\">");
                    }
                }
                Tag::List(None) => w.block("<ul>\n"),
                Tag::List(Some(1)) => w.block("<ol>\n"),
                Tag::List(Some(start)) => {
                    w.block("<ol start=\"");
                    push_decimal(w.out, start);
                    w.write("\">\n");
                }
                Tag::Item => w.block("<li>"),
                Tag::Table(a) => {
                    alignments = a;
                    w.write("<table>");
                }
                Tag::TableHead => {
                    in_head = true;
                    cell = 0;
                    w.write("<thead><tr>");
                }
                Tag::TableRow => {
                    cell = 0;
                    w.write("<tr>");
                }
                Tag::TableCell => {
                    w.write(if in_head { "<th" } else { "<td" });
                    w.write(match alignments.get(cell) {
                        Some(Alignment::Left) => " style=\"text-align: left\">",
                        Some(Alignment::Center) => " style=\"text-align: center\">",
                        Some(Alignment::Right) => " style=\"text-align: right\">",
                        _ => ">",
                    });
                }
                Tag::Emphasis => w.write("<em>"),
                Tag::Strong => w.write("<strong>"),
                Tag::Strikethrough => w.write("<del>"),
                _ => {}
            },
            Event::End(tag) => match tag {
                TagEnd::Paragraph => w.write("</p>\n"),
                TagEnd::Heading(level) => {
                    w.write("</");
                    w.write(heading(level));
                    w.write(">\n");
                }
                TagEnd::BlockQuote(_) => w.write("</blockquote>\n"),
                TagEnd::CodeBlock => w.write("</code></pre>\n"),
                TagEnd::List(true) => w.write("</ol>\n"),
                TagEnd::List(false) => w.write("</ul>\n"),
                TagEnd::Item => w.write("</li>\n"),
                TagEnd::Table => w.write("</tbody></table>\n"),
                TagEnd::TableHead => {
                    w.write("</tr></thead><tbody>\n");
                    in_head = false;
                }
                TagEnd::TableRow => w.write("</tr>\n"),
                TagEnd::TableCell => {
                    w.write(if in_head { "</th>" } else { "</td>" });
                    cell += 1;
                }
                TagEnd::Emphasis => w.write("</em>"),
                TagEnd::Strong => w.write("</strong>"),
                TagEnd::Strikethrough => w.write("</del>"),
                _ => {}
            },
            Event::Text(text) => {
                let _ = escape_html_body_text(&mut *w.out, &text);
                w.end_newline = text.ends_with('\n');
            }
            Event::Code(text) => {
                w.write("<code>");
                let _ = escape_html_body_text(&mut *w.out, &text);
                w.write("</code>");
            }
            Event::Html(html) => w.write(&html),
            Event::SoftBreak => w.write("\n"),
            Event::HardBreak => w.write("<br />\n"),
            Event::Rule => w.block("<hr />\n"),
            _ => {}
        }
    }
}

/// The output and whether it ends a line, which decides whether a block starts with one.
struct Writer<'o> {
    out: &'o mut String,
    end_newline: bool,
}

impl Writer<'_> {
    fn write(&mut self, s: &str) {
        self.out.push_str(s);
        if !s.is_empty() {
            self.end_newline = s.ends_with('\n');
        }
    }

    /// A block's opening tag, on a line of its own.
    fn block(&mut self, s: &str) {
        if !self.end_newline {
            self.out.push('\n');
        }
        self.write(s);
    }
}

fn heading(level: HeadingLevel) -> &'static str {
    match level {
        HeadingLevel::H1 => "h1",
        HeadingLevel::H2 => "h2",
        HeadingLevel::H3 => "h3",
        HeadingLevel::H4 => "h4",
        HeadingLevel::H5 => "h5",
        HeadingLevel::H6 => "h6",
    }
}
