//! The wire protocol on raw bytes: golden packets, split packets, NACK rounds, bad input.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::time::Duration;

use base64::Engine as _;
use recognition_web::protocol::{
    self, Answer, Connection, Limits, PacketError, checksum, corrupt, encode_data, format_checksum,
};
use recognition_web::worker::{self, WorkerConfig};

use crate::support::{RED_PANDA, classifier, local_worker};

fn b64(bytes: &[u8]) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .encode(bytes)
        .into_bytes()
}

fn read_byte(stream: &mut TcpStream) -> u8 {
    let mut byte = [0u8; 1];
    stream.read_exact(&mut byte).expect("one byte");
    byte[0]
}

/// Reads until the peer closes; panics if that takes more than 10 s.
fn read_to_end(stream: &mut TcpStream) -> Vec<u8> {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut rest = Vec::new();
    match stream.read_to_end(&mut rest) {
        Ok(_) => rest,
        // Closing with unread input makes the kernel send a reset: closed all the same.
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => rest,
        Err(e) => panic!("the peer did not close: {e}"),
    }
}

#[test]
fn golden_packets() {
    // Values computed with the course's formula in Python: ~(sum & 0xFFF), "%05d".
    assert_eq!(format_checksum(checksum(b"")), "-0001");
    assert_eq!(encode_data(b""), b"D  -0001");
    assert_eq!(encode_data(b"12"), b"D 12 -0100");
    assert_eq!(encode_data(b"hello"), b"D hello -0533");
    assert_eq!(checksum(&[0xFF; 16][..]), -4081);
    assert_eq!(format_checksum(-4096), "-4096");
    // Multi-byte UTF-8 counts every byte: 'é' is C3 A9 (195 + 169 = 364).
    assert_eq!(encode_data("é".as_bytes()), "D é -0365".as_bytes());
}

#[test]
fn a_whole_exchange_in_raw_bytes() {
    let worker = local_worker();
    let photo = testkit::data::photo(RED_PANDA.0);
    let text = b64(&photo);
    let mut stream = TcpStream::connect(worker.addr()).unwrap();
    stream
        .write_all(&encode_data(text.len().to_string().as_bytes()))
        .unwrap();
    assert_eq!(read_byte(&mut stream), b'A');
    stream.write_all(&encode_data(&text)).unwrap();
    assert_eq!(read_byte(&mut stream), b'A');
    // The result is the only packet the worker sends now; read it through our framing.
    let mut conn = Connection::new(stream.try_clone().unwrap(), Limits::default()).unwrap();
    let data = conn.read_small("result").unwrap().unwrap();
    let Answer::Labels(labels) = protocol::parse_result(&data).unwrap() else {
        panic!("not labels: {}", String::from_utf8_lossy(&data));
    };
    assert_eq!(labels.len(), 5);
    assert_eq!(labels[0].label, RED_PANDA.1);
    assert!(labels[0].probability > 0.9, "{labels:?}");
    assert!(
        labels
            .windows(2)
            .all(|w| w[0].probability >= w[1].probability)
    );
    stream.write_all(b"A").unwrap();
    assert_eq!(
        read_to_end(&mut stream),
        b"",
        "the worker closes after the final ACK"
    );
}

#[test]
fn size_packets_split_at_every_byte_are_acked() {
    let worker = local_worker();
    let packet = encode_data(b"123456");
    for cut in 1..packet.len() {
        let mut stream = TcpStream::connect(worker.addr()).unwrap();
        stream.set_nodelay(true).unwrap();
        stream.write_all(&packet[..cut]).unwrap();
        std::thread::sleep(Duration::from_millis(20));
        stream.write_all(&packet[cut..]).unwrap();
        assert_eq!(read_byte(&mut stream), b'A', "split after byte {cut}");
    }
}

