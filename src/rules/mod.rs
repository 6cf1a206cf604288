//! Zendesk condition engine: compiled rule sets and the firing cycle (DESIGN.md section 4).
