//! The guidance renderer's independent oracle, written once: what its HTML may hold and the
//! scheme a browser reads from an `href`, and the injection corpus. Read by tests/guidance.rs, tests/fuzz_regressions.rs
//! and the `guidance` fuzz target (`#[path]` from fuzz/), each adding its own checks. Written
//! independently of `guidance::is_safe_url`, which is under test.

// Each includer uses the part it needs.
#![allow(dead_code)]

/// Elements the renderer may write (`td`, `del` included: tables and strikethrough).
pub const ELEMENTS: [&str; 25] = [
    "p",
    "a",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
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
    "del",
];

/// Attributes the renderer may write.
pub const ATTRIBUTES: [&str; 7] = ["href", "title", "rel", "target", "class", "start", "style"];

/// The scheme a browser reads (WHATWG URL parsing: C0 controls and spaces trimmed, tabs and
/// newlines removed anywhere, then a scheme before the first `:`); `None` for a relative URL.
pub fn scheme(href: &str) -> Option<String> {
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

/// Markdown that tries to inject script, event handlers or unsafe links: tests/guidance.rs
/// checks the HTML renderer on it, tests/guidance_text.rs the terminal writer.
pub const INJECTIONS: &[&str] = &[
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
    "[x](ht&#9;tps://evil.example)",
    "[x](ht&#10;tps://evil.example)",
    "[x](java&#9;script:alert(1))",
    "[x](&#32;javascript:alert(1))",
    "[x](javascript&#x3A;alert(1))",
    "[x](<java\tscript:alert(1)>)",
    "[x](https&#9;://x)",
    "[x](mai&#13;lto:a@b.co)",
    "<java&#9;script:alert(1)>",
    "[x](\u{0}javascript:alert(1))",
    "[x](%6Aavascript:alert(1))",
];
