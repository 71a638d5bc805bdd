//! The packets: `A`, `N` and `D <data> <checksum>`, the course's 12-bit checksum, and
//! building, parsing and (for tests) damaging a data packet.

/// The ACK packet.
pub const ACK: u8 = b'A';
/// The NACK packet.
pub const NACK: u8 = b'N';
/// The type byte of a data packet.
pub const DATA: u8 = b'D';
/// Characters of the printed checksum: a minus sign and 4 digits (`"%05d"` of -4096..=-1).
pub const CHECKSUM_WIDTH: usize = 5;
/// Bytes a data packet adds to its data: `D`, two spaces and the checksum.
pub const PACKET_OVERHEAD: usize = 3 + CHECKSUM_WIDTH;
/// The checksum of `data`, in `-4096..=-1`.
///
/// Start at 0; add every byte and keep the low 12 bits (`& 0xFFF`); the checksum is the
/// bitwise NOT of that sum, i.e. `-(sum + 1)` (the course's Python: `~(s & 0xFFF)` after
/// summing the UTF-8 bytes). So the empty string gives -1 and one `A` (65) gives -66.
pub fn checksum(data: &[u8]) -> i32 {
    let sum = data
        .iter()
        .fold(0u32, |sum, &byte| (sum + u32::from(byte)) & 0xFFF);
    !(sum as i32)
}

/// `checksum` printed as the wire has it: Python's `"%05d"`, zero-padded after the sign to
/// 5 characters (`-0001`, `-0124`, `-4096`).
pub fn format_checksum(checksum: i32) -> String {
    format!("{checksum:05}")
}

/// The data packet `D <data> <checksum>` for `data`.
pub fn encode_data(data: &[u8]) -> Vec<u8> {
    let mut packet = Vec::with_capacity(data.len() + PACKET_OVERHEAD);
    packet.extend_from_slice(b"D ");
    packet.extend_from_slice(data);
    packet.push(b' ');
    packet.extend_from_slice(format_checksum(checksum(data)).as_bytes());
    packet
}

/// Why a received packet is not a valid data packet; the receiver answers it with a NACK.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PacketError {
    /// Not shaped like `D <data> <5-character checksum>`.
    #[error("malformed packet: {0}")]
    Malformed(&'static str),
    /// Well-formed, but the checksum does not match the data (damaged in transit).
    #[error("checksum mismatch: the packet says {sent}, the data sums to {computed}")]
    Checksum {
        /// The checksum the packet carried.
        sent: i32,
        /// The checksum of the data received.
        computed: i32,
    },
}

/// Parses one complete data packet and returns its data.
///
/// Errors: [`PacketError`] when `packet` is not `D <data> <checksum>` or the checksum does
/// not match.
pub fn parse_data(packet: &[u8]) -> Result<&[u8], PacketError> {
    if packet.len() < PACKET_OVERHEAD {
        return Err(PacketError::Malformed("shorter than the 8-byte minimum"));
    }
    if !packet.starts_with(b"D ") {
        return Err(PacketError::Malformed("does not start with \"D \""));
    }
    let (rest, field) = packet.split_at(packet.len() - CHECKSUM_WIDTH);
    let Some((&b' ', data)) = rest[2..].split_last() else {
        return Err(PacketError::Malformed("no space before the checksum"));
    };
    let sent = std::str::from_utf8(field)
        .ok()
        .filter(|f| f.bytes().all(|b| b == b'-' || b.is_ascii_digit()))
        .and_then(|f| f.parse::<i32>().ok())
        .ok_or(PacketError::Malformed("the checksum is not a number"))?;
    let computed = checksum(data);
    if sent != computed {
        return Err(PacketError::Checksum { sent, computed });
    }
    Ok(data)
}

/// A bad packet: its data packet with the checksum off by one, for tests and fault drills.
pub fn corrupt(packet: &[u8]) -> Vec<u8> {
    let mut bad = packet.to_vec();
    if let Some(last) = bad.last_mut() {
        *last = if *last == b'0' { b'1' } else { b'0' };
    }
    bad
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_match_the_python_formula() {
        // Python: ~(sum(data.encode()) & 0xFFF) after masking every step, then "%05d".
        assert_eq!(format_checksum(checksum(b"")), "-0001");
        assert_eq!(format_checksum(checksum(b"A")), "-0066");
        assert_eq!(format_checksum(checksum(b"123")), "-0151");
        // 0xFFF reached exactly gives the smallest value.
        assert_eq!(format_checksum(checksum(&[0xFF; 15][..])), "-3826");
        // Past 0xFFF the sum wraps: 17 * 255 = 4335, and 4335 & 0xFFF = 239.
        assert_eq!(format_checksum(checksum(&[0xFF; 17][..])), "-0240");
    }

    #[test]
    fn packets_round_trip() {
        let packet = encode_data(b"hello world");
        assert_eq!(parse_data(&packet).unwrap(), b"hello world");
        assert!(matches!(
            parse_data(&corrupt(&packet)),
            Err(PacketError::Checksum { .. })
        ));
        assert_eq!(parse_data(b"D  -0001").unwrap(), b"");
        assert!(parse_data(b"X 1 -0050").is_err());
        assert!(parse_data(b"D 1 -00a0").is_err());
    }
}
