//! CEL-subset filter language for Pocketflows `filter` strings (DESIGN.md section 5).
