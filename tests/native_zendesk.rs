//! Native tests of the Zendesk model and validator: every JSON example of
//! the seed document read and written back unchanged, the conditions and
//! actions references, an account's definitions document, normalization,
//! the `RecordInvalid` rendering and hostile inputs.
#![cfg(feature = "validators")]

use serde::de::DeserializeOwned;
use serde::Serialize;
#[path = "support/data.rs"]
mod data;
mod hostile;

use hostile::{deep, dismantle, fillers, pointers};
use serde_json::{json, Value};
use triggerkit::formats::zendesk::{
    ZendeskDefinitions, ZendeskDestroyManyBody, ZendeskRecordInvalid, ZendeskReorderBody,
    ZendeskRevisionList, ZendeskRevisionResponse, ZendeskTrigger, ZendeskTriggerBody,
    ZendeskTriggerPage, ZendeskTriggerPartial, ZendeskTriggerResponse, ZendeskUpdateManyBody,
};
use triggerkit::validate::zendesk_record_invalid;
use triggerkit::{validate, ValidationResult};

/// The validator on test data built with serde_json.
fn validate_zendesk_trigger(
    input: &Value,
    definitions: Option<&ZendeskDefinitions>,
) -> ValidationResult<ZendeskTrigger> {
    data::with_data(input, |input| {
        validate::validate_zendesk_trigger(input, definitions)
    })
}

#[derive(Clone, Copy, Debug)]
enum Kind {
    Partial,
    Page,
    Response,
    Definitions,
    Revisions,
    Revision,
    Body,
    UpdateMany,
    Reorder,
    DestroyMany,
}

