//! Zendesk triggers client (`ZendeskClient`): the full triggers REST API
//! (list, active, search, show, create, update, delete, definitions,
//! update_many, reorder, destroy_many, revisions), with cursor and offset
//! pagination, and `triggers()` / `activeTriggers()` / `searchTriggers()`
//! async iterators that walk every page. Authentication: email and API
//! token, email and password, or an OAuth bearer token.

use super::http::{
    basic_auth, json_call, segment, Body, Call, CallOptions, ClientError, HttpClient, TokenSource,
};
use super::js::{json_arg, signal_of, string_arg, Options};
use super::rocketchat::ERROR_NAME;
use gloo_net::http::Method;
use js_sys::{Array, Object, Promise, Reflect};
use serde_json::json;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::AbortSignal;

const TRIGGERS: &str = "/api/v2/triggers";

#[wasm_bindgen(
    inline_js = "export function asyncIterable(it) { it[Symbol.asyncIterator] = function () { return this; }; return it; }"
)]
extern "C" {
    /// Makes `it` (which has `next()`) usable with `for await`.
    #[wasm_bindgen(js_name = asyncIterable)]
    fn async_iterable(it: JsValue) -> JsValue;
}

/// Client of a Zendesk account's triggers.
#[wasm_bindgen(js_name = ZendeskClient, skip_typescript)]
pub struct ZendeskClient {
    http: Rc<HttpClient>,
}

/// A trigger or revision id: a whole number, or its decimal text.
fn id_arg(value: &JsValue, what: &str) -> Result<String, ClientError> {
    if let Some(n) = value.as_f64() {
        if n >= 0.0 && n.fract() == 0.0 && n <= 9_007_199_254_740_991.0 {
            return Ok(format!("{n:.0}"));
        }
    }
    match value.as_string() {
        Some(text) if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) => Ok(text),
        _ => Err(ClientError::InvalidArgument(format!(
            "{what} must be a trigger id (a whole number)"
        ))),
    }
}

/// A list of ids.
fn id_list(value: &JsValue, what: &str) -> Result<Vec<String>, ClientError> {
    if !Array::is_array(value) {
        return Err(ClientError::InvalidArgument(format!(
            "{what} must be an array of ids"
        )));
    }
    let array: &Array = value.unchecked_ref();
    array.iter().map(|id| id_arg(&id, what)).collect()
}

/// Which pages a list call asks for.
#[derive(Debug, Clone, PartialEq)]
enum Paging {
    /// `page[size]`, `page[after]`, `page[before]`.
    Cursor {
        size: Option<u32>,
        after: Option<String>,
        before: Option<String>,
    },
    /// `page`, `per_page`.
    Offset { page: u32, per_page: Option<u32> },
    /// Neither: the server's default (offset, first page).
    Default,
}

/// A list call: path, filters and paging.
#[derive(Debug, Clone)]
struct ListQuery {
    path: String,
    filters: Vec<(&'static str, String)>,
    paging: Paging,
}

impl ListQuery {
    /// Reads `{ active?, categoryId?, sortBy?, sortOrder?, include?,
    /// pageSize?, after?, before?, page?, perPage?, pagination? }`; the
    /// iterators default to cursor pagination, single calls to the server's.
    fn parse(path: String, o: &Options<'_>, iterating: bool) -> Result<ListQuery, ClientError> {
        let mut filters = Vec::new();
        if let Some(active) = o.boolean("active")? {
            filters.push(("active", active.to_string()));
        }
        for (key, param) in [
            ("categoryId", "category_id"),
            ("sortBy", "sort_by"),
            ("sortOrder", "sort_order"),
            ("include", "include"),
        ] {
            if let Some(value) = o.string(key)? {
                filters.push((param, value));
            }
        }
        let size = o.integer("pageSize", 1, 100)?;
        let after = o.string("after")?;
        let before = o.string("before")?;
        let page = o.integer("page", 1, u32::MAX)?;
        let per_page = o.integer("perPage", 1, 100)?;
        let cursor_given = size.is_some() || after.is_some() || before.is_some();
        let offset_given = page.is_some() || per_page.is_some();
        if cursor_given && offset_given {
            return Err(ClientError::InvalidArgument(
                "cursor (pageSize, after, before) and offset (page, perPage) pagination cannot be mixed"
                    .to_owned(),
            ));
        }
        let paging = match o.string("pagination")?.as_deref() {
            Some("offset") if !cursor_given => Paging::Offset {
                page: page.unwrap_or(1),
                per_page,
            },
            Some("cursor") if !offset_given => Paging::Cursor {
                size,
                after,
                before,
            },
            Some(other @ ("offset" | "cursor")) => {
                return Err(ClientError::InvalidArgument(format!(
                    "pagination {other:?} does not fit the page options given"
                )))
            }
            Some(other) => {
                return Err(ClientError::InvalidArgument(format!(
                    "pagination must be 'cursor' or 'offset', got {other:?}"
                )))
            }
            None if offset_given => Paging::Offset {
                page: page.unwrap_or(1),
                per_page,
            },
            None if cursor_given || iterating => Paging::Cursor {
                size,
                after,
                before,
            },
            None => Paging::Default,
        };
        Ok(ListQuery {
            path,
            filters,
            paging,
        })
    }

