//! The guidance for a terminal: the same pulldown-cmark events as the HTML writer, written as
//! plain text (the CLI prints it after `signup`).
//!
//! Code spans and blocks are written as they are, `<api_key>` included: an agent copies them.
//! Raw HTML is shown as text, as the page shows it. Links are `text (url)`, with the page's
//! rule for which targets are kept. No control character or escape sequence of the source
//! reaches the terminal (C0 but tab and newline, DEL, C1, bidi overrides, line and paragraph
//! separators each become U+FFFD); the only escape sequences written are the writer's own
//! bold on and off, and only when `color` allows them.

use pulldown_cmark::{Event, HeadingLevel, LinkType, Parser, Tag, TagEnd};

use super::{parse_options, safe_destination};

const BOLD: &str = "\x1b[1m";
const NORMAL: &str = "\x1b[22m";

/// Renders guidance Markdown as terminal text; `color` allows bold (ANSI SGR 1 and 22) for
/// headings, strong text and table heads.
///
/// ```
/// use cloudinary_agent_account::guidance::render_text;
/// let text = render_text("# Set up\n\nRun `echo <key>` \x1b[2J [docs](https://x.example)", false);
/// assert_eq!(text, "Set up\n======\n\nRun echo <key> \u{FFFD}[2J docs (https://x.example)\n");
/// ```
pub fn render_text(markdown: &str, color: bool) -> String {
    let mut w = Writer {
        out: String::with_capacity(markdown.len() + markdown.len() / 4),
        color,
        prefix: String::new(),
        line_start: true,
        blank: true,
        fresh_item: false,
        col: 0,
        bold: 0,
    };
    // Per open list: the next number of an ordered one.
    let mut lists: Vec<Option<u64>> = Vec::new();
    // Per open block that indents (quote, item, code block): the prefix's length before it.
    let mut indents: Vec<usize> = Vec::new();
    // Per open link or image: the target to write after its text, if kept and not the text.
    let mut links: Vec<Option<String>> = Vec::new();
    let mut cell = 0;
    for event in Parser::new_ext(markdown, parse_options()) {
        // By reference: the event is dropped once, not part by part in each arm (smaller code).
        match &event {
            Event::Start(tag) => match tag {
                Tag::Paragraph | Tag::HtmlBlock | Tag::Table(_) => w.block(),
                Tag::Heading { .. } => {
                    w.block();
                    w.bold_on();
                    w.col = 0;
                }
                Tag::BlockQuote(_) => {
                    w.block();
                    indents.push(w.prefix.len());
                    w.prefix.push_str("> ");
                }
                Tag::CodeBlock(_) => {
                    w.block();
                    indents.push(w.prefix.len());
                    w.prefix.push_str("    ");
                }
                Tag::List(start) => {
                    // A list inside an item follows its first line; any other is a block.
                    if lists.is_empty() {
                        w.block();
                    } else {
                        w.fresh_item = false;
                        w.end_line();
                    }
                    lists.push(*start);
                }
                Tag::Item => {
                    w.end_line();
                    w.start_line();
                    let at = w.out.len();
                    match lists.last_mut() {
                        Some(Some(n)) => {
                            crate::text::push_decimal(&mut w.out, *n);
                            *n = n.saturating_add(1);
                            w.out.push_str(". ");
                        }
                        _ => w.out.push_str("• "),
                    }
                    w.fresh_item = true;
                    indents.push(w.prefix.len());
                    // The item's next lines start under its text.
                    let width = w.out[at..].chars().count();
                    w.prefix.extend(core::iter::repeat_n(' ', width));
                }
                Tag::TableHead => w.bold_on(),
                Tag::TableRow => cell = 0,
                Tag::TableCell if cell > 0 => w.text(" | "),
                Tag::Strong => w.bold_on(),
                Tag::Link {
                    link_type,
                    dest_url,
                    ..
                }
                | Tag::Image {
                    link_type,
                    dest_url,
                    ..
                } => {
                    // An autolink's text is its target: written once.
                    let shown = matches!(link_type, LinkType::Autolink | LinkType::Email);
                    links.push(if shown {
                        None
                    } else {
                        safe_destination(dest_url)
                    });
                }
                _ => {}
            },
            Event::End(tag) => match tag {
                TagEnd::Paragraph | TagEnd::HtmlBlock | TagEnd::Table => w.end_line(),
                TagEnd::Heading(level) => {
                    w.bold_off();
                    let rule = match *level {
                        HeadingLevel::H1 => "=",
                        HeadingLevel::H2 => "-",
                        _ => "",
                    };
                    if !rule.is_empty() && w.col > 0 {
                        let width = w.col;
                        w.newline();
                        w.start_line();
                        w.out.extend(core::iter::repeat_n(rule, width));
                        w.line_start = false;
                    }
                    w.end_line();
                }
                TagEnd::BlockQuote(_) | TagEnd::CodeBlock | TagEnd::Item => {
                    w.end_line();
                    w.prefix.truncate(indents.pop().unwrap_or(0));
                }
                TagEnd::List(_) => {
                    lists.pop();
                    w.end_line();
                }
                TagEnd::TableHead => {
                    w.bold_off();
                    w.end_line();
                }
                TagEnd::TableRow => w.end_line(),
                TagEnd::TableCell => cell += 1,
                TagEnd::Strong => w.bold_off(),
                TagEnd::Link | TagEnd::Image => {
                    if let Some(Some(dest)) = links.pop() {
                        w.text(" (");
                        w.text(&dest);
                        w.text(")");
                    }
                }
                _ => {}
            },
            Event::Text(s) | Event::Code(s) | Event::Html(s) | Event::InlineHtml(s) => w.text(s),
            Event::SoftBreak => w.text(" "),
            Event::HardBreak => w.newline(),
            Event::Rule => {
                w.block();
                w.text("---");
                w.end_line();
            }
            _ => {}
        }
    }
    w.end_line();
    w.out
}

