//! Dates as HTTP and people write them: IMF-fixdate (`Retry-After`,
//! `X-FeatureRateLimit-Reset`) and ISO-8601 (the verification deadline).
//!
//! Hand-written: a date crate would cost the client's wasm far more than these few lines,
//! and the emulator needs only the same two formats.

use crate::text::{digits, split, split_once};

/// The months' names as an IMF-fixdate writes them, three letters each.
const MONTHS: &str = "JanFebMarAprMayJunJulAugSepOctNovDec";

/// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the form HTTP senders must use,
/// to Unix seconds.
pub fn parse_http_date(s: &str) -> Option<i64> {
    let rest = split_once(s, b',')?.1.strip_prefix(' ')?;
    let mut parts = split(rest, b' ');
    let num = |s: Option<&str>| digits(s?).and_then(|n| i64::try_from(n).ok());
    let day = num(parts.next())?;
    // The month's position in one string: twelve comparisons as code were larger.
    let name = parts.next()?;
    let month = (0..12).find(|i| MONTHS.get(i * 3..i * 3 + 3) == Some(name))? as i64 + 1;
    let year = num(parts.next())?;
    let mut hms = split(parts.next()?, b':');
    let h = num(hms.next())?;
    let m = num(hms.next())?;
    let sec = num(hms.next())?;
    if parts.next()? != "GMT" || !(1..=31).contains(&day) || h > 23 || m > 59 || sec > 60 {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + h * 3600 + m * 60 + sec)
}

/// Formats Unix seconds as an IMF-fixdate (for `X-FeatureRateLimit-Reset` and `Retry-After`).
pub fn format_http_date(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    let (y, mo, d) = civil_from_days(days);
    const WD: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    format!(
        "{}, {:02} {} {} {:02}:{:02}:{:02} GMT",
        WD[days.rem_euclid(7) as usize],
        d,
        &MONTHS[(mo as usize - 1) * 3..][..3],
        y,
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

// Howard Hinnant's civil-date algorithms (public domain).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

/// Formats Unix seconds as ISO-8601 UTC with second precision, e.g. `2026-06-27T14:03:22Z`.
///
/// ```
/// assert_eq!(cloudinary_agent_account::dates::format_iso8601(951_782_400), "2000-02-29T00:00:00Z");
/// ```
pub fn format_iso8601(unix: i64) -> String {
    let (y, m, d) = civil_from_days(unix.div_euclid(86_400));
    let rem = unix.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}
