//! Local API emulator (filled in by the emulator issue).
fn main() {}