/// Every JSON example of zendesk-triggers-api.txt, verbatim, with the
/// type that reads it.
const SEED_EXAMPLES: &[(&str, Kind, &str)] = &[
    (
        "trigger object (JSON Format)",
        Kind::Partial,
        r#"{  "actions": [    {}  ],  "active": true,  "category_id": "10026",  "conditions": {},  "created_at": "2012-09-25T22:50:26Z",  "description": "Close and save a ticket",  "id": 25,  "position": 8,  "raw_title": "Close and Save",  "title": "Close and Save",  "updated_at": "2012-09-25T22:50:26Z",  "url": "http://{subdomain}.zendesk.com/api/v2/triggers/25.json"}"#,
    ),
    (
        "list triggers",
        Kind::Page,
        r#"{  "count": 2,  "next_page": null,  "previous_page": null,  "triggers": [    {      "actions": [],      "active": true,      "conditions": {},      "created_at": "2012-09-25T22:50:26Z",      "description": "Close and save a ticket",      "id": 25,      "position": 8,      "raw_title": "Close and Save",      "title": "Close and Save",      "updated_at": "2012-09-25T22:50:26Z",      "url": "http://{subdomain}.zendesk.com/api/v2/triggers/25.json"    },    {      "actions": [],      "active": false,      "conditions": {        "all": [          {            "field": "status",            "operator": "less_than",            "value": "solved"          },          {            "field": "assignee_id",            "operator": "is",            "value": "296220096"          }        ],        "any": [          {            "field": "status",            "operator": "less_than",            "value": "solved"          }        ]      },      "created_at": "2012-09-25T22:50:26Z",      "description": "Assign a ticket with a priority tag",      "id": 26,      "position": 9,      "raw_title": "{{dc.assign_priority_tag}}",      "title": "Assign priority tag",      "updated_at": "2012-09-25T22:50:26Z",      "url": "http://{subdomain}.zendesk.com/api/v2/triggers/26.json"    }  ]}"#,
    ),
    (
        "list active triggers",
        Kind::Page,
        r#"{  "count": 2,  "next_page": null,  "previous_page": null,  "triggers": [    {      "actions": [],      "active": true,      "conditions": {},      "created_at": "2012-09-25T22:50:26Z",      "description": "Close and save a ticket",      "id": 25,      "position": 8,      "raw_title": "Close and Save",      "title": "Close and Save",      "updated_at": "2012-09-25T22:50:26Z",      "url": "http://{subdomain}.zendesk.com/api/v2/triggers/25.json"    },    {      "actions": [],      "active": true,      "conditions": {        "all": [          {            "field": "status",            "operator": "less_than",            "value": "solved"          },          {            "field": "assignee_id",            "operator": "is",            "value": "296220096"          }        ],        "any": [          {            "field": "status",            "operator": "less_than",            "value": "solved"          }        ]      },      "created_at": "2012-09-25T22:50:26Z",      "description": "Assign a ticket with a priority tag",      "id": 26,      "position": 9,      "raw_title": "{{dc.assign_priority_tag}}",      "title": "Assign priority tag",      "updated_at": "2012-09-25T22:50:26Z",      "url": "http://{subdomain}.zendesk.com/api/v2/triggers/26.json"    }  ]}"#,
    ),
    (
        "search triggers",
        Kind::Page,
        r#"{  "count": 2,  "next_page": null,  "previous_page": null,  "triggers": [    {      "actions": [],      "active": true,      "conditions": {        "all": [          {            "field": "status",            "operator": "less_than",            "value": "solved"          },          {            "field": "assignee_id",            "operator": "is",            "value": "296220096"          }        ],        "any": [          {            "field": "status",            "operator": "less_than",            "value": "solved"          }        ]      },      "created_at": "2012-09-25T22:50:26Z",      "description": "Close and save a ticket",      "id": 25,      "position": 9,      "raw_title": "Close and Save",      "title": "Close and Save",      "updated_at": "2012-09-25T22:50:26Z"    },    {      "actions": [],      "active": true,      "conditions": {},      "created_at": "2012-09-25T22:50:26Z",      "id": 28,      "position": 9,      "raw_title": "{{dc.close_and_redirect}}",      "title": "Close and redirect to topics",      "updated_at": "2012-09-25T22:50:26Z"    }  ]}"#,
    ),
    (
        "show trigger",
        Kind::Response,
        r#"{  "trigger": {    "actions": [],    "active": true,    "category_id": "10026",    "conditions": {},    "created_at": "2012-09-25T22:50:26Z",    "description": "Close and save a ticket",    "id": 25,    "position": 8,    "raw_title": "Close and Save",    "title": "Close and Save",    "updated_at": "2012-09-25T22:50:26Z",    "url": "http://{subdomain}.zendesk.com/api/v2/triggers/25.json"  }}"#,
    ),
    (
        "definitions",
        Kind::Definitions,
        r#"{  "definitions": {    "actions": [      {        "group": "ticket",        "nullable": false,        "repeatable": false,        "subject": "status",        "title": "Status",        "type": "list",        "values": [          {            "enabled": true,            "title": "Open",            "value": "open"          },          {            "enabled": true,            "title": "Pending",            "value": "pending"          },          {            "enabled": true,            "title": "Solved",            "value": "solved"          },          {            "enabled": true,            "title": "Closed",            "value": "closed"          }        ]      }    ],    "conditions_all": [      {        "group": "ticket",        "nullable": false,        "operators": [          {            "terminal": false,            "title": "Is",            "value": "is"          },          {            "terminal": false,            "title": "Is not",            "value": "is_not"          },          {            "terminal": false,            "title": "Less than",            "value": "less_than"          },          {            "terminal": false,            "title": "Greater than",            "value": "greater_than"          },          {            "terminal": true,            "title": "Changed",            "value": "changed"          },          {            "terminal": false,            "title": "Changed to",            "value": "value"          },          {            "terminal": false,            "title": "Changed from",            "value": "value_previous"          },          {            "terminal": true,            "title": "Not changed",            "value": "not_changed"          },          {            "terminal": false,            "title": "Not changed to",            "value": "not_value"          },          {            "terminal": false,            "title": "Not changed from",            "value": "not_value_previous"          }        ],        "repeatable": false,        "subject": "status",        "title": "Status",        "type": "list",        "values": [          {            "enabled": true,            "title": "New",            "value": "new"          },          {            "enabled": true,            "title": "Open",            "value": "open"          },          {            "enabled": true,            "title": "Pending",            "value": "pending"          },          {            "enabled": true,            "title": "Solved",            "value": "solved"          },          {            "enabled": true,            "title": "Closed",            "value": "closed"          }        ]      }    ],    "conditions_any": [      {        "group": "ticket",        "nullable": true,        "operators": [          {            "terminal": true,            "title": "Present",            "value": "present"          },          {            "terminal": true,            "title": "Not present",            "value": "not_present"          }        ],        "repeatable": false,        "subject": "custom_fields_20513432",        "title": "Happy Gilmore",        "type": "list"      },      {        "group": "ticket",        "nullable": true,        "operators": [          {            "terminal": true,            "title": "Present",            "value": "present"          },          {            "terminal": true,            "title": "Not present",            "value": "not_present"          }        ],        "repeatable": false,        "subject": "custom_fields_86492341",        "title": "total_time_field",        "type": "list"      }    ]  }}"#,
    ),
    (
        "list revisions",
        Kind::Revisions,
        r#"{  "after_cursor": "MTUwMTYwNzUyMi4wfHwxMzQ3NTMxNjcxfA==",  "after_url": "https://{subdomain}.zendesk.com/api/v2/triggers/{trigger_id}/revisions.json?cursor=MTUwMTYwNzUyMi4wfHwxMzQ3NTMxNjcxfA%3D%3D\u0026limit=20",  "before_cursor": "fDE1MDE1NzUxMjIuMHx8MTM0NzM0MzAxMQ==",  "before_url": "https://{subdomain}.zendesk.com/api/v2/triggers/{trigger_id}/revisions.json?cursor=fDE1MDE1NzUxMjIuMHx8MTM0NzM0MzAxMQ%3D%3D\u0026limit=20",  "count": 1,  "trigger_revisions": [    {      "author_id": 2,      "created_at": "2016-08-15T16:04:06Z",      "diff": {        "actions": [],        "active": [],        "conditions": {},        "description": [],        "source_id": 1,        "target_id": 2,        "title": []      },      "id": 100,      "snapshot": {        "actions": [          {            "field": "notification_target",            "value": [              "510312",              "{}"            ]          }        ],        "active": true,        "conditions": {          "all": [],          "any": [            {              "field": "current_tags",              "operator": "includes",              "value": "fire_bulk_1"            }          ]        },        "description": "Notifies requester that a comment was updated",        "title": "Notify requester of comment update"      },      "url": "https://{subdomain}.zendesk.com/api/v2/trigger/123/revisions/100.json"    }  ]}"#,
    ),
    (
        "show revision",
        Kind::Revision,
        r#"{  "trigger_revision": {    "author_id": 3343,    "created_at": "2020-05-28T06:41:43Z",    "id": 1,    "snapshot": {      "actions": [        {          "field": "notification_target",          "value": [            "510312",            "{}"          ]        }      ],      "active": true,      "conditions": {        "all": [],        "any": [          {            "field": "current_tags",            "operator": "includes",            "value": "fire_bulk_1"          }        ]      },      "description": null,      "title": "bulk_test_trigger_1"    },    "url": "https://example.zendesk.com/api/v2/triggers/261303831/revisions/1.json"  }}"#,
    ),
    (
        "create body",
        Kind::Body,
        r#"{  "trigger": {    "actions": [      {        "field": "group_id",        "value": "20455932"      }    ],    "category_id": "10026",    "conditions": {      "all": [        {          "field": "status",          "operator": "is",          "value": "open"        },        {          "field": "priority",          "operator": "less_than",          "value": "high"        }      ]    },    "title": "Roger Wilco"  }}"#,
    ),
    (
        "create response",
        Kind::Response,
        r#"{  "trigger": {    "actions": [],    "active": true,    "category_id": "10026",    "conditions": {},    "created_at": "2012-09-25T22:50:26Z",    "description": "Close and save a ticket",    "id": 25,    "position": 8,    "raw_title": "Close and Save",    "title": "Close and Save",    "updated_at": "2012-09-25T22:50:26Z",    "url": "http://{subdomain}.zendesk.com/api/v2/triggers/25.json"  }}"#,
    ),
    (
        "update body",
        Kind::Body,
        r#"{  "trigger": {    "actions": [      {        "field": "group_id",        "value": "20455932"      }    ],    "category_id": "10026",    "conditions": {      "all": [        {          "field": "status",          "operator": "is",          "value": "open"        },        {          "field": "priority",          "operator": "less_than",          "value": "high"        }      ]    },    "title": "Roger Wilco"  }}"#,
    ),
    (
        "update response",
        Kind::Response,
        r#"{  "trigger": {    "actions": [],    "active": true,    "category_id": "10026",    "conditions": {},    "created_at": "2012-09-25T22:50:26Z",    "description": "Close and save a ticket",    "id": 25,    "position": 8,    "raw_title": "Close and Save",    "title": "Close and Save",    "updated_at": "2012-09-25T22:50:26Z",    "url": "http://{subdomain}.zendesk.com/api/v2/triggers/25.json"  }}"#,
    ),
    (
        "update_many request",
        Kind::UpdateMany,
        r#"{  "triggers": [    {"id": 25, "position": 3},    {"id": 23, "position": 5},    {"id": 27, "position": 9},    {"id": 22, "position": 7}  ]}"#,
    ),
    (
        "update_many body",
        Kind::UpdateMany,
        r#"{  "triggers": [    {      "id": 25,      "position": 5    },    {      "active": false,      "id": 26    },    {      "category_id": "10027",      "id": 27    }  ]}"#,
    ),
    (
        "update_many response",
        Kind::Page,
        r#"{  "count": 2,  "next_page": null,  "previous_page": null,  "triggers": [    {      "actions": [],      "active": true,      "conditions": {},      "created_at": "2012-09-25T22:50:26Z",      "description": "Close and save a ticket",      "id": 25,      "position": 8,      "raw_title": "Close and Save",      "title": "Close and Save",      "updated_at": "2012-09-25T22:50:26Z",      "url": "http://{subdomain}.zendesk.com/api/v2/triggers/25.json"    },    {      "actions": [],      "active": false,      "conditions": {        "all": [          {            "field": "status",            "operator": "less_than",            "value": "solved"          },          {            "field": "assignee_id",            "operator": "is",            "value": "296220096"          }        ],        "any": [          {            "field": "status",            "operator": "less_than",            "value": "solved"          }        ]      },      "created_at": "2012-09-25T22:50:26Z",      "description": "Assign a ticket with a priority tag",      "id": 26,      "position": 9,      "raw_title": "{{dc.assign_priority_tag}}",      "title": "Assign priority tag",      "updated_at": "2012-09-25T22:50:26Z",      "url": "http://{subdomain}.zendesk.com/api/v2/triggers/26.json"    }  ]}"#,
    ),
    (
        "reorder response",
        Kind::Response,
        r#"{  "trigger": {    "actions": [],    "active": true,    "category_id": "10026",    "conditions": {},    "created_at": "2012-09-25T22:50:26Z",    "description": "Close and save a ticket",    "id": 25,    "position": 8,    "raw_title": "Close and Save",    "title": "Close and Save",    "updated_at": "2012-09-25T22:50:26Z",    "url": "http://{subdomain}.zendesk.com/api/v2/triggers/25.json"  }}"#,
    ),
    (
        "destroy_many request",
        Kind::DestroyMany,
        r#"{  "ids": "25,23,27,22"}"#,
    ),
    (
        "create curl body",
        Kind::Body,
        r#"{"trigger": {"title": "Roger Wilco", "conditions": {"all": [{ "field": "status", "operator": "is", "value": "open" }, { "field": "priority", "operator": "less_than", "value": "high" }]}, "actions": [{ "field": "group_id", "value": "20455932" }],  "category_id": "10026"}}"#,
    ),
    (
        "update curl body",
        Kind::Body,
        r#"{"trigger": {"title": "Roger Wilco II", "category_id": "10026"}}"#,
    ),
    (
        "update_many curl body",
        Kind::UpdateMany,
        r#"{"triggers": [{"id": 26, "position": 8}, {"id": 25, "position": 15}]}"#,
    ),
    (
        "reorder curl body",
        Kind::Reorder,
        r#"{"trigger_ids": [324376, 564937, 164318]}"#,
    ),
];

