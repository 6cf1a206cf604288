//! Any text either compiles or yields a well-formed located syntax error;
//! nothing panics or overflows the stack.
#![no_main]

use libfuzzer_sys::fuzz_target;
use triggerkit::filter::{Filter, MAX_LENGTH};

fuzz_target!(|data: &[u8]| {
    let source = String::from_utf8_lossy(data);
    match Filter::compile(&source) {
        Ok(filter) => {
            assert!(source.len() <= MAX_LENGTH);
            assert_eq!(filter.source(), source);
        }
        Err(e) => {
            assert!(e.line >= 1 && e.column >= 1);
            assert!(e.offset <= source.len());
            assert!(source.is_char_boundary(e.offset));
            assert_eq!(e.line, 1 + source[..e.offset].matches('\n').count());
            assert!(e.snippet.ends_with('^'));
            assert!(!e.code().is_empty() && !e.message.is_empty());
        }
    }
});
