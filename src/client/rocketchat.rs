//! Rocket.Chat livechat triggers client (`RocketChatClient`): save (create
//! or update) with POST /api/v1/livechat/triggers, list, get and delete,
//! authenticated with the `X-Auth-Token` and `X-User-Id` headers.

use super::http::{json_call, segment, Body, Call, HttpClient};
use super::js::{json_arg, signal_of, string_arg, Options};
use gloo_net::http::Method;
use js_sys::Promise;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// `name` of the errors the thin clients throw.
pub const ERROR_NAME: &str = "HttpError";
const TRIGGERS: &str = "/api/v1/livechat/triggers";

/// Client of a Rocket.Chat server's livechat triggers.
#[wasm_bindgen(js_name = RocketChatClient, skip_typescript)]
pub struct RocketChatClient {
    http: Rc<HttpClient>,
}

#[wasm_bindgen(js_class = RocketChatClient)]
impl RocketChatClient {
    /// `new RocketChatClient({ baseUrl, authToken, userId, retry? })`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<RocketChatClient, JsValue> {
        let http = HttpClient::from_options(&options, None, ERROR_NAME, |o| {
            let headers = vec![
                ("x-auth-token".to_owned(), o.required_string("authToken")?),
                ("x-user-id".to_owned(), o.required_string("userId")?),
            ];
            Ok((headers, None))
        });
        http.map(|http| RocketChatClient {
            http: Rc::new(http),
        })
        .map_err(|e| e.to_js(ERROR_NAME))
    }

    /// Creates a trigger, or updates the one whose `_id` it carries.
    #[wasm_bindgen(js_name = saveTrigger)]
    pub fn save_trigger(&self, trigger: JsValue, options: Option<JsValue>) -> Promise {
        json_call(self.http.clone(), move || {
            let body = Body::json(&json_arg(&trigger, "trigger")?)?;
            let call = Call::new(Method::POST, TRIGGERS.to_owned()).body(body);
            Ok((call, signal_of(&options, "options")?))
        })
    }

    /// Lists triggers (`{ offset?, count?, signal? }`).
    #[wasm_bindgen(js_name = listTriggers)]
    pub fn list_triggers(&self, options: Option<JsValue>) -> Promise {
        json_call(self.http.clone(), move || {
            let o = Options::new(options.as_ref(), "options")?;
            let mut call = Call::new(Method::GET, TRIGGERS.to_owned());
            if let Some(offset) = o.integer("offset", 0, u32::MAX)? {
                call = call.query("offset", offset.to_string());
            }
            if let Some(count) = o.integer("count", 1, u32::MAX)? {
                call = call.query("count", count.to_string());
            }
            Ok((call, o.signal("signal")?))
        })
    }

    /// Gets one trigger.
    #[wasm_bindgen(js_name = getTrigger)]
    pub fn get_trigger(&self, id: JsValue, options: Option<JsValue>) -> Promise {
        self.by_id(Method::GET, id, options)
    }

    /// Deletes one trigger.
    #[wasm_bindgen(js_name = deleteTrigger)]
    pub fn delete_trigger(&self, id: JsValue, options: Option<JsValue>) -> Promise {
        self.by_id(Method::DELETE, id, options)
    }

    fn by_id(&self, method: Method, id: JsValue, options: Option<JsValue>) -> Promise {
        json_call(self.http.clone(), move || {
            let id = segment(&string_arg(&id, "id")?)?;
            let call = Call::new(method, format!("{TRIGGERS}/{id}"));
            Ok((call, signal_of(&options, "options")?))
        })
    }
}

#[wasm_bindgen(typescript_custom_section)]
const ROCKETCHAT_TS: &'static str = r#"
/** Options of `new RocketChatClient(...)`. */
export interface RocketChatClientOptions {
    /** The Rocket.Chat server, e.g. `https://chat.example.com`. */
    baseUrl: string;
    /** `X-Auth-Token` of a user with the view-livechat-manager permission. */
    authToken: string;
    /** `X-User-Id` of that user. */
    userId: string;
    retry?: RetryOptions;
}

/** A stored trigger (with its id). */
export type RocketChatStoredTrigger = RocketChatTrigger & { _id: string; _updatedAt?: string };

/** Client of Rocket.Chat's livechat triggers REST API. */
export class RocketChatClient {
    free(): void;
    [Symbol.dispose](): void;
    constructor(options: RocketChatClientOptions);
    /**
     * POST /api/v1/livechat/triggers: creates, or updates the trigger whose
     * `_id` is given (`_id: null` creates; a validated `value` goes as is).
     */
    saveTrigger(trigger: RocketChatTrigger, options?: CallOptions): Promise<RocketChatApiResponse>;
    listTriggers(options?: CallOptions & { offset?: number; count?: number }): Promise<{ triggers: RocketChatStoredTrigger[]; count: number; offset: number; total: number; success: boolean }>;
    getTrigger(id: string, options?: CallOptions): Promise<{ trigger: RocketChatStoredTrigger | null; success: boolean }>;
    deleteTrigger(id: string, options?: CallOptions): Promise<RocketChatApiResponse>;
}
"#;
