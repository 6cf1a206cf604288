//! Livechat trigger engine: a deterministic state machine fed with events (DESIGN.md section 6).
