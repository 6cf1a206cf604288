//! WebAssembly binding layer: the `#[wasm_bindgen]` exports, the safe
//! conversion of arbitrary JS values into JSON data, and the JS error
//! objects (`Error` with `name` and `code`) every export throws.

pub mod convert;
pub mod errors;
#[cfg(feature = "validators")]
pub mod filter;
#[cfg(feature = "zendesk")]
pub mod lint;
pub mod livechat;
#[cfg(feature = "zendesk")]
pub mod rules;
pub mod validate;

pub use validate::*;

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(message: &str);
}

/// Installs the panic hook so a bug shows a Rust message in the console:
/// the message and where it was raised (browsers add the stack).
/// console_error_panic_hook does about the same through `PanicHookInfo`'s
/// `Display`, which costs 0.4 KB more of the compressed livechat build.
#[wasm_bindgen(start, private)]
fn start() {
    std::panic::set_hook(Box::new(|info| {
        let mut text = String::from("triggerkit panicked");
        if let Some(at) = info.location() {
            for part in [" at ", at.file(), ":", &at.line().to_string()] {
                text.push_str(part);
            }
        }
        let payload = info.payload();
        let message = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str));
        text.push_str(": ");
        text.push_str(message.unwrap_or("(no message)"));
        console_error(&text);
    }));
}

/// The allocator: talc instead of the standard library's dlmalloc, about
/// 4 KB smaller in the wasm (2 KB gzip) and as fast on the rule and filter
/// benchmarks.
// SAFETY: `new_global` needs single-threaded wasm, which this crate is built
// for (no atomics or shared memory; JS calls in one at a time).
#[global_allocator]
static ALLOCATOR: talc::TalckWasm = unsafe { talc::TalckWasm::new_global() };
