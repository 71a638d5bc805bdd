//! The web the student's server downloads its photos from: the grader's loopback HTTP
//! server, which can slow its answers and says which downloads are in progress.

use std::collections::BTreeSet;
use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::checks::scripted::ScriptedServer;

/// A loopback HTTP server handing out one PNG, each answer delayed by `delay_ms`; it
/// keeps the client port of every download in progress, so the grader can tell which
/// process is downloading.
pub(super) struct PhotoServer {
    server: ScriptedServer,
    pub(super) delay_ms: Arc<AtomicU64>,
    in_flight: Arc<Mutex<BTreeSet<u16>>>,
}

impl PhotoServer {
    pub(super) fn start() -> anyhow::Result<Self> {
        let delay_ms = Arc::new(AtomicU64::new(0));
        let in_flight = Arc::new(Mutex::new(BTreeSet::new()));
        let (delay, downloads) = (delay_ms.clone(), in_flight.clone());
        let photo = crate::checks::photo::test_photo();
        let server = ScriptedServer::tcp("127.0.0.1:0", move |stream| {
            let port = stream.peer_addr().map(|a| a.port()).unwrap_or(0);
            lock(&downloads).insert(port);
            serve_photo(stream, &photo, delay.load(Ordering::Relaxed));
            lock(&downloads).remove(&port);
        })?;
        Ok(Self {
            server,
            delay_ms,
            in_flight,
        })
    }

    /// The client ports of the downloads in progress.
    pub(super) fn in_flight(&self) -> Vec<u16> {
        lock(&self.in_flight).iter().copied().collect()
    }

    pub(super) fn url(&self, n: usize) -> String {
        format!("http://{}/photo-{n}.png", self.server.addr())
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

fn serve_photo(mut stream: TcpStream, photo: &[u8], delay_ms: u64) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut request = Vec::new();
    let mut buf = [0u8; 1024];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
        if request.len() > 16 * 1024 {
            return;
        }
    }
    std::thread::sleep(Duration::from_millis(delay_ms));
    let head = format!(
        "HTTP/1.0 200 OK\r\nContent-Type: image/png\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        photo.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(photo);
}