    fn call(&self) -> Call {
        let mut call = Call::new(Method::GET, self.path.clone());
        call.query.extend(self.filters.iter().cloned());
        match &self.paging {
            Paging::Cursor {
                size,
                after,
                before,
            } => {
                if let Some(size) = size {
                    call = call.query("page[size]", size.to_string());
                }
                if let Some(after) = after {
                    call = call.query("page[after]", after.clone());
                }
                if let Some(before) = before {
                    call = call.query("page[before]", before.clone());
                }
                // An empty cursor query still selects cursor pagination.
                if size.is_none() && after.is_none() && before.is_none() {
                    call = call.query("page[size]", "100");
                }
            }
            Paging::Offset { page, per_page } => {
                call = call.query("page", page.to_string());
                if let Some(per_page) = per_page {
                    call = call.query("per_page", per_page.to_string());
                }
            }
            Paging::Default => {}
        }
        call
    }

    /// The query of the page after `page` (a parsed response), if any.
    fn next(&self, page: &JsValue) -> Option<ListQuery> {
        let get = |o: &JsValue, k: &str| Reflect::get(o, &k.into()).unwrap_or(JsValue::UNDEFINED);
        let paging = match &self.paging {
            Paging::Cursor { size, before, .. } => {
                let meta = get(page, "meta");
                if get(&meta, "has_more").as_bool() != Some(true) {
                    return None;
                }
                // A walk that started from `before` goes on backwards.
                let backwards = before.is_some();
                let key = if backwards {
                    "before_cursor"
                } else {
                    "after_cursor"
                };
                let cursor = get(&meta, key).as_string()?;
                Paging::Cursor {
                    size: *size,
                    after: (!backwards).then(|| cursor.clone()),
                    before: backwards.then_some(cursor),
                }
            }
            Paging::Offset { page: n, per_page } => {
                get(page, "next_page").as_string()?;
                Paging::Offset {
                    page: n.checked_add(1)?,
                    per_page: *per_page,
                }
            }
            Paging::Default => {
                get(page, "next_page").as_string()?;
                Paging::Offset {
                    page: 2,
                    per_page: None,
                }
            }
        };
        Some(ListQuery {
            path: self.path.clone(),
            filters: self.filters.clone(),
            paging,
        })
    }
}

#[wasm_bindgen(js_class = ZendeskClient)]
impl ZendeskClient {
    /// `new ZendeskClient({ baseUrl, email?, apiToken?, password?, oauthToken?, retry? })`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<ZendeskClient, JsValue> {
        Self::build(&options)
            .map(|http| ZendeskClient {
                http: Rc::new(http),
            })
            .map_err(|e| e.to_js(ERROR_NAME))
    }