fn parse(text: &str) -> Value {
    serde_json::from_str(text).expect("test JSON parses")
}

fn round_trip<T: DeserializeOwned + Serialize>(text: &str) -> Value {
    let typed: T = serde_json::from_str(text).expect("the example reads");
    serde_json::to_value(&typed).expect("serializes")
}

fn example(label: &str) -> Value {
    let (_, _, text) = SEED_EXAMPLES
        .iter()
        .find(|(l, _, _)| *l == label)
        .expect("known example");
    parse(text)
}

fn definitions() -> ZendeskDefinitions {
    serde_json::from_value(example("definitions")).expect("definitions read")
}

#[test]
fn every_seed_example_round_trips() {
    for (label, kind, text) in SEED_EXAMPLES {
        let written = match kind {
            Kind::Partial => round_trip::<ZendeskTriggerPartial>(text),
            Kind::Page => round_trip::<ZendeskTriggerPage>(text),
            Kind::Response => round_trip::<ZendeskTriggerResponse>(text),
            Kind::Definitions => round_trip::<ZendeskDefinitions>(text),
            Kind::Revisions => round_trip::<ZendeskRevisionList>(text),
            Kind::Revision => round_trip::<ZendeskRevisionResponse>(text),
            Kind::Body => round_trip::<ZendeskTriggerBody>(text),
            Kind::UpdateMany => round_trip::<ZendeskUpdateManyBody>(text),
            Kind::Reorder => round_trip::<ZendeskReorderBody>(text),
            Kind::DestroyMany => round_trip::<ZendeskDestroyManyBody>(text),
        };
        assert_eq!(written, parse(text), "{label} ({kind:?})");
    }
}

