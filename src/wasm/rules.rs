//! JS exports of the Zendesk rule engine (`compileZendeskTriggers`, `ZendeskRuleSet`).
