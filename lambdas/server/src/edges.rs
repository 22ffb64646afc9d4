//! The HTTP edges of the local server: what API Gateway provides in production, done here so
//! that a slow or greedy client cannot hold the local server either.
//!
//! * A connection limit ([`Limits::max_connections`]): further clients wait in the kernel's
//!   accept queue until a connection ends.
//! * A header read timeout ([`Limits::header_read`]): a client that sends its request head
//!   slowly (slowloris) is disconnected.
//! * A body read timeout ([`Limits::body_read`]): a body that does not arrive in time is 408.
//! * `TCP_NODELAY` on every connection: an answer is not held back waiting for an ACK.
//! * `Connection: close` on every error answer to a request that carries a body (413, 415, 408,
//!   401 before the body was read, ...): the body may be unread, so the connection is closed,
//!   and the answer says so.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use http::{header, HeaderValue};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower_http::timeout::RequestBodyTimeoutLayer;

/// The limits of the local server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Connections served at once.
    pub max_connections: usize,
    /// Time to receive a request head (request line and headers).
    pub header_read: Duration,
    /// Time to receive a request body.
    pub body_read: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: 256,
            header_read: Duration::from_secs(5),
            body_read: Duration::from_secs(10),
        }
    }
}

/// Serves `router` on `listener` within `limits` until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) {
    let router = router.layer(axum::middleware::from_fn(close_after_errors));
    let service = tower::ServiceBuilder::new()
        .layer(RequestBodyTimeoutLayer::new(limits.body_read))
        .service(router);
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = Arc::clone(&permits).acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => return,
            },
            () = &mut shutdown => return,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    no_delay(&stream);
                    stream
                }
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
            () = &mut shutdown => return,
        };
        let hyper_service = TowerToHyperService::new(service.clone());
        tokio::spawn(async move {
            let _permit = permit;
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_read);
            if let Err(e) = builder
                .serve_connection(TokioIo::new(stream), hyper_service)
                .await
            {
                tracing::debug!(error = %e, "connection ended");
            }
        });
    }
}

/// Sends each answer as soon as it is written (`TCP_NODELAY`): without it, an answer written in
/// more than one segment waits for the client's delayed ACK of the first (up to 40 ms on Linux).
fn no_delay(stream: &tokio::net::TcpStream) {
    if let Err(e) = stream.set_nodelay(true) {
        tracing::debug!(error = %e, "TCP_NODELAY not set");
    }
}

/// `Connection: close` on an error answer to a request with a body (which may be unread).
async fn close_after_errors(req: Request, next: Next) -> Response {
    let has_body = req.headers().contains_key(header::TRANSFER_ENCODING)
        || req
            .headers()
            .get(header::CONTENT_LENGTH)
            .is_some_and(|v| v.as_bytes() != b"0");
    let mut response = next.run(req).await;
    let status = response.status();
    if (has_body && status.as_u16() >= 400) || matches!(status.as_u16(), 408 | 413 | 415) {
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use axum::body::Body;
    use axum::http::StatusCode;
    use axum::routing::post;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;

    async fn server(limits: Limits) -> std::net::SocketAddr {
        let router = Router::new().route(
            "/echo",
            post(|req: Request<Body>| async move {
                if req
                    .headers()
                    .get(header::CONTENT_TYPE)
                    .map(|v| v.as_bytes())
                    != Some(b"application/json")
                {
                    return StatusCode::UNSUPPORTED_MEDIA_TYPE;
                }
                match axum::body::to_bytes(req.into_body(), 1024).await {
                    Ok(_) => StatusCode::OK,
                    Err(_) => StatusCode::REQUEST_TIMEOUT,
                }
            }),
        );
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(serve(listener, router, limits, std::future::pending()));
        addr
    }

    /// Everything the server sends until it closes the connection (bounded by `wait`).
    async fn read_all(stream: &mut TcpStream, wait: Duration) -> Option<String> {
        let mut out = Vec::new();
        let done = tokio::time::timeout(wait, stream.read_to_end(&mut out)).await;
        done.ok()
            .map(|_| String::from_utf8_lossy(&out).into_owned())
    }

    fn limits() -> Limits {
        Limits {
            max_connections: 4,
            header_read: Duration::from_millis(300),
            body_read: Duration::from_millis(300),
        }
    }

    #[tokio::test]
    async fn accepted_connections_send_without_delay() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let _client = TcpStream::connect(addr).await.unwrap();
        let (stream, _) = listener.accept().await.unwrap();
        assert!(!stream.nodelay().unwrap(), "the kernel's default is Nagle");
        no_delay(&stream);
        assert!(stream.nodelay().unwrap());
    }

    #[tokio::test]
    async fn a_slow_request_head_is_disconnected() {
        let addr = server(limits()).await;
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(b"POST /echo HTTP/1.1\r\nHost: x\r\n")
            .await
            .unwrap();
        // The head never ends: the server closes the connection after the header timeout.
        let answer = read_all(&mut s, Duration::from_secs(5)).await;
        assert!(answer.is_some(), "still connected after 5 s");
    }

    #[tokio::test]
    async fn a_slow_body_is_408_with_connection_close() {
        let addr = server(limits()).await;
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n{}")
            .await
            .unwrap();
        let answer = read_all(&mut s, Duration::from_secs(5)).await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
        assert!(
            answer.to_ascii_lowercase().contains("connection: close"),
            "{answer}"
        );
    }

    #[tokio::test]
    async fn an_error_to_a_request_with_a_body_says_connection_close() {
        let addr = server(limits()).await;
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi")
            .await
            .unwrap();
        let answer = read_all(&mut s, Duration::from_secs(5)).await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 415"), "{answer}");
        assert!(
            answer.to_ascii_lowercase().contains("connection: close"),
            "{answer}"
        );
        // A good request keeps its connection (no close).
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
            .await
            .unwrap();
        let mut buf = [0u8; 512];
        let n = s.read(&mut buf).await.unwrap();
        let head = String::from_utf8_lossy(&buf[..n]).to_ascii_lowercase();
        assert!(
            head.starts_with("http/1.1 200") && !head.contains("connection: close"),
            "{head}"
        );
    }

    #[tokio::test]
    async fn connections_beyond_the_limit_wait_for_a_free_slot() {
        let addr = server(Limits {
            max_connections: 1,
            header_read: Duration::from_millis(800),
            body_read: Duration::from_secs(5),
        })
        .await;
        // The only slot is held by a client that sends nothing.
        let _idle = TcpStream::connect(addr).await.unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
            .await
            .unwrap();
        let mut buf = [0u8; 64];
        let early = tokio::time::timeout(Duration::from_millis(300), s.read(&mut buf)).await;
        assert!(early.is_err(), "served beyond the connection limit");
        // The idle client is dropped after the header timeout; then the waiting one is served.
        let answer = read_all(&mut s, Duration::from_secs(5)).await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    }
}