/// The output, and where it stands: what starts each line (quote markers, indentation), and
/// whether a block needs a line break or a blank line before it.
struct Writer {
    out: String,
    color: bool,
    prefix: String,
    /// Nothing, not even the prefix, is written on the current line yet.
    line_start: bool,
    /// The last line written is blank (or nothing is written yet).
    blank: bool,
    /// A list marker was just written: the item's first block goes on its line.
    fresh_item: bool,
    /// Characters of text on the current line (a heading's underline is as long).
    col: usize,
    /// Open bold spans (heading, strong, table head): bold is on while any is.
    bold: u32,
}

impl Writer {
    /// Text of the source, each character made safe for a terminal.
    fn text(&mut self, s: &str) {
        for c in s.chars() {
            match c {
                '\n' => self.newline(),
                // A carriage return (from `\r\n`) would go back over the line.
                '\r' => {}
                c => {
                    self.start_line();
                    self.out.push(if shown_as_is(c) { c } else { '\u{FFFD}' });
                    self.col += 1;
                    self.fresh_item = false;
                }
            }
        }
    }

    /// Writes the prefix if the current line has nothing yet.
    fn start_line(&mut self) {
        if self.line_start {
            self.out.push_str(&self.prefix);
            self.line_start = false;
            self.blank = false;
        }
    }

    fn newline(&mut self) {
        if self.line_start {
            // A blank line inside a quote keeps its marker, without trailing spaces (a byte
            // loop: `trim_end_matches` cost the wasm 172 B).
            let mut end = self.prefix.len();
            while end > 0 && self.prefix.as_bytes()[end - 1] == b' ' {
                end -= 1;
            }
            self.out.push_str(&self.prefix[..end]);
            self.blank = true;
        }
        self.out.push('\n');
        self.line_start = true;
        self.col = 0;
    }

    fn end_line(&mut self) {
        if !self.line_start {
            self.newline();
        }
    }

    /// Before a block: a blank line, unless it is the first thing of the output or of an item.
    fn block(&mut self) {
        if self.fresh_item {
            self.fresh_item = false;
            return;
        }
        self.end_line();
        if !self.blank {
            self.newline();
        }
    }

    fn bold_on(&mut self) {
        if self.bold == 0 && self.color {
            self.out.push_str(BOLD);
        }
        self.bold += 1;
    }

    fn bold_off(&mut self) {
        self.bold = self.bold.saturating_sub(1);
        if self.bold == 0 && self.color {
            self.out.push_str(NORMAL);
        }
    }
}

/// Whether a character may reach a terminal as it is: not a control character (tab aside;
/// C1 includes the one-byte CSI, U+009B), nor one that reorders or breaks the line a reader
/// sees (bidi embeddings, overrides, isolates and marks; line and paragraph separators).
fn shown_as_is(c: char) -> bool {
    !matches!(c,
        '\0'..='\x08' | '\x0b'..='\x1f' | '\x7f'..='\u{9f}'
        | '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}