#[test]
fn a_result_split_at_every_byte_is_read_whole() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let result = b"lesser panda:0.999800,giant panda:0.000100,badger:0.000050";
    let packet = encode_data(result);
    for cut in 1..packet.len() {
        let mut writer = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        writer.set_nodelay(true).unwrap();
        let (reader, _) = listener.accept().unwrap();
        let (head, tail) = (packet[..cut].to_vec(), packet[cut..].to_vec());
        let sender = std::thread::spawn(move || {
            writer.write_all(&head).unwrap();
            std::thread::sleep(Duration::from_millis(5));
            writer.write_all(&tail).unwrap();
            writer
        });
        let mut conn = Connection::new(reader, Limits::default()).unwrap();
        assert_eq!(
            conn.read_small("result").unwrap().unwrap(),
            result,
            "split after byte {cut}"
        );
        drop(sender.join());
    }
}

#[test]
fn damaged_packets_are_nacked_and_resent() {
    let worker = local_worker();
    let photo = testkit::data::photo(RED_PANDA.0);
    let text = b64(&photo);
    let size = encode_data(text.len().to_string().as_bytes());
    let image = encode_data(&text);
    let mut stream = TcpStream::connect(worker.addr()).unwrap();
    stream.write_all(&corrupt(&size)).unwrap();
    assert_eq!(read_byte(&mut stream), b'N', "bad size checksum");
    stream.write_all(&size).unwrap();
    assert_eq!(read_byte(&mut stream), b'A');
    stream.write_all(&corrupt(&image)).unwrap();
    assert_eq!(read_byte(&mut stream), b'N', "bad image checksum");
    stream.write_all(&image).unwrap();
    assert_eq!(read_byte(&mut stream), b'A');
    // NACK the result: the worker must send exactly the same packet again.
    let mut conn = Connection::new(stream.try_clone().unwrap(), Limits::default()).unwrap();
    let first = conn.read_small("result").unwrap().unwrap();
    stream.write_all(b"N").unwrap();
    let second = conn.read_small("result").unwrap().unwrap();
    assert_eq!(first, second);
    stream.write_all(b"A").unwrap();
    assert_eq!(read_to_end(&mut stream), b"");
}

#[test]
fn nack_rounds_are_bounded() {
    let worker = local_worker();
    let bad = corrupt(&encode_data(b"100"));
    let mut stream = TcpStream::connect(worker.addr()).unwrap();
    let max = Limits::default().max_nacks;
    for round in 0..max {
        stream.write_all(&bad).unwrap();
        assert_eq!(read_byte(&mut stream), b'N', "round {round}");
    }
    stream.write_all(&bad).unwrap();
    assert_eq!(
        read_to_end(&mut stream),
        b"",
        "one more bad packet ends the exchange"
    );
}

#[test]
fn oversize_and_garbage_end_only_that_connection() {
    let worker = local_worker();
    // A declared length over the limit is refused before any image byte is read.
    let mut stream = TcpStream::connect(worker.addr()).unwrap();
    let huge = (Limits::default().max_image_text + 1).to_string();
    stream.write_all(&encode_data(huge.as_bytes())).unwrap();
    assert_eq!(
        read_byte(&mut stream),
        b'A',
        "the size packet itself is fine"
    );
    assert_eq!(read_to_end(&mut stream), b"");

    // A size that is not a number.
    let mut stream = TcpStream::connect(worker.addr()).unwrap();
    stream.write_all(&encode_data(b"twelve")).unwrap();
    assert_eq!(read_byte(&mut stream), b'A');
    assert_eq!(read_to_end(&mut stream), b"");

    // Garbage is NACKed once the sender goes quiet.
    let mut stream = TcpStream::connect(worker.addr()).unwrap();
    stream.write_all(b"GET / HTTP/1.1\r\n\r\n").unwrap();
    assert_eq!(read_byte(&mut stream), b'N');

    // An endless packet is cut off at the small-packet limit.
    let mut stream = TcpStream::connect(worker.addr()).unwrap();
    let endless = vec![b'7'; 64 * 1024];
    let _ = stream.write_all(b"D ");
    let _ = stream.write_all(&endless);
    let rest = read_to_end(&mut stream);
    assert!(rest.is_empty(), "{rest:?}");

    // The worker still serves a proper client.
    let mut conn =
        Connection::connect(worker.addr(), Duration::from_secs(5), Limits::default()).unwrap();
    let photo = testkit::data::photo(RED_PANDA.0);
    let data = protocol::request(&mut conn, &b64(&photo)).unwrap();
    assert!(
        String::from_utf8(data)
            .unwrap()
            .starts_with("lesser panda:")
    );
}

