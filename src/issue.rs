//! A field problem and its code: what validation (`validate`), the server's answers (`wire`,
//! `error`) and the credentials' rules (`activation`) all report. A leaf module, so that
//! `wire` and `validate` need not import each other for it.

use serde::{Deserialize, Serialize};

#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

/// What is wrong with one field. Serialised as `{ field, code, message }`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
pub struct ValidationIssue {
    /// The wire name of the field (`request` when the whole value is wrong).
    pub field: String,
    /// Which rule it breaks.
    pub code: IssueCode,
    /// A sentence naming the field and the rule.
    pub message: String,
}

/// The rule a field breaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "snake_case")]
pub enum IssueCode {
    /// The request is not an object.
    NotAnObject,
    /// A required field is absent.
    Missing,
    /// The value is not a string.
    WrongType,
    /// Shorter than the field allows.
    TooShort,
    /// Longer than the field allows.
    TooLong,
    /// A control character (U+0000-U+001F, U+007F-U+009F) inside the value.
    ControlCharacter,
    /// Not a valid e-mail address.
    InvalidEmail,
    /// A key the request does not have.
    UnknownField,
    /// An invisible or direction-changing character inside the value: a bidirectional
    /// control (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C), a line or paragraph
    /// separator (U+2028, U+2029), a zero-width space (U+200B) or a byte-order mark (U+FEFF).
    /// They make text read differently from what it is (`fw\u{202E}gnp.exe` shows as
    /// `fwexe.png`), in the e-mail the person receives as anywhere else.
    InvisibleCharacter,
    /// The value could not be read: a getter or a `Proxy` trap threw (JavaScript only).
    Unreadable,
    /// The server says the value is already used (the e-mail has an account).
    Taken,
    /// The server refuses the e-mail's domain as a disposable-mail provider.
    Disposable,
    /// The value is invalid: the server says so without saying why, or an option of the
    /// client (such as `baseUrl`) is malformed; the message says how.
    Invalid,
    /// A server message the client does not recognise; its text is the issue's `message`.
    Other,
    /// Not one IP address literal: a CIDR range, a host name, or not an address at all
    /// (`delivery_ips[i]` of the cloud request).
    InvalidIp,
    /// The same value again in a list (`delivery_ips[i]` repeating an earlier entry).
    Duplicate,
}

impl IssueCode {
    /// Every code.
    pub const ALL: [IssueCode; 16] = [
        IssueCode::NotAnObject,
        IssueCode::Missing,
        IssueCode::WrongType,
        IssueCode::TooShort,
        IssueCode::TooLong,
        IssueCode::ControlCharacter,
        IssueCode::InvalidEmail,
        IssueCode::UnknownField,
        IssueCode::InvisibleCharacter,
        IssueCode::Unreadable,
        IssueCode::Taken,
        IssueCode::Disposable,
        IssueCode::Invalid,
        IssueCode::Other,
        IssueCode::InvalidIp,
        IssueCode::Duplicate,
    ];

    /// Looks a snake_case name up.
    pub fn from_name(name: &str) -> Option<IssueCode> {
        IssueCode::ALL.into_iter().find(|c| c.as_str() == name)
    }

    /// The snake_case name, as serialised.
    pub const fn as_str(self) -> &'static str {
        match self {
            IssueCode::NotAnObject => "not_an_object",
            IssueCode::Missing => "missing",
            IssueCode::WrongType => "wrong_type",
            IssueCode::TooShort => "too_short",
            IssueCode::TooLong => "too_long",
            IssueCode::ControlCharacter => "control_character",
            IssueCode::InvalidEmail => "invalid_email",
            IssueCode::UnknownField => "unknown_field",
            IssueCode::InvisibleCharacter => "invisible_character",
            IssueCode::Unreadable => "unreadable",
            IssueCode::Taken => "taken",
            IssueCode::Disposable => "disposable",
            IssueCode::Invalid => "invalid",
            IssueCode::Other => "other",
            IssueCode::InvalidIp => "invalid_ip",
            IssueCode::Duplicate => "duplicate",
        }
    }
}
