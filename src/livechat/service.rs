//! The use-external-service call, without the I/O: the path the runtime
//! POSTs `{extraData, token}` to, and how the Rocket.Chat server's answer is
//! read (`{ response: { contents: [{ msg, order }] } }` on success, status
//! 400 with `{ error, fallbackMessage }` when the service failed).

use crate::json::{stable_order, Value};

/// Why a call produced no messages, and the server's fallback message when
/// its error answer carried one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceFailure {
    /// What went wrong, for the console.
    pub reason: String,
    /// `fallbackMessage` from the server's error answer.
    pub server_fallback: Option<String>,
}

impl ServiceFailure {
    /// A failure with no fallback from the server.
    pub fn new(reason: impl Into<String>) -> Self {
        ServiceFailure {
            reason: reason.into(),
            server_fallback: None,
        }
    }
}

/// `/api/v1/livechat/triggers/{id}/external-service/call`, the id encoded as
/// `encodeURIComponent` would.
pub fn external_service_path(trigger_id: &str) -> String {
    let mut path = String::from("/api/v1/livechat/triggers/");
    for byte in trigger_id.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&byte) {
            path.push(char::from(byte));
        } else {
            path.push('%');
            for nibble in [byte >> 4, byte] {
                path.push(super::hex_digit(u64::from(nibble), b"0123456789ABCDEF"));
            }
        }
    }
    path.push_str("/external-service/call");
    path
}

/// Reads the server's answer into the messages to show, sorted by `order`
/// (stable for equal orders). Any other shape is a failure, as in the widget.
pub fn parse_service_response(status: u16, body: &str) -> Result<Vec<String>, ServiceFailure> {
    let answer = super::parse_json(body).map_err(|_| {
        ServiceFailure::new(format!(
            "HTTP {} with a body that is not JSON",
            u32::from(status)
        ))
    })?;
    if !(200..300).contains(&status) {
        let error = answer
            .get("error")
            .and_then(Value::as_str)
            .unwrap_or("no error code");
        return Err(ServiceFailure {
            reason: format!("HTTP {} ({error})", u32::from(status)),
            server_fallback: answer
                .get("fallbackMessage")
                .and_then(Value::as_str)
                .map(str::to_owned),
        });
    }
    let contents = answer
        .get("response")
        .and_then(|r| r.get("contents"))
        .and_then(Value::as_array)
        .filter(|c| !c.is_empty())
        .ok_or_else(|| ServiceFailure::new("the answer has no contents"))?;
    let mut items = Vec::with_capacity(contents.len());
    for item in contents {
        match (
            item.get("msg").and_then(Value::as_str),
            item.get("order").and_then(Value::as_f64),
        ) {
            (Some(msg), Some(order)) => items.push((order, msg.to_owned())),
            _ => {
                return Err(ServiceFailure::new(
                    "a content item is not { msg: string, order: number }",
                ))
            }
        }
    }
    let order = stable_order(items.len(), &|a, b| {
        let at = |i: usize| items.get(i).map_or(0.0, |(order, _)| *order);
        at(a).total_cmp(&at(b)).is_lt()
    });
    let mut messages: Vec<Option<String>> = items.into_iter().map(|(_, msg)| Some(msg)).collect();
    Ok(order
        .into_iter()
        .filter_map(|i| messages.get_mut(i).and_then(Option::take))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_path_encodes_the_id() {
        assert_eq!(
            external_service_path("a b/c?é"),
            "/api/v1/livechat/triggers/a%20b%2Fc%3F%C3%A9/external-service/call"
        );
        assert_eq!(
            external_service_path("Xy-9_.!~*'()"),
            "/api/v1/livechat/triggers/Xy-9_.!~*'()/external-service/call"
        );
    }

    #[test]
    fn contents_come_back_in_order() {
        let body = r#"{"triggerId":"t","response":{"statusCode":200,"contents":[
            {"msg":"third","order":3},{"msg":"first","order":1},{"msg":"second","order":2},
            {"msg":"also first","order":1}]},"success":true}"#;
        assert_eq!(
            parse_service_response(200, body),
            Ok(vec![
                "first".into(),
                "also first".into(),
                "second".into(),
                "third".into()
            ])
        );
    }

    #[test]
    fn anything_else_is_a_failure() {
        for (status, body) in [
            (200, "not json"),
            (200, r#"{"response":{"contents":[]}}"#),
            (200, r#"{"response":{"contents":[{"msg":1,"order":1}]}}"#),
            (200, r#"{"response":{"contents":[{"msg":"a"}]}}"#),
            (200, r#"{"contents":[{"msg":"a","order":1}]}"#),
            (502, "<html>bad gateway</html>"),
        ] {
            let failure = parse_service_response(status, body).expect_err(body);
            assert_eq!(failure.server_fallback, None, "{body}");
        }
        let failure = parse_service_response(
            400,
            r#"{"success":false,"error":"error-timeout","fallbackMessage":"later"}"#,
        )
        .expect_err("400");
        assert_eq!(failure.reason, "HTTP 400 (error-timeout)");
        assert_eq!(failure.server_fallback.as_deref(), Some("later"));
    }
}
