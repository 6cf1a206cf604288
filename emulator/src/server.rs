//! The accept loop: HTTP/1.1 connections served by the router, each with a
//! kill switch the fault layer uses to close a socket without answering,
//! normalization of path spellings the real APIs accept, and graceful
//! shutdown.

use axum::extract::Request;
use axum::http::Uri;
use axum::response::Response;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::GracefulShutdown;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tower::ServiceExt;

/// How long shutdown waits for in-flight requests.
const DRAIN: Duration = Duration::from_secs(5);

/// Closes the connection a request came on, without a response.
#[derive(Debug, Clone)]
pub struct ConnKill(Arc<Notify>);

impl ConnKill {
    /// Closes the connection; the returned future never completes (the
    /// connection task drops it along with the socket).
    pub async fn kill(&self) -> Response {
        self.0.notify_one();
        std::future::pending().await
    }
}

/// Rewrites path spellings the real servers accept to the routed form:
/// Zendesk's optional `.json` suffix, and the Zapier paths' trailing slash.
fn normalize(uri: &Uri) -> Option<Uri> {
    let path = uri.path();
    let new_path = if path.starts_with("/api/v2/") && path.ends_with(".json") {
        path.strip_suffix(".json").map(str::to_owned)
    } else if (path.starts_with("/trigger-inbox/") || path.starts_with("/v2/"))
        && !path.ends_with('/')
    {
        Some(format!("{path}/"))
    } else {
        None
    }?;
    let with_query = match uri.query() {
        Some(q) => format!("{new_path}?{q}"),
        None => new_path,
    };
    with_query.parse().ok()
}

/// Serves `router` on `listener` until `shutdown` resolves.
pub async fn run(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send,
) -> std::io::Result<()> {
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors and the like: wait, keep serving.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let kill = Arc::new(Notify::new());
        let handle = ConnKill(kill.clone());
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut req: Request<Incoming>| {
            req.extensions_mut().insert(handle.clone());
            if let Some(uri) = normalize(req.uri()) {
                *req.uri_mut() = uri;
            }
            router.clone().oneshot(req)
        });
        let conn = hyper::server::conn::http1::Builder::new()
            .serve_connection(TokioIo::new(stream), service);
        let watched = graceful.watch(conn);
        tokio::spawn(async move {
            tokio::select! {
                _ = watched => {}
                () = kill.notified() => {}
            }
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(DRAIN, graceful.shutdown()).await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::normalize;
    use axum::http::Uri;

    fn n(s: &str) -> Option<String> {
        normalize(&s.parse::<Uri>().ok()?).map(|u| u.to_string())
    }

    #[test]
    fn normalizes_paths() {
        assert_eq!(
            n("/api/v2/triggers.json?x=1").as_deref(),
            Some("/api/v2/triggers?x=1")
        );
        assert_eq!(
            n("/api/v2/triggers/25.json").as_deref(),
            Some("/api/v2/triggers/25")
        );
        assert_eq!(
            n("/trigger-inbox/api/v1/inboxes/a/messages/lease").as_deref(),
            Some("/trigger-inbox/api/v1/inboxes/a/messages/lease/")
        );
        assert_eq!(n("/trigger-inbox/api/v1/inboxes/"), None);
        assert_eq!(n("/api/v1/livechat/config"), None);
    }
}