#[test]
fn checked_trigger_rejects_the_placeholder_action() {
    let placeholder = example("trigger object (JSON Format)");
    assert!(serde_json::from_value::<ZendeskTrigger>(placeholder.clone()).is_err());
    let result = validate_zendesk_trigger(&placeholder, None);
    let found: Vec<(&str, &str)> = result
        .errors
        .iter()
        .map(|e| (e.path.as_str(), e.code.as_str()))
        .collect();
    assert_eq!(
        found,
        [("/actions/0", "required"), ("/actions/0", "required")]
    );
}

#[test]
fn cursor_pages_keep_meta_and_links_apart_from_offset_members() {
    let text = r#"{"triggers": [], "meta": {"has_more": true, "after_cursor": "xyz", "before_cursor": null},
                   "links": {"next": "https://x/api/v2/triggers?page[after]=xyz", "prev": null}}"#;
    assert_eq!(round_trip::<ZendeskTriggerPage>(text), parse(text));
    let page: ZendeskTriggerPage = serde_json::from_str(text).expect("reads");
    assert_eq!(page.next_page, None);
    assert!(page.meta.expect("meta").has_more);
    let offset: ZendeskTriggerPage = serde_json::from_str(
        r#"{"triggers": [], "next_page": "https://x?page=2", "previous_page": null}"#,
    )
    .expect("reads");
    assert_eq!(offset.next_page, Some(Some("https://x?page=2".to_owned())));
    assert_eq!(offset.previous_page, Some(None));
}

