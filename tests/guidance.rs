//! The guidance renderer against a corpus of injection attempts.
// Native only: the HTML parser of the oracle is a native dev-dependency.
#![cfg(not(target_arch = "wasm32"))]

use cloudinary_agent_account::guidance::{is_safe_url, render_html};
use scraper::Html;

mod html_oracle;
use html_oracle::{ATTRIBUTES, ELEMENTS, INJECTIONS};

/// Whether an `href`, as a browser reads it after parsing, is one of the allowed kinds. An
/// explicit allow-list, deliberately independent of the renderer's `is_safe_url`.
fn href_allowed(href: &str) -> bool {
    let lower = href.to_ascii_lowercase();
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|p| lower.starts_with(p))
        && !href.chars().any(|c| c.is_control() || c == ' ')
}

/// Parses the rendered HTML back as a browser would (html5ever) and checks every element,
/// attribute and link target against the allow-lists. Returns the hrefs found.
fn assert_harmless(md: &str) -> Vec<String> {
    let html = render_html(md);
    let doc = Html::parse_fragment(&html);
    let mut hrefs = Vec::new();
    for node in doc.root_element().descendants() {
        let Some(el) = node.value().as_element() else {
            continue;
        };
        let name = el.name();
        if name == "html" {
            continue; // the fragment's own root
        }
        assert!(ELEMENTS.contains(&name), "unexpected <{name}> in {html}");
        for (attr, _value) in el.attrs() {
            assert!(ATTRIBUTES.contains(&attr), "attribute {attr:?} in {html}");
            assert!(!attr.starts_with("on"), "event attribute in {html}");
            if attr == "style" {
                assert!(name == "th" || name == "td", "style on <{name}> in {html}");
            }
        }
        if name == "a" {
            let href = el.attr("href").unwrap_or_default();
            assert!(href_allowed(href), "href {href:?} in {html}");
            assert_eq!(el.attr("rel"), Some("noopener noreferrer"), "{html}");
            hrefs.push(href.to_string());
        }
    }
    hrefs
}

#[test]
fn injection_corpus_renders_harmless() {
    for md in INJECTIONS {
        assert_harmless(md);
    }
}

/// The renderer writes exactly the destination it checked: a target a browser reads as
/// `https:` (after removing tabs and newlines) is written that way, never as the relative
/// `ht%09tps:` that the check did not judge.
#[test]
fn the_written_destination_is_the_checked_one() {
    for md in [
        "[x](ht&#9;tps://evil.example)",
        "[x](ht&#10;tps://evil.example)",
        "[x]( https://evil.example )",
    ] {
        let hrefs = assert_harmless(md);
        assert!(
            hrefs.is_empty() || hrefs == ["https://evil.example"],
            "{md}: {hrefs:?}"
        );
    }
    assert_eq!(
        assert_harmless("[docs](https://cloudinary.com/documentation)"),
        ["https://cloudinary.com/documentation"]
    );
}

#[test]
fn safe_links_are_kept_with_rel() {
    let html = render_html("[docs](https://cloudinary.com/documentation) and <mailto:help@example.com> and jane@example.com");
    assert!(html.contains(r#"<a href="https://cloudinary.com/documentation" rel="noopener noreferrer" target="_blank">docs</a>"#), "{html}");
    assert!(html.contains("href=\"mailto:help@example.com\""), "{html}");
}

#[test]
fn unsafe_links_keep_their_text() {
    let html = render_html("[click me](javascript:alert(1))");
    assert!(html.contains("click me") && !html.contains("<a"), "{html}");
}

#[test]
fn images_become_links() {
    let html = render_html("![logo](https://example.com/logo.png)");
    assert!(!html.contains("<img"), "{html}");
    assert!(
        html.contains("href=\"https://example.com/logo.png\""),
        "{html}"
    );
}

#[test]
fn raw_html_is_shown_as_text() {
    let html = render_html("Hello <b>there</b>");
    assert!(html.contains("&lt;b&gt;there&lt;/b&gt;"), "{html}");
}

#[test]
fn ordinary_markdown_renders() {
    let html = render_html("# Next steps\n\n1. Verify\n2. Run `pip install cloudinary`\n\n```bash\necho CLOUDINARY_URL >> .env\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |");
    for want in [
        "<h1>Next steps</h1>",
        "<ol>",
        "<code>pip install cloudinary</code>",
        "<pre><code class=\"language-bash\">",
        "<table>",
    ] {
        assert!(html.contains(want), "{want} in {html}");
    }
}

#[test]
fn url_scheme_check() {
    for ok in [
        "https://x.com",
        "HTTP://x.com",
        "mailto:a@b.co",
        " https://x.com",
    ] {
        assert!(is_safe_url(ok), "{ok}");
    }
    for bad in [
        "javascript:x",
        "JAVASCRIPT:x",
        "java\nscript:x",
        "\u{1}javascript:x",
        "data:x",
        "vbscript:x",
        "file:///etc/passwd",
        "/rel",
        "//host",
        "rel/a:b",
        "#frag",
        "",
    ] {
        assert!(!is_safe_url(bad), "{bad:?}");
    }
}
