//! Push notifications of the Trigger Inbox: when messages arrive in an
//! inbox created with `notification_url`, the emulator POSTs a small JSON
//! notice there (plain `http://` only; loopback in practice), so consumers
//! can lease on demand instead of polling.

use bytes::Bytes;
use http_body_util::Full;
use hyper::{Request, Uri};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use std::time::Duration;
use tokio::net::TcpStream;

/// How long one notification may take.
const TIMEOUT: Duration = Duration::from_secs(2);

/// POSTs `body` as JSON to `url`; true when the receiver answered 2xx.
pub async fn post(url: &str, body: &Value) -> bool {
    tokio::time::timeout(TIMEOUT, send(url, body))
        .await
        .ok()
        .flatten()
        .unwrap_or(false)
}

async fn send(url: &str, body: &Value) -> Option<bool> {
    let uri: Uri = url.parse().ok()?;
    if uri.scheme_str() != Some("http") {
        return None;
    }
    let host = uri.host()?.to_owned();
    let port = uri.port_u16().unwrap_or(80);
    let stream = TcpStream::connect((host.as_str(), port)).await.ok()?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .ok()?;
    tokio::spawn(conn);
    let path = uri.path_and_query().map_or("/", |p| p.as_str()).to_owned();
    let authority = uri.authority().map(|a| a.as_str().to_owned())?;
    let request = Request::post(path)
        .header(hyper::header::HOST, authority)
        .header(hyper::header::CONTENT_TYPE, "application/json")
        .header(hyper::header::USER_AGENT, "triggerkit-emulator")
        .body(Full::new(Bytes::from(body.to_string())))
        .ok()?;
    let response = sender.send_request(request).await.ok()?;
    Some(response.status().is_success())
}
