//! The emulator's Zapier catalog: a few apps, their triggers with input-field
//! definitions, and each app's connections (authentications). Connection ids
//! starting with `bad-` or `expired-` make inbox initialization fail.

use serde_json::{json, Value};
use triggerkit::formats::zapier::ZapierInputField;

/// One app of the catalog.
#[derive(Debug)]
pub struct App {
    /// Slug clients pass as `app` (`slack`).
    pub slug: &'static str,
    /// Versioned app key (`SlackCLIAPI`).
    pub key: &'static str,
    /// Display name.
    pub title: &'static str,
    /// Triggers of the app.
    pub triggers: &'static [Trigger],
}

/// One trigger of an app.
#[derive(Debug)]
pub struct Trigger {
    /// Trigger key (the inbox's `action`).
    pub key: &'static str,
    /// Title.
    pub title: &'static str,
    /// What it fires on.
    pub description: &'static str,
    /// Input-field definitions.
    pub fields: &'static [Field],
}

/// An input-field definition in compact form.
#[derive(Debug)]
pub struct Field {
    key: &'static str,
    title: &'static str,
    value_type: &'static str,
    format: &'static str,
    required: bool,
    default: Option<&'static str>,
    description: Option<&'static str>,
}

const fn field(
    key: &'static str,
    title: &'static str,
    value_type: &'static str,
    format: &'static str,
    required: bool,
    default: Option<&'static str>,
    description: Option<&'static str>,
) -> Field {
    Field {
        key,
        title,
        value_type,
        format,
        required,
        default,
        description,
    }
}

static APPS: &[App] = &[
    App {
        slug: "slack",
        key: "SlackCLIAPI",
        title: "Slack",
        triggers: &[
            Trigger {
                key: "channel_message",
                title: "New Message Posted to Channel",
                description:
                    "Triggers when a new message is posted to a specific #channel you choose.",
                fields: &[
                    field(
                        "channel",
                        "Channel",
                        "STRING",
                        "SELECT",
                        true,
                        None,
                        Some("Only channels you are a member of will appear in this list."),
                    ),
                    field(
                        "listen_for_bots",
                        "Trigger for Bot Messages?",
                        "BOOLEAN",
                        "SELECT",
                        false,
                        Some("no"),
                        None,
                    ),
                ],
            },
            Trigger {
                key: "mention",
                title: "New Mention",
                description:
                    "Triggers when a username or highlight word is mentioned in a public #channel.",
                fields: &[
                    field(
                        "highlight_word",
                        "Highlight Word",
                        "STRING",
                        "TEXT",
                        false,
                        None,
                        Some("Trigger on this word instead of your username."),
                    ),
                    field(
                        "listen_for_bots",
                        "Trigger for Bot Messages?",
                        "BOOLEAN",
                        "SELECT",
                        false,
                        Some("no"),
                        None,
                    ),
                ],
            },
        ],
    },
    App {
        slug: "gmail",
        key: "GoogleMailV2CLIAPI",
        title: "Gmail",
        triggers: &[
            Trigger {
                key: "new_email",
                title: "New Email",
                description: "Triggers when a new email appears in the specified mailbox.",
                fields: &[field(
                    "label",
                    "Label or Mailbox",
                    "STRING",
                    "SELECT",
                    false,
                    Some("INBOX"),
                    None,
                )],
            },
            Trigger {
                key: "new_email_matching_search",
                title: "New Email Matching Search",
                description: "Triggers when a new email matching a Gmail search string arrives.",
                fields: &[field(
                    "search_string",
                    "Search String",
                    "STRING",
                    "TEXT",
                    true,
                    None,
                    Some("Uses Gmail search operators, e.g. from:alice has:attachment."),
                )],
            },
        ],
    },
    App {
        slug: "github",
        key: "GitHubCLIAPI",
        title: "GitHub",
        triggers: &[Trigger {
            key: "new_issue",
            title: "New Issue",
            description: "Triggers when a new issue is opened in a repository.",
            fields: &[
                field("repo", "Repo", "STRING", "SELECT", true, None, None),
                field(
                    "include_pull_requests",
                    "Include Pull Requests?",
                    "BOOLEAN",
                    "SELECT",
                    false,
                    Some("false"),
                    None,
                ),
            ],
        }],
    },
    App {
        slug: "schedule",
        key: "ScheduleCLIAPI",
        title: "Schedule by Zapier",
        triggers: &[Trigger {
            key: "every_day",
            title: "Every Day",
            description: "Triggers once a day at the hour you choose.",
            fields: &[
                field(
                    "time_of_day",
                    "Time of Day",
                    "INTEGER",
                    "SELECT",
                    true,
                    None,
                    Some("Hour of the day, 0 to 23."),
                ),
                field(
                    "trigger_on_weekends",
                    "Trigger on Weekends?",
                    "BOOLEAN",
                    "SELECT",
                    false,
                    Some("yes"),
                    None,
                ),
            ],
        }],
    },
];

/// Finds an app by slug or key (case-insensitive, `@latest` allowed).
pub fn app(name: &str) -> Option<&'static App> {
    let name = name.strip_suffix("@latest").unwrap_or(name);
    APPS.iter()
        .find(|a| a.slug.eq_ignore_ascii_case(name) || a.key.eq_ignore_ascii_case(name))
}

impl App {
    /// The trigger `key` of this app.
    pub fn trigger(&self, key: &str) -> Option<&'static Trigger> {
        self.triggers.iter().find(|t| t.key == key)
    }

    /// The triggers list entries.
    pub fn trigger_views(&self) -> Vec<Value> {
        self.triggers
            .iter()
            .map(|t| {
                json!({
                    "key": t.key, "title": t.title, "description": t.description, "app_key": self.key,
                })
            })
            .collect()
    }

    /// The app's connections: two valid, one expired.
    pub fn authentications(&self) -> Vec<Value> {
        [
            (format!("{}-conn-1", self.slug), "dev@example.com", false),
            (format!("{}-conn-2", self.slug), "ops@example.com", false),
            (
                format!("expired-{}-conn", self.slug),
                "old@example.com",
                true,
            ),
        ]
        .into_iter()
        .map(|(id, who, expired)| {
            json!({
                "type": "authentication",
                "id": id,
                "app": self.key,
                "is_expired": expired,
                "title": format!("{} {who}", self.title),
            })
        })
        .collect()
    }
}

impl Trigger {
    /// The input-field definitions in the triggerkit model (for validation).
    pub fn input_fields(&self) -> Vec<ZapierInputField> {
        self.fields
            .iter()
            .map(|f| ZapierInputField {
                key: f.key.to_owned(),
                title: Some(f.title.to_owned()),
                value_type: Some(f.value_type.to_owned()),
                format: Some(f.format.to_owned()),
                is_required: f.required,
                description: f.description.map(str::to_owned),
                default_value: f.default.map(str::to_owned),
            })
            .collect()
    }
}

/// Why initialization of an inbox on `connection` fails, if it does.
pub fn init_failure(connection: &str) -> Option<String> {
    if connection.starts_with("bad-") || connection.starts_with("expired-") {
        Some(format!(
            "Connection '{connection}' is expired or invalid: the user must reconnect the app account."
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_apps_by_slug_or_key() {
        assert_eq!(app("slack").map(|a| a.key), Some("SlackCLIAPI"));
        assert_eq!(app("SlackCLIAPI@latest").map(|a| a.slug), Some("slack"));
        assert!(app("nope").is_none());
    }

    #[test]
    fn bad_connections_fail() {
        assert!(init_failure("bad-connection").is_some());
        assert!(init_failure("slack-conn-1").is_none());
    }
}