    fn build(options: &JsValue) -> Result<HttpClient, ClientError> {
        HttpClient::from_options(options, None, ERROR_NAME, |o| {
            let email = o.string("email")?;
            let credentials = (
                email.as_deref(),
                o.string("apiToken")?,
                o.string("password")?,
                o.string("oauthToken")?,
            );
            match credentials {
                (Some(email), Some(api_token), None, None) => {
                    let auth = basic_auth(&format!("{email}/token"), &api_token);
                    Ok((vec![("authorization".to_owned(), auth)], None))
                }
                (Some(email), None, Some(password), None) => {
                    let auth = basic_auth(email, &password);
                    Ok((vec![("authorization".to_owned(), auth)], None))
                }
                (None, None, None, Some(token)) => {
                    Ok((Vec::new(), Some(TokenSource::Static(token))))
                }
                _ => Err(ClientError::InvalidArgument(
                    "give one of: email and apiToken, email and password, or oauthToken".to_owned(),
                )),
            }
        })
    }

    /// One page of GET /api/v2/triggers.
    #[wasm_bindgen(js_name = listTriggers)]
    pub fn list_triggers(&self, query: Option<JsValue>) -> Promise {
        self.page(TRIGGERS.to_owned(), query)
    }

    /// One page of GET /api/v2/triggers/active.
    #[wasm_bindgen(js_name = listActiveTriggers)]
    pub fn list_active_triggers(&self, query: Option<JsValue>) -> Promise {
        self.page(format!("{TRIGGERS}/active"), query)
    }

    /// One page of GET /api/v2/triggers/search?query=.
    #[wasm_bindgen(js_name = searchTriggersPage)]
    pub fn search_triggers_page(&self, text: JsValue, query: Option<JsValue>) -> Promise {
        let http = self.http.clone();
        json_call(http, move || {
            let o = Options::new(query.as_ref(), "query")?;
            let list = search_query(&text, &o, false)?;
            Ok((list.call(), o.signal("signal")?))
        })
    }

    fn page(&self, path: String, query: Option<JsValue>) -> Promise {
        json_call(self.http.clone(), move || {
            let o = Options::new(query.as_ref(), "query")?;
            let list = ListQuery::parse(path, &o, false)?;
            Ok((list.call(), o.signal("signal")?))
        })
    }

    /// Every trigger, page after page (cursor pagination unless offset
    /// options are given): `for await (const t of zendesk.triggers())`.
    pub fn triggers(&self, query: Option<JsValue>) -> Result<JsValue, JsValue> {
        self.iterate(TRIGGERS.to_owned(), query)
    }

    /// Every active trigger, page after page.
    #[wasm_bindgen(js_name = activeTriggers)]
    pub fn active_triggers(&self, query: Option<JsValue>) -> Result<JsValue, JsValue> {
        self.iterate(format!("{TRIGGERS}/active"), query)
    }

    /// Every trigger whose title matches `text`, page after page.
    #[wasm_bindgen(js_name = searchTriggers)]
    pub fn search_triggers(
        &self,
        text: JsValue,
        query: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let build = || {
            let o = Options::new(query.as_ref(), "query")?;
            Ok::<_, ClientError>((search_query(&text, &o, true)?, o.signal("signal")?))
        };
        let (list, signal) = build().map_err(|e| e.to_js(ERROR_NAME))?;
        Ok(TriggerPages::start(self.http.clone(), list, signal))
    }

    fn iterate(&self, path: String, query: Option<JsValue>) -> Result<JsValue, JsValue> {
        let build = || {
            let o = Options::new(query.as_ref(), "query")?;
            Ok::<_, ClientError>((ListQuery::parse(path, &o, true)?, o.signal("signal")?))
        };
        let (list, signal) = build().map_err(|e| e.to_js(ERROR_NAME))?;
        Ok(TriggerPages::start(self.http.clone(), list, signal))
    }

    /// GET /api/v2/triggers/{id}.
    #[wasm_bindgen(js_name = getTrigger)]
    pub fn get_trigger(&self, id: JsValue, options: Option<JsValue>) -> Promise {
        json_call(self.http.clone(), move || {
            let call = Call::new(Method::GET, format!("{TRIGGERS}/{}", id_arg(&id, "id")?));
            Ok((call, signal_of(&options, "options")?))
        })
    }

    /// POST /api/v2/triggers with `{ trigger }`.
    #[wasm_bindgen(js_name = createTrigger)]
    pub fn create_trigger(&self, trigger: JsValue, options: Option<JsValue>) -> Promise {
        json_call(self.http.clone(), move || {
            let body = json!({ "trigger": json_arg(&trigger, "trigger")? });
            let call = Call::new(Method::POST, TRIGGERS.to_owned()).body(Body::json(&body)?);
            Ok((call, signal_of(&options, "options")?))
        })
    }

