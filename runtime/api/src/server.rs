//! [`serve`]: the hyper 1 HTTP/1.1 server. One task per connection,
//! keep-alive, `TCP_NODELAY`, a header read timeout against slow clients, and
//! graceful shutdown (stop accepting, let in-flight requests finish).

use crate::backend::Backend;
use crate::routes;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use std::convert::Infallible;
use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

/// The largest body of an AWS API request, in bytes (4 MiB): a definition may
/// have 1,048,576 characters, and JSON escaping makes its body larger.
pub const DEFAULT_MAX_API_BODY_BYTES: usize = 4 << 20;
/// The largest module upload, in bytes (64 MiB).
pub const DEFAULT_MAX_MODULE_BYTES: usize = 64 << 20;
/// The largest sync invoke body, in bytes: the 256 KiB execution input limit.
pub const DEFAULT_MAX_INVOKE_BODY_BYTES: usize = crate::model::MAX_PAYLOAD_BYTES;
/// How long a client may take to send a request's headers (30 s).
pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// How long shutdown waits for in-flight requests (30 s).
pub const DEFAULT_SHUTDOWN_GRACE: Duration = Duration::from_secs(30);
/// How long to pause after a failed accept (e.g. out of file descriptors).
const ACCEPT_ERROR_PAUSE: Duration = Duration::from_millis(50);

/// Server settings; [`Config::default`] uses the `DEFAULT_*` constants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The largest body on `POST /`, in bytes.
    pub max_api_body_bytes: usize,
    /// The largest body on `PUT /modules/<name>`, in bytes.
    pub max_module_bytes: usize,
    /// The largest body on `POST /invoke/<name>`, in bytes.
    pub max_invoke_body_bytes: usize,
    /// How long a client may take to send a request's headers.
    pub header_read_timeout: Duration,
    /// How long shutdown waits for in-flight requests before returning.
    pub shutdown_grace: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_api_body_bytes: DEFAULT_MAX_API_BODY_BYTES,
            max_module_bytes: DEFAULT_MAX_MODULE_BYTES,
            max_invoke_body_bytes: DEFAULT_MAX_INVOKE_BODY_BYTES,
            header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT,
            shutdown_grace: DEFAULT_SHUTDOWN_GRACE,
        }
    }
}

/// What every request handler shares.
struct Shared<B> {
    backend: Arc<B>,
    config: Config,
}

/// Serves `backend` on `listener` with [`Config::default`] until `shutdown`
/// resolves, then shuts down gracefully.
pub async fn serve<B: Backend>(listener: TcpListener, backend: Arc<B>, shutdown: impl Future) {
    serve_with_config(listener, backend, Config::default(), shutdown).await
}

/// Serves `backend` on `listener` until `shutdown` resolves: stops accepting,
/// lets open connections finish their requests (idle ones close at once), and
/// returns when they are done or [`Config::shutdown_grace`] has passed.
pub async fn serve_with_config<B: Backend>(
    listener: TcpListener,
    backend: Arc<B>,
    config: Config,
    shutdown: impl Future,
) {
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(config.header_read_timeout)
        .keep_alive(true);
    let grace = config.shutdown_grace;
    let shared = Arc::new(Shared { backend, config });
    let graceful = GracefulShutdown::new();
    let mut shutdown = pin!(shutdown);
    loop {
        let stream = tokio::select! {
            biased;
            _ = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => {
                    tokio::time::sleep(ACCEPT_ERROR_PAUSE).await;
                    continue;
                }
            },
        };
        // Replies are written whole; Nagle would only delay them.
        let _ = stream.set_nodelay(true);
        let shared = Arc::clone(&shared);
        let service = service_fn(move |request| {
            let shared = Arc::clone(&shared);
            async move {
                Ok::<_, Infallible>(routes::route(request, &*shared.backend, &shared.config).await)
            }
        });
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            // A connection error (the client went away) concerns that client only.
            let _ = connection.await;
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(grace, graceful.shutdown()).await;
}
