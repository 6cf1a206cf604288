//! WebAssembly binding layer: the `#[wasm_bindgen]` exports, the safe
//! conversion of arbitrary JS values into JSON data, and the JS error
//! objects (`Error` with `name` and `code`) every export throws.

pub mod convert;
pub mod errors;
#[cfg(feature = "validators")]
pub mod filter;
pub mod livechat;
#[cfg(feature = "zendesk")]
pub mod rules;
pub mod validate;

pub use validate::*;

use wasm_bindgen::prelude::*;

/// Installs the panic hook so a bug shows a Rust message in the console.
#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}
