//! The guidance renderer over arbitrary Markdown, its HTML parsed back with html5ever (as a
//! browser parses it). Oracles, independent of the renderer's own checks: only allowed
//! elements; no event-handler attribute (`on*`) and no attribute that loads or runs anything;
//! every `href`, read the way a browser reads a URL, is `http:`, `https:` or `mailto:`. And
//! the renderer's own HTML writer writes exactly what pulldown-cmark's `html::push_html`
//! writes for the same safe events (tests/guidance_html.rs checks a corpus; this, any input).
#![no_main]

use libfuzzer_sys::fuzz_target;
use scraper::{Html, Node};

// The allow-lists and the scheme reading, shared with tests/guidance.rs and
// tests/fuzz_regressions.rs.
#[path = "../../tests/html_oracle/mod.rs"]
mod html_oracle;
use html_oracle::{scheme, ATTRIBUTES, ELEMENTS};

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
        // The fragment's root and context, added by the parser (their attributes are still
        // checked: a stray `<body onload=..>` lands on the context element).
        let context = matches!(name, "html" | "body");
        assert!(
            context || ELEMENTS.contains(&name),
            "element <{name}> in {html:?}"
        );
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
