//! Both sides of one exchange: the gateway's [`request`], the worker's [`receive_image`]
//! then [`respond`].

use crate::connection::{Connection, ProtocolError};
use crate::packet::encode_data;

/// The client side of one exchange: sends the base64 text of an image, returns the result's
/// data (see [`parse_result`](crate::parse_result)). Used by the gateway for requests and
/// health probes.
pub fn request(conn: &mut Connection, image_text: &[u8]) -> Result<Vec<u8>, ProtocolError> {
    let size = image_text.len().to_string();
    conn.send_until_acked(&encode_data(size.as_bytes()), "size packet")?;
    conn.send_until_acked(&encode_data(image_text), "image packet")?;
    conn.receive_acked("result packet", |conn| conn.read_small("result packet"))
}

/// The server side of one exchange, first half: receives the size and image packets and
/// returns the image's base64 text. Send the answer with [`respond`].
pub fn receive_image(conn: &mut Connection) -> Result<Vec<u8>, ProtocolError> {
    let size = conn.receive_acked("size packet", |conn| conn.read_small("size packet"))?;
    let len: usize = std::str::from_utf8(&size)
        .ok()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| {
            ProtocolError::Unexpected(format!(
                "size packet {:?} is not a length",
                String::from_utf8_lossy(&size)
            ))
        })?;
    let limit = conn.limits().max_image_text;
    if len > limit {
        return Err(ProtocolError::TooLarge {
            what: "declared image",
            size: len,
            limit,
        });
    }
    conn.receive_acked("image packet", |conn| conn.read_exact(len, "image packet"))
}

/// The server side, second half: sends the result data until the client ACKs it.
pub fn respond(conn: &mut Connection, result: &[u8]) -> Result<(), ProtocolError> {
    conn.send_until_acked(&encode_data(result), "result packet")
}
