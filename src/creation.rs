//! The two creations the package speaks, which share one client (options, retries, deadline,
//! the reading of error answers) and differ in their endpoint, their request's rules and what
//! a success holds: an agent account (`createAccount`) and a Claimable Cloud (`createCloud`).

use crate::wire::{CLOUD_ENDPOINT_PATH, ENDPOINT_PATH};

/// Which endpoint a call creates through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Creation {
    /// `POST /v1_1/provisioning/agents/accounts`: an account, inert until the person verifies.
    Account,
    /// `POST /v1_1/provisioning/clouds`: a Claimable Cloud, working at once.
    Cloud,
}

impl Creation {
    /// The creation a JS driver names by number (`pkg-template/client.js`): 1 the cloud,
    /// anything else the account.
    pub const fn from_tag(tag: u8) -> Creation {
        match tag {
            1 => Creation::Cloud,
            _ => Creation::Account,
        }
    }

    /// The endpoint's path under a base URL.
    pub const fn endpoint_path(self) -> &'static str {
        match self {
            Creation::Account => ENDPOINT_PATH,
            Creation::Cloud => CLOUD_ENDPOINT_PATH,
        }
    }

    /// The JS function that makes it, as messages name it.
    pub const fn function_name(self) -> &'static str {
        match self {
            Creation::Account => "createAccount",
            Creation::Cloud => "createCloud",
        }
    }

    /// What is created, in messages.
    pub const fn noun(self) -> &'static str {
        match self {
            Creation::Account => "account",
            Creation::Cloud => "cloud",
        }
    }
}
