//! Pocketflows trigger matching: which triggers an event fires, and why the others do not.
