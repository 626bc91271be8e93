//! The guidance renderer over arbitrary Markdown, its HTML parsed back with html5ever (as a
//! browser parses it). Oracles, independent of the renderer's own checks: only allowed
//! elements; no event-handler attribute (`on*`) and no attribute that loads or runs anything;
//! every `href`, read the way a browser reads a URL, is `http:`, `https:` or `mailto:`. And
//! the renderer's own HTML writer writes exactly what pulldown-cmark's `html::push_html`
//! writes for the same safe events (tests/guidance_html.rs checks a corpus; this, any input).
#![no_main]

use libfuzzer_sys::fuzz_target;
use scraper::{Html, Node};

const ELEMENTS: &[&str] = &[
    // The fragment's root and context, added by the parser (their attributes are still checked:
    // a stray `<body onload=..>` lands on the context element).
    "html",
    "body",
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "blockquote",
    "pre",
    "code",
    "em",
    "strong",
    "del",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
    "br",
];

const ATTRIBUTES: &[&str] = &["href", "title", "rel", "target", "start", "class", "style"];

/// The scheme a browser would see: leading and trailing C0 controls and spaces stripped,
/// tabs and newlines removed anywhere (the WHATWG URL parser's first steps), then the
/// characters before the first `:` if they form a scheme. None: a relative URL.
fn scheme(href: &str) -> Option<String> {
    let cleaned: String = href
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let (scheme, _) = cleaned.split_once(':')?;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then(|| scheme.to_ascii_lowercase())
}

fuzz_target!(|markdown: &str| {
    let html = cloudinary_agent_account::guidance::render_html(markdown);
    let mut reference = String::new();
    pulldown_cmark::html::push_html(
        &mut reference,
        cloudinary_agent_account::guidance::safe_events(markdown),
    );
    assert!(html == reference, "differs from push_html for {markdown:?}");
    let doc = Html::parse_fragment(&html);
    for node in doc.tree.nodes() {
        let Node::Element(el) = node.value() else {
            continue;
        };
        let name = el.name();
        assert!(ELEMENTS.contains(&name), "element <{name}> in {html:?}");
        for (attr, value) in el.attrs() {
            let attr = attr.to_ascii_lowercase();
            assert!(
                !attr.starts_with("on"),
                "event attribute {attr} in {html:?}"
            );
            assert!(
                ATTRIBUTES.contains(&attr.as_str()),
                "attribute {attr} in {html:?}"
            );
            if attr == "href" {
                let s = scheme(value);
                assert!(
                    matches!(s.as_deref(), Some("http" | "https" | "mailto")),
                    "href {value:?} (scheme {s:?}) in {html:?}"
                );
            }
            if attr == "style" {
                assert!(value.starts_with("text-align:"), "style {value:?}");
            }
        }
    }
});