    /// PUT /api/v2/triggers/{id} with `{ trigger }` (the members to change).
    #[wasm_bindgen(js_name = updateTrigger)]
    pub fn update_trigger(
        &self,
        id: JsValue,
        trigger: JsValue,
        options: Option<JsValue>,
    ) -> Promise {
        json_call(self.http.clone(), move || {
            let path = format!("{TRIGGERS}/{}", id_arg(&id, "id")?);
            let body = json!({ "trigger": json_arg(&trigger, "trigger")? });
            let call = Call::new(Method::PUT, path).body(Body::json(&body)?);
            Ok((call, signal_of(&options, "options")?))
        })
    }

    /// DELETE /api/v2/triggers/{id}.
    #[wasm_bindgen(js_name = deleteTrigger)]
    pub fn delete_trigger(&self, id: JsValue, options: Option<JsValue>) -> Promise {
        json_call(self.http.clone(), move || {
            let call = Call::new(Method::DELETE, format!("{TRIGGERS}/{}", id_arg(&id, "id")?));
            Ok((call, signal_of(&options, "options")?))
        })
    }

    /// GET /api/v2/triggers/definitions.
    #[wasm_bindgen(js_name = triggerDefinitions)]
    pub fn trigger_definitions(&self, options: Option<JsValue>) -> Promise {
        json_call(self.http.clone(), move || {
            let call = Call::new(Method::GET, format!("{TRIGGERS}/definitions"));
            Ok((call, signal_of(&options, "options")?))
        })
    }

    /// PUT /api/v2/triggers/update_many with `{ triggers: updates }`.
    #[wasm_bindgen(js_name = updateManyTriggers)]
    pub fn update_many_triggers(&self, updates: JsValue, options: Option<JsValue>) -> Promise {
        json_call(self.http.clone(), move || {
            let body = json!({ "triggers": json_arg(&updates, "updates")? });
            let call =
                Call::new(Method::PUT, format!("{TRIGGERS}/update_many")).body(Body::json(&body)?);
            Ok((call, signal_of(&options, "options")?))
        })
    }

    /// PUT /api/v2/triggers/reorder with every trigger id, first to fire first.
    #[wasm_bindgen(js_name = reorderTriggers)]
    pub fn reorder_triggers(&self, ids: JsValue, options: Option<JsValue>) -> Promise {
        json_call(self.http.clone(), move || {
            let ids = id_list(&ids, "ids")?
                .iter()
                .map(|id| id.parse::<u64>())
                .collect::<Result<Vec<u64>, _>>()
                .map_err(|e| ClientError::InvalidArgument(format!("ids: {e}")))?;
            let body = json!({ "trigger_ids": ids });
            let call =
                Call::new(Method::PUT, format!("{TRIGGERS}/reorder")).body(Body::json(&body)?);
            Ok((call, signal_of(&options, "options")?))
        })
    }

    /// DELETE /api/v2/triggers/destroy_many?ids=1,2,3.
    #[wasm_bindgen(js_name = destroyManyTriggers)]
    pub fn destroy_many_triggers(&self, ids: JsValue, options: Option<JsValue>) -> Promise {
        json_call(self.http.clone(), move || {
            let ids = id_list(&ids, "ids")?;
            if ids.is_empty() {
                return Err(ClientError::InvalidArgument(
                    "ids must not be empty".to_owned(),
                ));
            }
            let call = Call::new(Method::DELETE, format!("{TRIGGERS}/destroy_many"))
                .query("ids", ids.join(","));
            Ok((call, signal_of(&options, "options")?))
        })
    }

    /// GET /api/v2/triggers/{id}/revisions (`{ limit?, cursor?, signal? }`).
    #[wasm_bindgen(js_name = listTriggerRevisions)]
    pub fn list_trigger_revisions(&self, id: JsValue, options: Option<JsValue>) -> Promise {
        json_call(self.http.clone(), move || {
            let o = Options::new(options.as_ref(), "options")?;
            let mut call = Call::new(
                Method::GET,
                format!("{TRIGGERS}/{}/revisions", id_arg(&id, "id")?),
            );
            if let Some(limit) = o.integer("limit", 1, 1000)? {
                call = call.query("limit", limit.to_string());
            }
            if let Some(cursor) = o.string("cursor")? {
                call = call.query("cursor", cursor);
            }
            Ok((call, o.signal("signal")?))
        })
    }

