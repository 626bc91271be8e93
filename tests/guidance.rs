//! The guidance renderer against a corpus of injection attempts.

use cloudinary_agent_account::guidance::{is_safe_url, render_html};

/// The attributes of one tag's inside (`a href="x" rel="y"`), as (name, value) pairs.
/// The renderer always double-quotes values and escapes `"` inside them.
fn attributes(tag: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let rest = tag.split_once(' ').map(|(_, r)| r).unwrap_or("");
    let mut it = rest.split('"');
    while let (Some(name), Some(value)) = (it.next(), it.next()) {
        out.push((
            name.trim().trim_end_matches('=').to_string(),
            value.to_string(),
        ));
    }
    out
}

const TAGS: [&str; 22] = [
    "p",
    "a",
    "h1",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "code",
    "pre",
    "em",
    "strong",
    "blockquote",
    "hr",
    "br",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
];

fn assert_harmless(md: &str) {
    let html = render_html(md);
    // Every literal '<' in the output starts a real tag (text has `&lt;`): check those.
    for tag in html
        .split('<')
        .skip(1)
        .map(|t| t.split('>').next().unwrap_or(""))
    {
        let name = tag
            .split(' ')
            .next()
            .unwrap_or("")
            .trim_start_matches('/')
            .to_ascii_lowercase();
        assert!(
            TAGS.contains(&name.as_str()) || name == "del",
            "unexpected <{name}> in {html}"
        );
        for (attr, value) in attributes(tag) {
            assert!(
                ["href", "title", "rel", "target", "class", "start"].contains(&attr.as_str()),
                "attribute {attr:?} in {html}"
            );
            if attr == "href" {
                assert!(
                    is_safe_url(&value) && !value.contains(['<', '>', '"']),
                    "href {value:?} in {html}"
                );
            }
        }
    }
}

#[test]
fn injection_corpus_renders_harmless() {
    let corpus = [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
        "text <script>alert(1)</script> inline",
        "<img src=x onerror=alert(1)>",
        "<IMG SRC=x OnErRoR=alert(1)>",
        "<svg onload=alert(1)>",
        "<iframe src=javascript:alert(1)>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<div onclick=\"alert(1)\">click</div>",
        "[click](javascript:alert(1))",
        "[click](JavaScript:alert(1))",
        "[click](  javascript:alert(1))",
        "[click](java\tscript:alert(1))",
        "[click](&#106;avascript:alert(1))",
        "[click](&#x6A;avascript:alert(1))",
        "[click](javascript&#58;alert(1))",
        "[click](vbscript:msgbox(1))",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[click](DATA:text/html,<script>alert(1)</script>)",
        "<javascript:alert(1)>",
        "![x](javascript:alert(1))",
        "![x](data:image/svg+xml,<svg onload=alert(1)>)",
        "[x](https://example.com \"title\" onmouseover=\"alert(1)\")",
        "[x](https://example.com \"a\\\" onmouseover=\\\"alert(1)\")",
        "`<script>alert(1)</script>`",
        "```html\n<script>alert(1)</script>\n```",
        "[ref]\n\n[ref]: javascript:alert(1)",
        "[x](//evil.example)",
        "[x](/relative)",
        "<style>body{display:none}</style>",
        "<!-- <script>alert(1)</script> -->",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "<a href=https://example.com onclick=alert(1)>x</a>",
        "**<b onmouseover=alert(1)>bold</b>**",
    ];
    for md in corpus {
        assert_harmless(md);
    }
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
