//! A gateway served in-process on an ephemeral loopback port, on its own runtime thread:
//! for tests and benchmarks (the counterpart of `common::local::LocalServer`).

use std::net::SocketAddr;
use std::sync::Arc;
use std::thread::JoinHandle;

use super::config::GatewayConfig;
use super::state::Gateway;

/// A running gateway; dropping it shuts it down (requests in progress finish) and waits.
#[derive(Debug)]
pub struct LocalGateway {
    /// Its state, for assertions on the pool and the metrics.
    pub gateway: Arc<Gateway>,
    /// Where it listens.
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl LocalGateway {
    /// Starts a gateway with `config` over `workers` on `127.0.0.1:0`, served by
    /// [`serve`](super::serve) on a multi-threaded tokio runtime of its own.
    ///
    /// Panics if the listener cannot be bound or the runtime cannot start: both mean the
    /// machine cannot run a test server at all.
    pub fn start(config: GatewayConfig, workers: &[SocketAddr]) -> Self {
        let gateway = Gateway::new(config, workers.iter().copied());
        // Bound as the binary binds its listener: SO_REUSEADDR and the same backlog.
        let listener = common::net::bind_listener(
            SocketAddr::from(([127, 0, 0, 1], 0)),
            common::net::DEFAULT_BACKLOG,
        )
        .expect("binding 127.0.0.1:0");
        listener
            .set_nonblocking(true)
            .expect("a non-blocking listener");
        let addr = listener.local_addr().expect("the listener's address");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = {
            let gateway = gateway.clone();
            std::thread::Builder::new()
                .name("local-gateway".into())
                .spawn(move || {
                    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
                    runtime.block_on(async move {
                        let listener = tokio::net::TcpListener::from_std(listener)
                            .expect("registering the listener");
                        let shutdown = async move {
                            let _ = stopped.await;
                        };
                        if let Err(e) = super::serve(listener, gateway, shutdown).await {
                            log::error!("the local gateway failed: {e}");
                        }
                    });
                })
                .expect("spawning the gateway's thread")
        };
        Self {
            gateway,
            addr,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// `http://ADDR` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

impl Drop for LocalGateway {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
