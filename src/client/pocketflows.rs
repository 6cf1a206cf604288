//! Pocketflows client (`PocketflowsClient`): create a trigger with
//! POST /businesses/{id}/triggers, HTTP Basic authentication.

use super::http::{basic_auth, json_call, segment, Body, Call, HttpClient};
use super::js::{json_arg, signal_of, string_arg};
use super::rocketchat::ERROR_NAME;
use gloo_net::http::Method;
use js_sys::Promise;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

const DEFAULT_BASE_URL: &str = "https://api.pocketflows.com";

/// Client of the Pocketflows triggers API.
#[wasm_bindgen(js_name = PocketflowsClient, skip_typescript)]
pub struct PocketflowsClient {
    http: Rc<HttpClient>,
}

#[wasm_bindgen(js_class = PocketflowsClient)]
impl PocketflowsClient {
    /// `new PocketflowsClient({ baseUrl?, username, password, retry? })`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<PocketflowsClient, JsValue> {
        let http = HttpClient::from_options(&options, Some(DEFAULT_BASE_URL), ERROR_NAME, |o| {
            let auth = basic_auth(
                &o.required_string("username")?,
                &o.required_string("password")?,
            );
            Ok((vec![("authorization".to_owned(), auth)], None))
        });
        http.map(|http| PocketflowsClient {
            http: Rc::new(http),
        })
        .map_err(|e| e.to_js(ERROR_NAME))
    }

    /// Creates a trigger of business `businessId`.
    #[wasm_bindgen(js_name = createTrigger)]
    pub fn create_trigger(
        &self,
        business_id: JsValue,
        trigger: JsValue,
        options: Option<JsValue>,
    ) -> Promise {
        json_call(self.http.clone(), move || {
            let business = segment(&string_arg(&business_id, "businessId")?)?;
            let body = Body::json(&json_arg(&trigger, "trigger")?)?;
            let call =
                Call::new(Method::POST, format!("/businesses/{business}/triggers")).body(body);
            Ok((call, signal_of(&options, "options")?))
        })
    }
}

#[wasm_bindgen(typescript_custom_section)]
const POCKETFLOWS_TS: &'static str = r#"
/** Options of `new PocketflowsClient(...)`. */
export interface PocketflowsClientOptions {
    /** Default `https://api.pocketflows.com`. */
    baseUrl?: string;
    /** HTTP Basic user name. */
    username: string;
    /** HTTP Basic password. */
    password: string;
    retry?: RetryOptions;
}

/** Client of the Pocketflows create-trigger API. */
export class PocketflowsClient {
    free(): void;
    [Symbol.dispose](): void;
    constructor(options: PocketflowsClientOptions);
    /** POST /businesses/{businessId}/triggers. */
    createTrigger(businessId: string, trigger: PocketflowsTriggerInput, options?: CallOptions): Promise<PocketflowsTrigger>;
}
"#;
