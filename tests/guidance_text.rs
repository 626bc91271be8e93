//! The guidance's terminal writer (src/guidance/text.rs): every code span and code block of the
//! emulator's guidance, for every SDK, printed verbatim (the CLI once printed
//! `cloudinary://:@cloud`); code span text surviving any generated document around it; and no
//! control character or escape sequence out of the HTML renderer's injection corpus or of
//! documents built to smuggle one.
#![cfg(all(feature = "markdown", not(target_arch = "wasm32")))]

use cloudinary_agent_account::guidance::render_text;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

// The emulator's guidance, the text a new account comes with: its source file, since the
// emulator's crate depends on this one (its own unit tests run here too).
#[path = "../emulator/src/guidance.rs"]
#[allow(dead_code)]
mod emulator_guidance;
use emulator_guidance::{render, GuidanceInput, Sdk};

mod html_oracle;
use html_oracle::INJECTIONS;

/// The text of every code span and the lines of every code block, as the parser reads them.
fn code_of(md: &str) -> (Vec<String>, Vec<String>) {
    let opts =
        pulldown_cmark::Options::ENABLE_TABLES | pulldown_cmark::Options::ENABLE_STRIKETHROUGH;
    let (mut spans, mut lines) = (Vec::new(), Vec::new());
    let mut in_block = false;
    for ev in Parser::new_ext(md, opts) {
        match ev {
            Event::Code(s) => spans.push(s.into_string()),
            Event::Start(Tag::CodeBlock(_)) => in_block = true,
            Event::End(TagEnd::CodeBlock) => in_block = false,
            Event::Text(s) if in_block => lines.extend(s.lines().map(str::to_owned)),
            _ => {}
        }
    }
    (spans, lines)
}