#[test]
fn record_invalid_bodies_round_trip() {
    let text = r#"{"error":"RecordInvalid","description":"Record validation errors","details":{"base":[{"description":"Title: cannot be blank","error":"BlankValue"}]}}"#;
    assert_eq!(round_trip::<ZendeskRecordInvalid>(text), parse(text));
}

#[test]
fn seed_triggers_validate() {
    for label in [
        "list triggers",
        "list active triggers",
        "search triggers",
        "update_many response",
    ] {
        let page = example(label);
        let triggers = page["triggers"].as_array().expect("triggers");
        for trigger in triggers {
            let result = validate_zendesk_trigger(trigger, None);
            assert!(result.valid, "{label}: {:?}", result.errors);
            let expected: ZendeskTrigger =
                serde_json::from_value(trigger.clone()).expect("typed read");
            assert_eq!(result.value, Some(expected), "{label}");
        }
    }
    let response = example("show trigger");
    let result = validate_zendesk_trigger(&response["trigger"], None);
    assert!(result.valid);
    let codes: Vec<&str> = result.warnings.iter().map(|w| w.code.as_str()).collect();
    assert_eq!(codes, ["no_conditions", "no_actions"]);
}

#[test]
fn create_body_validates_and_normalizes() {
    let body = example("create body");
    let result = validate_zendesk_trigger(&body, None);
    assert!(result.valid, "{:?}", result.errors);
    assert_eq!(result.warnings, []);
    let mut expected = body["trigger"].clone();
    expected["active"] = json!(true);
    assert_eq!(
        serde_json::to_value(result.value.expect("value")).expect("json"),
        expected
    );
}