    /// GET /api/v2/triggers/{id}/revisions/{revisionId}.
    #[wasm_bindgen(js_name = getTriggerRevision)]
    pub fn get_trigger_revision(
        &self,
        id: JsValue,
        revision_id: JsValue,
        options: Option<JsValue>,
    ) -> Promise {
        json_call(self.http.clone(), move || {
            let path = format!(
                "{TRIGGERS}/{}/revisions/{}",
                id_arg(&id, "id")?,
                segment(&id_arg(&revision_id, "revisionId")?)?
            );
            Ok((
                Call::new(Method::GET, path),
                signal_of(&options, "options")?,
            ))
        })
    }
}

fn search_query(
    text: &JsValue,
    o: &Options<'_>,
    iterating: bool,
) -> Result<ListQuery, ClientError> {
    let text = string_arg(text, "query")?;
    let mut list = ListQuery::parse(format!("{TRIGGERS}/search"), o, iterating)?;
    list.filters.insert(0, ("query", text));
    Ok(list)
}

/// State of a trigger iterator: the query of the next page, the triggers
/// of the current page not yet handed out, and the call in progress (calls
/// to `next()` made before the previous one settled wait for it).
struct PagesState {
    http: Rc<HttpClient>,
    next_query: Option<ListQuery>,
    buffer: VecDeque<JsValue>,
    signal: Option<AbortSignal>,
    last: Option<Promise>,
}

/// The async iterator behind `triggers()`: `next()` resolves with
/// `{ value: trigger, done: false }`, then `{ value: undefined, done: true }`.
#[wasm_bindgen(skip_typescript)]
pub struct TriggerPages {
    state: Rc<RefCell<PagesState>>,
}

impl TriggerPages {
    fn start(http: Rc<HttpClient>, first: ListQuery, signal: Option<AbortSignal>) -> JsValue {
        let pages = TriggerPages {
            state: Rc::new(RefCell::new(PagesState {
                http,
                next_query: Some(first),
                buffer: VecDeque::new(),
                signal,
                last: None,
            })),
        };
        async_iterable(pages.into())
    }
}

fn iterator_result(value: Option<JsValue>) -> JsValue {
    let result = Object::new();
    let done = value.is_none();
    // Setting members of a fresh plain object cannot fail.
    let _ = Reflect::set(
        &result,
        &"value".into(),
        &value.unwrap_or(JsValue::UNDEFINED),
    );
    let _ = Reflect::set(&result, &"done".into(), &done.into());
    result.into()
}

/// The next trigger: from the buffer, or by fetching the next page.
async fn next_trigger(state: Rc<RefCell<PagesState>>) -> Result<JsValue, ClientError> {
    loop {
        let (http, query, signal) = {
            let mut s = state.borrow_mut();
            if let Some(trigger) = s.buffer.pop_front() {
                return Ok(iterator_result(Some(trigger)));
            }
            match s.next_query.take() {
                None => return Ok(iterator_result(None)),
                Some(q) => (s.http.clone(), q, s.signal.clone()),
            }
        };
        let page = http
            .send(&query.call(), CallOptions::with_signal(signal.as_ref()))
            .await?
            .js()?;
        let triggers = Reflect::get(&page, &"triggers".into()).unwrap_or(JsValue::UNDEFINED);
        if !Array::is_array(&triggers) {
            return Err(ClientError::InvalidResponse(
                "a trigger page has no triggers array".to_owned(),
            ));
        }
        let triggers: Array = triggers.unchecked_into();
        let mut s = state.borrow_mut();
        s.buffer.extend(triggers.iter());
        // An empty page ends the walk even if the server claims more.
        s.next_query = if triggers.length() == 0 {
            None
        } else {
            query.next(&page)
        };
    }
}

