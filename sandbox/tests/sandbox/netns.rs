//! A network namespace per thread: its own loopback, the host's ports out of reach.

use std::net::{TcpListener, TcpStream};

use sandbox::Isolation;

#[test]
fn a_namespace_has_a_loopback_of_its_own() {
    let host = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = host.local_addr().unwrap().port();
    let inside = std::thread::spawn(move || {
        let isolation = Isolation::enter(false);
        let refused = TcpStream::connect(("127.0.0.1", port)).is_err();
        let own = TcpListener::bind(("127.0.0.1", port)).is_ok();
        (isolation, refused, own)
    })
    .join()
    .unwrap();
    assert_eq!(inside.0, Isolation::Namespace, "{}", inside.0.describe());
    assert!(inside.1, "the host's listener is out of reach");
    assert!(inside.2, "the host's port is free inside");
    // The host thread is where it was.
    assert!(TcpStream::connect(("127.0.0.1", port)).is_ok());
}

#[test]
fn the_host_network_is_taken_when_asked() {
    let isolation = Isolation::enter(true);
    assert!(matches!(isolation, Isolation::Host(_)));
    assert!(isolation.describe().starts_with("host network: "));
}
