//! Inputs found by `make fuzz` (fuzz/), kept as regression tests, each with the fuzz target's
//! oracle. A new finding goes here with the date and the target that found it.

#[cfg(feature = "markdown")]
mod html_oracle;

#[cfg(feature = "markdown")]
mod guidance {
    use super::html_oracle::scheme;
    use cloudinary_agent_account::guidance::render_html;

    /// Every `href` value of the HTML (the renderer double-quotes values), entities decoded.
    fn hrefs(html: &str) -> Vec<String> {
        html.split("href=\"")
            .skip(1)
            .map(|rest| {
                rest.split('"')
                    .next()
                    .unwrap_or("")
                    .replace("&quot;", "\"")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&amp;", "&")
            })
            .collect()
    }

    /// Found by the `guidance` target on 2026-11-27 (after 17,444 runs): a character
    /// reference for a newline (or a tab, issue 9 point 6) inside the scheme. The check read
    /// `http:`, the output wrote `htt%0Ap:`, a relative link.
    #[test]
    fn a_control_character_inside_the_scheme_never_yields_a_relative_href() {
        for md in [
            "![i](htt&#10;p://a.example/i.png)",
            "[x](ht&#9;tps://evil.example)",
            "[x](ht&#13;tp://a.example)",
        ] {
            let html = render_html(md);
            for href in hrefs(&html) {
                let s = scheme(&href);
                assert!(
                    matches!(s.as_deref(), Some("http" | "https" | "mailto")),
                    "{md:?} gave href {href:?}"
                );
            }
        }
    }
}