#[wasm_bindgen]
impl TriggerPages {
    /// The next trigger (fetching the next page when needed).
    pub fn next(&self) -> Promise {
        let state = self.state.clone();
        let previous = self.state.borrow_mut().last.take();
        let promise = future_to_promise(async move {
            if let Some(previous) = previous {
                // The previous call's outcome is its caller's; only its order matters.
                let _ = JsFuture::from(previous).await;
            }
            next_trigger(state).await.map_err(|e| e.to_js(ERROR_NAME))
        });
        self.state.borrow_mut().last = Some(promise.clone());
        promise
    }

    /// Ends the walk early (what `break` in `for await` calls).
    #[wasm_bindgen(js_name = "return")]
    pub fn finish(&self) -> Promise {
        let mut s = self.state.borrow_mut();
        s.next_query = None;
        s.buffer.clear();
        Promise::resolve(&iterator_result(None))
    }
}

#[wasm_bindgen(typescript_custom_section)]
const ZENDESK_TS: &'static str = r#"
/** Options of `new ZendeskClient(...)`: one way to authenticate. */
export type ZendeskClientOptions = {
    /** The account, e.g. `https://example.zendesk.com`. */
    baseUrl: string;
    retry?: RetryOptions;
} & (
    | { email: string; apiToken: string }
    | { email: string; password: string }
    | { oauthToken: string }
);

/** Filters, sorting and paging of the trigger lists. */
export interface ZendeskListQuery extends CallOptions {
    active?: boolean;
    categoryId?: string;
    sortBy?: 'position' | 'alphabetical' | 'created_at' | 'updated_at' | 'usage_1h' | 'usage_24h' | 'usage_7d' | 'usage_30d';
    sortOrder?: 'asc' | 'desc';
    /** Sideloads, comma-separated (`usage_24h,permissions`). */
    include?: string;
    /** Cursor pagination: page size (1 to 100) and cursors. */
    pageSize?: number;
    after?: string;
    before?: string;
    /** Offset pagination: page number (from 1) and size (1 to 100). */
    page?: number;
    perPage?: number;
    /** Force one kind (the iterators default to cursor pagination). */
    pagination?: 'cursor' | 'offset';
}

/** Client of the Zendesk triggers REST API. */
export class ZendeskClient {
    free(): void;
    [Symbol.dispose](): void;
    constructor(options: ZendeskClientOptions);
    listTriggers(query?: ZendeskListQuery): Promise<ZendeskTriggerPage>;
    listActiveTriggers(query?: ZendeskListQuery): Promise<ZendeskTriggerPage>;
    searchTriggersPage(query: string, options?: ZendeskListQuery): Promise<ZendeskTriggerPage>;
    /** Every trigger across pages: `for await (const trigger of client.triggers()) ...`. */
    triggers(query?: ZendeskListQuery): AsyncIterableIterator<ZendeskTrigger>;
    activeTriggers(query?: ZendeskListQuery): AsyncIterableIterator<ZendeskTrigger>;
    searchTriggers(query: string, options?: ZendeskListQuery): AsyncIterableIterator<ZendeskTrigger>;
    getTrigger(id: number | string, options?: CallOptions): Promise<ZendeskTriggerResponse>;
    createTrigger(trigger: ZendeskTriggerPartial, options?: CallOptions): Promise<ZendeskTriggerResponse>;
    updateTrigger(id: number | string, trigger: ZendeskTriggerPartial, options?: CallOptions): Promise<ZendeskTriggerResponse>;
    deleteTrigger(id: number | string, options?: CallOptions): Promise<null>;
    triggerDefinitions(options?: CallOptions): Promise<ZendeskDefinitions>;
    updateManyTriggers(updates: ZendeskTriggerUpdate[], options?: CallOptions): Promise<ZendeskTriggerPage>;
    /** Every trigger id of the account, first to fire first. */
    reorderTriggers(ids: (number | string)[], options?: CallOptions): Promise<ZendeskTriggerResponse>;
    destroyManyTriggers(ids: (number | string)[], options?: CallOptions): Promise<null>;
    listTriggerRevisions(id: number | string, options?: CallOptions & { limit?: number; cursor?: string }): Promise<ZendeskRevisionList>;
    getTriggerRevision(id: number | string, revisionId: number | string, options?: CallOptions): Promise<ZendeskRevisionResponse>;
}
"#;
