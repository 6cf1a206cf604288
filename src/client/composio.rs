//! Composio client (`ComposioClient`): upsert a trigger instance with
//! POST /api/v3/trigger_instances/{slug}/upsert, `x-api-key` authentication.

use super::http::{json_call, segment, Body, Call, HttpClient};
use super::js::{json_arg, signal_of, string_arg};
use super::rocketchat::ERROR_NAME;
use gloo_net::http::Method;
use js_sys::Promise;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

const DEFAULT_BASE_URL: &str = "https://backend.composio.dev";

/// Client of the Composio trigger-instances API.
#[wasm_bindgen(js_name = ComposioClient, skip_typescript)]
pub struct ComposioClient {
    http: Rc<HttpClient>,
}

#[wasm_bindgen(js_class = ComposioClient)]
impl ComposioClient {
    /// `new ComposioClient({ baseUrl?, apiKey, retry? })`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<ComposioClient, JsValue> {
        let http = HttpClient::from_options(&options, Some(DEFAULT_BASE_URL), ERROR_NAME, |o| {
            Ok((
                vec![("x-api-key".to_owned(), o.required_string("apiKey")?)],
                None,
            ))
        });
        http.map(|http| ComposioClient {
            http: Rc::new(http),
        })
        .map_err(|e| e.to_js(ERROR_NAME))
    }

    /// Creates or updates the trigger instance of trigger type `slug`.
    #[wasm_bindgen(js_name = upsertTriggerInstance)]
    pub fn upsert_trigger_instance(
        &self,
        slug: JsValue,
        body: JsValue,
        options: Option<JsValue>,
    ) -> Promise {
        json_call(self.http.clone(), move || {
            let slug = segment(&string_arg(&slug, "slug")?)?;
            let body = Body::json(&json_arg(&body, "body")?)?;
            let call = Call::new(
                Method::POST,
                format!("/api/v3/trigger_instances/{slug}/upsert"),
            )
            .body(body);
            Ok((call, signal_of(&options, "options")?))
        })
    }
}

#[wasm_bindgen(typescript_custom_section)]
const COMPOSIO_TS: &'static str = r#"
/** Options of `new ComposioClient(...)`. */
export interface ComposioClientOptions {
    /** Default `https://backend.composio.dev`. */
    baseUrl?: string;
    /** The project API key (`x-api-key`). */
    apiKey: string;
    retry?: RetryOptions;
}

/** Client of the Composio trigger-instance upsert API. */
export class ComposioClient {
    free(): void;
    [Symbol.dispose](): void;
    constructor(options: ComposioClientOptions);
    /** POST /api/v3/trigger_instances/{slug}/upsert (the slug is case-insensitive). */
    upsertTriggerInstance(slug: string, body: ComposioUpsertInput, options?: CallOptions): Promise<ComposioUpsertResponse>;
}
"#;