/// The seed's definitions document lists only `status` among the actions
/// and the `all` conditions, so the documented create body does not fit it.
#[test]
fn definitions_are_authoritative() {
    let defs = definitions();
    let result = validate_zendesk_trigger(&example("create body"), Some(&defs));
    let found: Vec<(&str, &str)> = result
        .errors
        .iter()
        .map(|e| (e.path.as_str(), e.code.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("/trigger/conditions/all/1/field", "unknown_field"),
            ("/trigger/actions/0/field", "unknown_field"),
        ]
    );

    let fits = json!({
        "title": "Escalate",
        "conditions": {
            "all": [{"field": "status", "operator": "less_than", "value": "solved"},
                    {"field": "status", "operator": "changed"}],
            "any": [{"field": "custom_fields_20513432", "operator": "present"}]
        },
        "actions": [{"field": "status", "value": "open"}]
    });
    let result = validate_zendesk_trigger(&fits, Some(&defs));
    assert!(result.valid, "{:?}", result.errors);
    let codes: Vec<(&str, &str)> = result
        .warnings
        .iter()
        .map(|w| (w.path.as_str(), w.code.as_str()))
        .collect();
    assert_eq!(codes, [("/conditions/all/1/field", "repeated_field")]);

    let cases: Vec<(Value, &str, &str)> = vec![
        (
            json!({"all": [{"field": "status", "operator": "is", "value": "hold"}]}),
            "/conditions/all/0/value",
            "invalid_value",
        ),
        (
            json!({"all": [{"field": "custom_fields_20513432", "operator": "present"}]}),
            "/conditions/all/0/field",
            "unknown_field",
        ),
        (
            json!({"all": [{"field": "status", "operator": "includes", "value": "open"}]}),
            "/conditions/all/0/operator",
            "invalid_operator",
        ),
        (
            json!({"any": [{"field": "custom_fields_86492341", "operator": "present", "value": "x"}]}),
            "/conditions/any/0/value",
            "unexpected_value",
        ),
        (
            json!({"any": [{"field": "custom_fields_86492341", "operator": "is", "value": "x"}]}),
            "/conditions/any/0/operator",
            "invalid_operator",
        ),
    ];
    for (conditions, path, code) in cases {
        let input = json!({"title": "t", "conditions": conditions, "actions": [{"field": "status", "value": "open"}]});
        let result = validate_zendesk_trigger(&input, Some(&defs));
        let found: Vec<(&str, &str)> = result
            .errors
            .iter()
            .map(|e| (e.path.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(found, [(path, code)], "{conditions}");
    }

    let mut turned_off = defs.clone();
    if let Some(values) = turned_off.definitions.actions[0].values.as_mut() {
        values[1].enabled = false;
    }
    let input = json!({"title": "t", "conditions": {"all": [{"field": "status", "operator": "is", "value": "open"}]},
                       "actions": [{"field": "status", "value": "pending"}]});
    assert!(validate_zendesk_trigger(&input, Some(&defs)).valid);
    let result = validate_zendesk_trigger(&input, Some(&turned_off));
    assert_eq!(result.errors[0].path, "/actions/0/value");
    assert!(
        result.errors[0].message.contains("turned off"),
        "{}",
        result.errors[0].message
    );
    let closed = json!({"title": "t", "conditions": {"all": [{"field": "status", "operator": "is", "value": "open"}]},
                        "actions": [{"field": "status", "value": "hold"}]});
    assert_eq!(
        validate_zendesk_trigger(&closed, Some(&defs)).errors[0].code,
        "invalid_value"
    );
}

fn trigger_with(conditions: Value, actions: Value) -> Value {
    json!({"title": "Triage", "conditions": conditions, "actions": actions})
}

fn all(condition: Value) -> Value {
    trigger_with(
        json!({"all": [condition]}),
        json!([{"field": "status", "value": "open"}]),
    )
}

fn act(action: Value) -> Value {
    trigger_with(
        json!({"all": [{"field": "status", "operator": "is", "value": "new"}]}),
        json!([action]),
    )
}

#[test]
fn invalid_triggers_give_located_errors() {
    type Case = (&'static str, Value, &'static [(&'static str, &'static str)]);
    let cases: Vec<Case> = vec![
        ("not an object", json!("trigger"), &[("", "type")]),
        (
            "missing title",
            json!({"conditions": {}, "actions": []}),
            &[("", "required")],
        ),
        (
            "missing everything, in a body",
            json!({"trigger": {}}),
            &[
                ("/trigger", "required"),
                ("/trigger", "required"),
                ("/trigger", "required"),
            ],
        ),
        (
            "blank title",
            json!({"title": "  ", "conditions": {}, "actions": []}),
            &[("/title", "blank")],
        ),
        (
            "title number",
            json!({"title": 5, "conditions": {}, "actions": []}),
            &[("/title", "type")],
        ),
        (
            "active text",
            json!({"title": "t", "active": "yes", "conditions": {}, "actions": []}),
            &[("/active", "type")],
        ),
        (
            "position fraction",
            json!({"title": "t", "position": 1.5, "conditions": {}, "actions": []}),
            &[("/position", "type")],
        ),
        (
            "conditions array",
            json!({"title": "t", "conditions": [], "actions": []}),
            &[("/conditions", "type")],
        ),
        (
            "all not a list",
            trigger_with(json!({"all": {}}), json!([])),
            &[("/conditions/all", "type")],
        ),
        (
            "condition not an object",
            all(json!("status is open")),
            &[("/conditions/all/0", "type")],
        ),
        (
            "condition without field",
            all(json!({"operator": "is", "value": "open"})),
            &[("/conditions/all/0", "required")],
        ),
        (
            "condition without operator",
            all(json!({"field": "status", "value": "open"})),
            &[("/conditions/all/0", "required")],
        ),
        (
            "operator the field does not take",
            all(json!({"field": "status", "operator": "includes", "value": "open"})),
            &[("/conditions/all/0/operator", "invalid_operator")],
        ),
        (
            "status outside the ordered list",
            all(json!({"field": "status", "operator": "less_than", "value": "done"})),
            &[("/conditions/all/0/value", "invalid_value")],
        ),
        (
            "priority without value",
            all(json!({"field": "priority", "operator": "greater_than"})),
            &[("/conditions/all/0", "missing_value")],
        ),
        (
            "terminal operator with a value",
            all(json!({"field": "status", "operator": "changed", "value": "open"})),
            &[("/conditions/all/0/value", "unexpected_value")],
        ),
        (
            "assignee by name",
            all(json!({"field": "assignee_id", "operator": "is", "value": "bob"})),
            &[("/conditions/all/0/value", "invalid_value")],
        ),
        (
            "counter in words",
            all(json!({"field": "reopens", "operator": "greater_than", "value": "two"})),
            &[("/conditions/all/0/value", "invalid_value")],
        ),
        (
            "blank tags",
            all(json!({"field": "current_tags", "operator": "includes", "value": " "})),
            &[("/conditions/all/0/value", "invalid_value")],
        ),
        (
            "view-only condition",
            all(
                json!({"field": "description_includes_word", "operator": "includes", "value": "refund"}),
            ),
            &[("/conditions/all/0/field", "unavailable_field")],
        ),
        (
            "time-based condition",
            all(json!({"field": "NEW", "operator": "greater_than", "value": "24"})),
            &[("/conditions/all/0/field", "unavailable_field")],
        ),
        (
            "condition value object",
            all(json!({"field": "type", "operator": "is", "value": {"name": "task"}})),
            &[("/conditions/all/0/value", "type")],
        ),
        (
            "actions object",
            json!({"title": "t", "conditions": {}, "actions": {}}),
            &[("/actions", "type")],
        ),
        (
            "action without value",
            act(json!({"field": "status"})),
            &[("/actions/0", "required")],
        ),
        (
            "action status new",
            act(json!({"field": "status", "value": "new"})),
            &[("/actions/0/value", "invalid_value")],
        ),
        (
            "action null value",
            act(json!({"field": "priority", "value": null})),
            &[("/actions/0", "missing_value")],
        ),
        (
            "notification of two parts",
            act(json!({"field": "notification_user", "value": ["requester_id", "Hi"]})),
            &[("/actions/0/value", "type")],
        ),
        (
            "notification to nobody known",
            act(json!({"field": "notification_user", "value": ["boss", "Hi", "Body"]})),
            &[("/actions/0/value/0", "invalid_value")],
        ),
        (
            "notification with empty body",
            act(json!({"field": "notification_group", "value": ["group_id", "Hi", ""]})),
            &[("/actions/0/value/2", "invalid_value")],
        ),
        (
            "target message object",
            act(json!({"field": "notification_target", "value": ["510312", {}]})),
            &[("/actions/0/value/1", "type")],
        ),
        (
            "webhook payload number",
            act(json!({"field": "notification_webhook", "value": ["01GB7", 5]})),
            &[("/actions/0/value/1", "type")],
        ),
        (
            "multi-select with an object",
            act(json!({"field": "custom_fields_360", "value": ["a", {}]})),
            &[("/actions/0/value/1", "type")],
        ),
    ];
    assert!(cases.len() >= 15);
    for (label, input, expected) in cases {
        let result = validate_zendesk_trigger(&input, None);
        assert!(!result.valid, "{label}");
        assert_eq!(result.value, None, "{label}");
        let found: Vec<(&str, &str)> = result
            .errors
            .iter()
            .map(|e| (e.path.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(found, expected, "{label}");
    }
}

#[test]
fn valid_triggers_are_normalized() {
    let input = json!({"trigger": {
        "title": "Route VIP email",
        "position": -2,
        "category_id": 10026,
        "description": null,
        "conditions": {
            "all": [
                {"field": "update_type", "value": "Create"},
                {"field": "via_id", "operator": "is", "value": 4},
                {"field": "comment_is_public", "operator": "is", "value": true},
                {"field": "priority", "operator": "less_than", "value": ""},
                {"field": "status", "operator": "not_changed", "value": null},
                {"field": "assignee_id", "operator": "is", "value": "current_user"},
                {"field": "user.custom_fields_plan", "operator": "present"},
                {"field": "custom_fields_360", "operator": "greater_than", "value": 3.5}
            ],
            "any": []
        },
        "actions": [
            {"field": "group_id", "value": 20455932},
            {"field": "notification_user", "value": [296220096, "Hello", "Body {{ticket.id}}"]},
            {"field": "notification_target", "value": ["510312", "{}"]},
            {"field": "notification_webhook", "value": ["01GB7ZT", [["ticket", "{{ticket.id}}"]]]},
            {"field": "custom_fields_360", "value": ["a", 2, true]},
            {"field": "set_tags", "value": ""}
        ]
    }});
    let result = validate_zendesk_trigger(&input, None);
    assert!(result.valid, "{:?}", result.errors);
    assert_eq!(result.warnings, []);
    let trigger = serde_json::to_value(result.value.expect("value")).expect("json");
    assert_eq!(
        trigger,
        json!({
            "title": "Route VIP email",
            "active": true,
            "position": -2,
            "category_id": "10026",
            "conditions": {
                "all": [
                    {"field": "update_type", "operator": "is", "value": "Create"},
                    {"field": "via_id", "operator": "is", "value": "4"},
                    {"field": "comment_is_public", "operator": "is", "value": "true"},
                    {"field": "priority", "operator": "less_than", "value": ""},
                    {"field": "status", "operator": "not_changed"},
                    {"field": "assignee_id", "operator": "is", "value": "current_user"},
                    {"field": "user.custom_fields_plan", "operator": "present"},
                    {"field": "custom_fields_360", "operator": "greater_than", "value": "3.5"}
                ],
                "any": []
            },
            "actions": [
                {"field": "group_id", "value": "20455932"},
                {"field": "notification_user", "value": ["296220096", "Hello", "Body {{ticket.id}}"]},
                {"field": "notification_target", "value": ["510312", "{}"]},
                {"field": "notification_webhook", "value": ["01GB7ZT", [["ticket", "{{ticket.id}}"]]]},
                {"field": "custom_fields_360", "value": ["a", "2", "true"]},
                {"field": "set_tags", "value": ""}
            ]
        })
    );
}

#[test]
fn unknown_fields_and_members_are_warnings_without_definitions() {
    let input = json!({
        "title": "t", "colour": "red",
        "conditions": {"all": [{"field": "sla_next_breach_at", "operator": "less_than", "value": "2"}], "none": []},
        "actions": [{"field": "add_skills", "value": {"skills": ["fr"]}}]
    });
    let result = validate_zendesk_trigger(&input, None);
    assert!(result.valid, "{:?}", result.errors);
    let found: Vec<(&str, &str)> = result
        .warnings
        .iter()
        .map(|w| (w.path.as_str(), w.code.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("/colour", "unknown_property"),
            ("/conditions/none", "unknown_property"),
            ("/conditions/all/0/field", "unknown_field"),
            ("/actions/0/field", "unknown_field"),
        ]
    );
    let value = result.value.expect("value");
    assert_eq!(
        serde_json::to_value(&value.actions[0].value).expect("encodes"),
        json!({"skills": ["fr"]})
    );
}

#[test]
fn record_invalid_names_each_member() {
    let input = json!({"trigger": {"title": "", "actions": [{"field": "status", "value": "new"}],
                                   "category_id": [], "conditions": {}}});
    let result = validate_zendesk_trigger(&input, None);
    let body =
        serde_json::to_value(zendesk_record_invalid(&result).expect("invalid")).expect("json");
    assert_eq!(
        body,
        json!({
            "error": "RecordInvalid",
            "description": "Record validation errors",
            "details": {"base": [
                {"description": "Title: cannot be blank", "error": "BlankValue"},
                {"description": "Category: must be a string", "error": "InvalidValue"},
                {"description": "Actions: must be one of 'open', 'pending', 'hold', 'solved', 'closed'", "error": "InvalidValue"}
            ]}
        })
    );
    let missing = validate_zendesk_trigger(&json!({}), None);
    let body = zendesk_record_invalid(&missing).expect("invalid");
    assert_eq!(
        body.details.base[0].description,
        "Trigger: must have required property 'title'"
    );
    assert_eq!(body.details.base[0].error.as_deref(), Some("BlankValue"));
    let valid = validate_zendesk_trigger(&example("create body"), None);
    assert_eq!(zendesk_record_invalid(&valid), None);
}

#[test]
fn hostile_inputs_never_panic() {
    // (input, where the deep value goes, where the error is, its code)
    let deep_places: Vec<(Value, &str, &str, &str)> = vec![
        (
            all(json!({"field": "status", "operator": "is", "value": null})),
            "/conditions/all/0/value",
            "/conditions/all/0/value",
            "type",
        ),
        (
            act(json!({"field": "add_skills", "value": null})),
            "/actions/0/value",
            "/actions/0/value",
            "too_deep",
        ),
        (
            act(json!({"field": "notification_webhook", "value": ["01GB", [null]]})),
            "/actions/0/value/1/0",
            "/actions/0/value/1",
            "too_deep",
        ),
        (
            json!({"title": "t", "conditions": {}, "actions": []}),
            "/title",
            "/title",
            "type",
        ),
    ];
    for (mut input, slot, path, code) in deep_places {
        *input.pointer_mut(slot).expect("slot exists") = deep(100_000);
        let errors = validate_zendesk_trigger(&input, None).errors;
        // Taken apart before asserting: a failing assert would drop it by recursion.
        dismantle(input);
        assert!(
            errors.iter().any(|e| e.path == path && e.code == code),
            "{slot}: {errors:?}"
        );
    }
    let whole = deep(100_000);
    assert!(!validate_zendesk_trigger(&whole, None).valid);
    dismantle(whole);

    let huge = "x".repeat(10 * 1024 * 1024);
    let result = validate_zendesk_trigger(
        &all(json!({"field": huge, "operator": "is", "value": huge})),
        None,
    );
    assert!(result.valid);
    assert!(result.warnings.iter().all(|w| w.message.len() < 300));
    let result = validate_zendesk_trigger(
        &all(json!({"field": "status", "operator": huge, "value": "open"})),
        None,
    );
    assert!(result.errors.iter().all(|e| e.message.len() < 300));

    let mut many = all(json!({"field": "status", "operator": "is", "value": "open"}));
    many["conditions"]["all"] = Value::Array(vec![
        json!({"field": "current_tags", "operator": "includes", "value": "vip"});
        100_000
    ]);
    assert!(validate_zendesk_trigger(&many, None).valid);

    let fillers = fillers();
    let body = example("create body");
    let pointers = pointers(&body);
    let defs = definitions();
    for pointer in &pointers {
        for filler in &fillers {
            let mut input = body.clone();
            *input.pointer_mut(pointer).expect("pointer") = filler.clone();
            for definitions in [None, Some(&defs)] {
                let result = validate_zendesk_trigger(&input, definitions);
                if !result.valid {
                    let record = zendesk_record_invalid(&result).expect("record");
                    assert_eq!(record.details.base.len(), result.errors.len());
                }
                for error in &result.errors {
                    assert!(
                        input.pointer(&error.path).is_some(),
                        "{pointer} = {filler}: {error:?}"
                    );
                }
            }
        }
    }
}
