//! WebAssembly binding layer: the `#[wasm_bindgen]` exports, the safe
//! conversion of arbitrary JS values into JSON data, and the JS error
//! objects (`Error` with `name` and `code`) every export throws.

pub mod convert;
pub mod errors;
#[cfg(feature = "validators")]
pub mod filter;
#[cfg(feature = "zendesk")]
pub mod lint;
#[cfg(feature = "livechat")]
pub mod livechat;
#[cfg(feature = "zendesk")]
pub mod rules;
pub mod validate;

pub use validate::*;

use wasm_bindgen::prelude::*;

/// Installs the panic hook, so a bug shows the Rust panic message and where
/// it was raised in the console (`console.error`, with the JS stack) before
/// the module traps.
#[wasm_bindgen(start, private)]
fn start() {
    console_error_panic_hook::set_once();
}

/// The allocator: talc instead of the standard library's dlmalloc, about
/// 4 KB smaller in the wasm (2 KB gzip) and as fast on the rule and filter
/// benchmarks.
// SAFETY: `new_global` needs single-threaded wasm, which this crate is built
// for (no atomics or shared memory; JS calls in one at a time).
#[global_allocator]
static ALLOCATOR: talc::TalckWasm = unsafe { talc::TalckWasm::new_global() };
