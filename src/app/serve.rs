//! The HTTP server: accepting connections, HTTP/1.1 and HTTP/2, graceful shutdown.
//!
//! Each connection starts on the hot-media path ([`wire`]): while its requests are `GET`s
//! of media the server has answered before, they are answered straight on the socket. At
//! the first request that is anything else, the connection — with the bytes already read —
//! goes to hyper and the application for good.

use crate::web::media::wire::{self, Parsed};
use bytes::{Buf, Bytes, BytesMut};
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::service::TowerToHyperService;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::watch;
use tokio::time::Instant;

/// How long clients may take on the wire.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// To send a whole request head, from its first byte (or from connecting): slowloris.
    pub head: Duration,
    /// For a kept-alive connection to start its next request.
    pub idle: Duration,
}

impl Default for Timeouts {
    fn default() -> Timeouts {
        Timeouts {
            head: Duration::from_secs(15),
            idle: Duration::from_secs(60),
        }
    }
}
/// A request head longer than this is left to hyper (which answers 431).
const MAX_HEAD: usize = 16 * 1024;

/// Serves HTTP/1.1 and HTTP/2 on `listener` until `shutdown` resolves, then lets open
/// requests finish (up to 30 s). Sockets get TCP_NODELAY and a header-read timeout, which
/// `axum::serve` does not set (slowloris).
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: super::App,
    shutdown: impl std::future::Future<Output = ()>,
) -> anyhow::Result<()> {
    serve_with(listener, app, shutdown, Timeouts::default()).await
}

/// [`serve`] with other wire timeouts (tests use short ones).
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    app: super::App,
    shutdown: impl std::future::Future<Output = ()>,
    timeouts: Timeouts,
) -> anyhow::Result<()> {
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(timeouts.head)
        .keep_alive(true);
    builder.http2().timer(TokioTimer::new());
    let builder = Arc::new(builder);
    // Every connection holds a receiver; shutdown signals them and waits until all are gone.
    let (stop, stopping) = watch::channel(());
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(conn) => conn,
                Err(e) => {
                    // Out of file descriptors and the like: back off instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        if let Err(e) = stream.set_nodelay(true) {
            tracing::debug!(error = %e, "TCP_NODELAY not set");
        }
        let app = app.clone().with_peer(peer);
        tokio::spawn(connection(
            stream,
            app,
            builder.clone(),
            stopping.clone(),
            timeouts,
        ));
    }
    drop(listener);
    drop(stopping);
    tracing::info!("shutting down: waiting for open requests");
    let _ = stop.send(());
    if tokio::time::timeout(Duration::from_secs(30), stop.closed())
        .await
        .is_err()
    {
        tracing::warn!("some connections did not finish within 30 s");
    }
    Ok(())
}

/// One connection: hot media on the socket, then (if it comes to that) hyper.
async fn connection(
    mut stream: TcpStream,
    app: super::App,
    builder: Arc<Builder<TokioExecutor>>,
    mut stop: watch::Receiver<()>,
    timeouts: Timeouts,
) {
    let mut buf = BytesMut::with_capacity(4096);
    let mut deadline = Instant::now() + timeouts.head;
    // Whether the request at the head of the buffer has been through the full path once.
    let mut warmed = false;
    loop {
        if !buf.is_empty() {
            match wire::parse(app.state(), &buf) {
                Parsed::Answer(answer) => {
                    if let Err(e) = wire::send(&stream, &answer).await {
                        tracing::debug!(error = %e, "media answer not sent");
                        return;
                    }
                    if answer.close {
                        return;
                    }
                    buf.advance(answer.consumed);
                    warmed = false;
                    deadline = Instant::now()
                        + if buf.is_empty() {
                            timeouts.idle
                        } else {
                            timeouts.head
                        };
                    continue;
                }
                Parsed::Cold(cold) if !warmed => {
                    wire::warm(app.state(), &cold).await;
                    warmed = true;
                    continue;
                }
                Parsed::Partial if buf.len() < MAX_HEAD => {}
                Parsed::Partial | Parsed::Other | Parsed::Cold(_) => break,
            }
        }
        let was_empty = buf.is_empty();
        tokio::select! {
            read = tokio::time::timeout_at(deadline, stream.read_buf(&mut buf)) => match read {
                Ok(Ok(n)) if n > 0 => {
                    if was_empty {
                        deadline = Instant::now() + timeouts.head;
                    }
                }
                // Closed, broken or too slow.
                _ => return,
            },
            // Shutting down: a connection between requests just closes.
            _ = stop.changed(), if was_empty => return,
        }
    }
    let counts = &app.state().served.counts;
    counts.handed_over.fetch_add(1, Ordering::Relaxed);
    let io = TokioIo::new(Rewind {
        prefix: buf.freeze(),
        inner: stream,
    });
    let connection = builder.serve_connection_with_upgrades(io, TowerToHyperService::new(app));
    tokio::pin!(connection);
    let ended = tokio::select! {
        ended = connection.as_mut() => ended,
        _ = stop.changed() => {
            connection.as_mut().graceful_shutdown();
            connection.await
        }
    };
    if let Err(e) = ended {
        tracing::debug!(error = %e, "connection ended with an error");
    }
}

/// A stream that first yields bytes already read from it.
struct Rewind {
    prefix: Bytes,
    inner: TcpStream,
}

impl AsyncRead for Rewind {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if !this.prefix.is_empty() {
            let n = this.prefix.len().min(buf.remaining());
            buf.put_slice(&this.prefix.split_to(n));
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut this.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for Rewind {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        tokio::signal::ctrl_c().await.ok();
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
