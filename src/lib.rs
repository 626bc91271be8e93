//! # cloudinary-agent-account
//!
//! Create a Cloudinary account for a person from an AI agent, through the unauthenticated
//! agent account creation endpoint (`POST /v1_1/provisioning/agents/accounts`).
//!
//! This crate is the one source of truth for the request rules ([`validate`]), the wire
//! types ([`wire`]), the error taxonomy and the mapping of answers to it ([`error`]), and the
//! safe rendering of the guidance Markdown ([`guidance`]). Compiled to wasm32 it is the npm
//! package `cloudinary-agent-account` (bindings in `wasm`); compiled natively it is the library
//! the emulator validates with.

// Errors are built once per failed call, never on a hot path: their size does not matter.
#![allow(clippy::result_large_err)]

pub mod account_shape;
pub mod activation;
pub mod base_url;
pub mod cloud_shape;
pub mod creation;
pub mod dates;
pub mod error;
#[cfg(feature = "markdown")]
pub mod guidance;
pub mod issue;
pub mod json_node;
pub mod options;
pub mod packed_tree;
pub mod rails;
pub mod retry;
pub mod schema;
pub mod scrub;
pub mod text;
pub mod validate;
pub mod wire;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use error::{AccountError, ErrorCode};
pub use validate::{IssueCode, ValidationIssue};
pub use wire::{AgentAccount, AgentAccountRequest, ProductEnvironment};

// The client's and the renderer's allocator: talc instead of Rust's default dlmalloc, about
// 4 KB smaller in each wasm, and as fast (BENCHMARKS.md, "talc for the client and renderer
// wasms"). It frees and coalesces like dlmalloc, so memory stays bounded across calls
// (tests/js/memory.test.mjs calls validateRequest 100,000 times and renderGuidance 1,000
// times and checks the memory's size). Single-threaded wasm only, which is what this package
// builds.
#[cfg(all(
    target_arch = "wasm32",
    not(target_feature = "atomics"),
    not(all(feature = "rules", not(feature = "client"), not(feature = "markdown")))
))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

// The rules wasm alone (`--no-default-features --features rules`): a bump allocator that
// resets between calls, its `#[global_allocator]` in src/bump.rs (which says why it fits
// there and only there).
#[cfg(all(
    target_arch = "wasm32",
    not(target_feature = "atomics"),
    feature = "rules",
    not(feature = "client"),
    not(feature = "markdown")
))]
mod bump;