#[test]
fn a_picture_that_does_not_decode_gets_an_error_result() {
    let worker = local_worker();
    for (bytes, expected) in [
        (&b"this is a text file, not a photo"[..], "not an image"),
        (&b"\x89PNG\r\n\x1a\n truncated"[..], ""),
    ] {
        let mut conn =
            Connection::connect(worker.addr(), Duration::from_secs(5), Limits::default()).unwrap();
        let data = protocol::request(&mut conn, &b64(bytes)).unwrap();
        match protocol::parse_result(&data).unwrap() {
            Answer::BadImage(reason) => assert!(reason.contains(expected), "{reason}"),
            other => panic!("{other:?}"),
        }
    }
    // Not even base64.
    let mut conn =
        Connection::connect(worker.addr(), Duration::from_secs(5), Limits::default()).unwrap();
    let data = protocol::request(&mut conn, b"!!!!").unwrap();
    assert!(
        matches!(protocol::parse_result(&data), Ok(Answer::BadImage(r)) if r.contains("base64"))
    );
}

#[test]
fn an_idle_client_is_dropped_at_the_deadline() {
    let config = WorkerConfig {
        limits: Limits {
            timeout: Duration::from_millis(300),
            ..Limits::default()
        },
        ..WorkerConfig::default()
    };
    let classifier = classifier();
    let worker = common::local::LocalServer::start(move |listener, shutdown, _| {
        worker::run(listener, &shutdown, classifier, config)
    })
    .unwrap();
    let mut stream = TcpStream::connect(worker.addr()).unwrap();
    stream.write_all(b"D 1").unwrap(); // and then nothing
    let started = std::time::Instant::now();
    assert_eq!(read_to_end(&mut stream), b"");
    assert!(started.elapsed() < Duration::from_secs(5));
    let _ = stream.shutdown(Shutdown::Both);
}

#[test]
fn parse_errors_name_the_problem() {
    assert_eq!(
        protocol::parse_data(b"D 12 -0101"),
        Err(PacketError::Checksum {
            sent: -101,
            computed: -100
        })
    );
    assert!(matches!(
        protocol::parse_data(b"D 12-0100"),
        Err(PacketError::Malformed(_))
    ));
}

#[test]
fn every_colour_type_is_classified() {
    let worker = local_worker();
    let photo = image::load_from_memory(&testkit::data::photo(RED_PANDA.0)).unwrap();
    let encode = |image: image::DynamicImage, format| {
        let mut bytes = Vec::new();
        image
            .write_to(&mut std::io::Cursor::new(&mut bytes), format)
            .unwrap();
        bytes
    };
    let variants = [
        (
            "RGBA PNG",
            encode(
                image::DynamicImage::ImageRgba8(photo.to_rgba8()),
                image::ImageFormat::Png,
            ),
        ),
        (
            "grey PNG",
            encode(
                image::DynamicImage::ImageLuma8(photo.to_luma8()),
                image::ImageFormat::Png,
            ),
        ),
        (
            "grey+alpha PNG",
            encode(
                image::DynamicImage::ImageLumaA8(photo.to_luma_alpha8()),
                image::ImageFormat::Png,
            ),
        ),
        (
            "palette GIF",
            encode(
                image::DynamicImage::ImageRgba8(photo.to_rgba8()),
                image::ImageFormat::Gif,
            ),
        ),
    ];
    for (what, bytes) in variants {
        let mut conn =
            Connection::connect(worker.addr(), Duration::from_secs(5), Limits::default()).unwrap();
        let data = protocol::request(&mut conn, &b64(&bytes)).unwrap();
        match protocol::parse_result(&data).unwrap() {
            Answer::Labels(labels) => {
                assert_eq!(labels.len(), 5, "{what}");
                if what != "grey PNG" && what != "grey+alpha PNG" {
                    assert_eq!(labels[0].label, RED_PANDA.1, "{what}");
                }
            }
            other => panic!("{what}: {other:?}"),
        }
    }
}