/// What a terminal must never be sent: C0 but tab and newline, DEL, C1 (the one-byte CSI
/// U+009B among them), bidi controls, line and paragraph separators.
fn hostile(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with the writer's own bold on and off taken out; `None` if another escape is left.
fn without_bold(text: &str) -> Option<String> {
    let plain = text.replace("\x1b[1m", "").replace("\x1b[22m", "");
    (!plain.contains('\x1b')).then_some(plain)
}

fn assert_terminal_safe(md: &str) {
    for color in [false, true] {
        let text = render_text(md, color);
        let plain = without_bold(&text).unwrap_or_else(|| panic!("escape in {text:?} for {md:?}"));
        assert!(
            !plain.chars().any(hostile),
            "control character in {text:?} for {md:?}"
        );
        if !color {
            assert_eq!(plain, text, "bold without colour for {md:?}");
        }
    }
}

fn guidance(sdk: Option<&str>) -> String {
    render(&GuidanceInput {
        email: "jane_doe+test@example.com",
        cloud_name: "dka770o32n",
        deadline: "2026-12-08T12:00:00Z",
        sdk_framework: sdk,
        base_url: "http://127.0.0.1:8787",
    })
}

const SDKS: [Sdk; 9] = [
    Sdk::Python,
    Sdk::Nodejs,
    Sdk::React,
    Sdk::Nextjs,
    Sdk::Php,
    Sdk::Java,
    Sdk::Ruby,
    Sdk::Go,
    Sdk::Dotnet,
];

#[test]
fn every_sdks_guidance_keeps_its_code_verbatim() {
    let frameworks = SDKS
        .iter()
        .map(|sdk| Some(sdk.label()))
        .chain([None, Some("cobol <x>")]);
    for sdk in frameworks {
        let md = guidance(sdk);
        let (spans, lines) = code_of(&md);
        assert!(spans.len() > 5, "{sdk:?}: {spans:?}");
        for color in [false, true] {
            let text = render_text(&md, color);
            for span in &spans {
                assert!(
                    text.contains(span.as_str()),
                    "{sdk:?}: `{span}` lost in:\n{text}"
                );
            }
            for line in &lines {
                assert!(
                    text.contains(line.as_str()),
                    "{sdk:?}: code line {line:?} lost in:\n{text}"
                );
            }
        }
        assert_terminal_safe(&md);
    }
}

#[test]
fn step_two_shows_the_placeholders() {
    let text = render_text(&guidance(Some("python")), false);
    assert!(
        text.contains("form CLOUDINARY_URL=cloudinary://<api_key>:<api_secret>@dka770o32n."),
        "{text}"
    );
    assert!(
        text.contains(
            "curl -u '<api_key>:<api_secret>' http://127.0.0.1:8787/v1_1/dka770o32n/ping"
        ),
        "{text}"
    );
}

#[test]
fn layout() {
    let md = "# Title\n\nSome *em* and **strong** [docs](https://x.example/d) <https://x.example> \
              [bad](javascript:alert(1)) ![logo](https://x.example/l.png) <b>raw</b>\n\n\
              ## Two\n\n1. one\n2. two\n   - nested `a<b>`\n\n> quoted\n>\n> more\n\n\
              ```bash\nline 1\n\n  line 3\n```\n\n---\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nend  \nbreak";
    let want = "Title\n=====\n\n\
                Some em and strong docs (https://x.example/d) https://x.example bad logo \
                (https://x.example/l.png) <b>raw</b>\n\n\
                Two\n---\n\n1. one\n2. two\n   • nested a<b>\n\n> quoted\n>\n> more\n\n\
                \x20   line 1\n\n      line 3\n\n---\n\na | b\n1 | 2\n\nend\nbreak\n";
    assert_eq!(render_text(md, false), want);
    let bold = render_text("# T\n\n**s** and __t__", true);
    assert_eq!(
        bold,
        "\x1b[1mT\x1b[22m\n=\n\n\x1b[1ms\x1b[22m and \x1b[1mt\x1b[22m\n"
    );
}

#[test]
fn injection_corpus_yields_no_escape_sequence() {
    for md in INJECTIONS {
        assert_terminal_safe(md);
    }
    // Built to reach a terminal: CSI and OSC (a hyperlink, a title), the one-byte CSI, bell,
    // backspace, carriage return, bidi overrides and isolates, line separators; in text, code
    // spans, code blocks, raw HTML, link text, link targets, headings and tables.
    let smuggled = [
        "\x1b[2J\x1b[H cleared",
        "`\x1b]8;;https://evil.example\x07click\x1b]8;;\x07`",
        "```\n\x1b]0;title\x07\n\u{9b}31mred\n```",
        "    indented \x1b[31m code",
        "<div>\x1b[5m blink</div>",
        "inline <span>\x1b[8m</span> hidden",
        "[\x1b[1mtext](https://x.example/\x1b[1m)",
        "<https://x.example/\u{202e}gpj.exe>",
        "# head\x07ing \u{2028} \u{2029}",
        "| \x1b[7m | b |\n|---|---|\n| \u{85} | \u{2066}x\u{2069} |",
        "abc\x08\x08\x08xyz \r overwrite \x7f del",
        "> \u{202d}quote\u{202c} \u{200f}mark\u{200e} \u{61c}",
        "&#27;[31m entity &#x9b; &#x202E; &#8232;",
        "- item \x1b[A up\n  - nested \x1b[K",
    ];
    for md in smuggled {
        assert_terminal_safe(md);
    }
    assert_eq!(render_text("a\x1b[31mb", false), "a\u{fffd}[31mb\n");
}

/// Code spans whose text is drawn from an alphabet of Markdown's and HTML's own characters,
/// set in generated documents (headings, emphasis, lists, quotes, links, tables): every span
/// the parser reads comes out verbatim. xorshift: deterministic, so a failure reproduces.
#[test]
fn code_span_text_survives_generated_documents() {
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let alphabet: Vec<char> = "ab <>&;:/@=*_#[]()!\\|~-+.\"'{}%é日😀".chars().collect();
    let wraps: [(&str, &str); 12] = [
        ("", ""),
        ("# ", ""),
        ("### ", " ###"),
        ("*", "*"),
        ("**", "**"),
        ("- ", ""),
        ("1. ", ""),
        ("> ", ""),
        ("- a\n  - ", ""),
        ("[", "](https://x.example)"),
        ("| h |\n|---|\n| ", " |"),
        ("~~", "~~"),
    ];
    for _ in 0..5_000 {
        let mut md = String::new();
        for _ in 0..1 + next(4) {
            let (open, close) = wraps[next(wraps.len())];
            md.push_str(open);
            md.push_str("text ");
            let ticks = if next(4) == 0 { "``" } else { "`" };
            md.push_str(ticks);
            // No space first or last: CommonMark strips one from each side of a span.
            md.push('x');
            for _ in 0..next(12) {
                md.push(alphabet[next(alphabet.len())]);
            }
            md.push('x');
            md.push_str(ticks);
            md.push_str(" more");
            md.push_str(close);
            md.push_str(["\n\n", "\n", " "][next(3)]);
        }
        let (spans, _) = code_of(&md);
        for color in [false, true] {
            let text = render_text(&md, color);
            for span in &spans {
                assert!(
                    text.contains(span.as_str()),
                    "`{span}` lost from {md:?}:\n{text}"
                );
            }
        }
        assert_terminal_safe(&md);
    }
}
