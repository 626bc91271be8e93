//! # agent-account-emulator
//!
//! A local implementation of Cloudinary's agent account creation API
//! (`POST /v1_1/provisioning/agents/accounts`) and the flow around it: the verification
//! e-mail (recorded in an outbox), the page that sets a password, expiry after 24 hours, and
//! the Admin API ping that tells whether the credentials work. Also the sibling Claimable
//! Cloud endpoint (`POST /v1_1/provisioning/clouds`): credentials that work at once, media
//! delivery locked to a few addresses, the claim page and its confirmation e-mail, expiry. Requests are validated by the
//! very rules the client uses (`cloudinary_agent_account::validate`).
//!
//! The binary is `agent-account-emulator`; see `emulator/README.md` for its flags.

#![warn(missing_docs)]

pub mod accounts;
pub mod app;
pub mod claim;
pub mod clock;
pub mod clouds;
pub mod controls;
pub mod credentials;
pub mod delivery;
pub mod deny;
pub mod disposable;
pub mod errors;
pub mod faults;
pub mod guidance;
pub mod http;
pub mod limits;
pub mod mail;
pub mod meta;
pub mod origin;
pub mod ping;
pub mod server;
pub mod state;
pub mod store;
pub mod verify;
