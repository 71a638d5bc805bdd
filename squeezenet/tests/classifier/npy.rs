//! A minimal reader for the golden `.npy` files: little-endian float32, C order.
//!
//! The format (numpy's `format.py`): the magic `\x93NUMPY`, a version byte pair, the header
//! length (u16 little-endian in version 1, u32 in versions 2 and 3), an ASCII Python dict
//! literal such as `{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1000), }` padded
//! with spaces and a newline, then the raw data. That is all the golden files need; anything
//! else is refused rather than misread.

use std::path::Path;

/// Shape and values of a float32 `.npy` file.
pub fn read_f32(path: &Path) -> (Vec<usize>, Vec<f32>) {
    let bytes =
        std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    parse_f32(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Parses the bytes of a little-endian float32, C-order `.npy` file.
pub fn parse_f32(bytes: &[u8]) -> Result<(Vec<usize>, Vec<f32>), String> {
    let rest = bytes
        .strip_prefix(b"\x93NUMPY")
        .ok_or("not a .npy file (bad magic)")?;
    let (&major, rest) = rest.split_first().ok_or("truncated header")?;
    let rest = rest.get(1..).ok_or("truncated header")?; // minor version
    let (header_len, rest) = match major {
        1 if rest.len() >= 2 => (
            usize::from(u16::from_le_bytes([rest[0], rest[1]])),
            &rest[2..],
        ),
        2 | 3 if rest.len() >= 4 => (
            u32::from_le_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize,
            &rest[4..],
        ),
        _ => {
            return Err(format!(
                "unsupported .npy version {major} or truncated header"
            ));
        }
    };
    let header = std::str::from_utf8(rest.get(..header_len).ok_or("truncated header")?)
        .map_err(|_| "header is not text")?;
    let data = &rest[header_len..];
    if !header.contains("'descr': '<f4'") {
        return Err(format!("not little-endian float32: {header}"));
    }
    if !header.contains("'fortran_order': False") {
        return Err(format!("Fortran order is not supported: {header}"));
    }
    let shape_text = header
        .split("'shape': (")
        .nth(1)
        .and_then(|s| s.split(')').next())
        .ok_or_else(|| format!("no shape in {header}"))?;
    let shape: Vec<usize> = shape_text
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().map_err(|_| format!("bad shape {shape_text:?}")))
        .collect::<Result<_, _>>()?;
    let count: usize = shape.iter().product();
    if data.len() != count * 4 {
        return Err(format!(
            "{} data bytes for shape {shape:?}, expected {}",
            data.len(),
            count * 4
        ));
    }
    let values = data
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    Ok((shape, values))
}

#[test]
fn parses_a_small_file_and_refuses_others() {
    let mut file = b"\x93NUMPY\x01\x00".to_vec();
    let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }   \n";
    file.extend_from_slice(&(header.len() as u16).to_le_bytes());
    file.extend_from_slice(header.as_bytes());
    file.extend_from_slice(&1.5f32.to_le_bytes());
    file.extend_from_slice(&(-2.0f32).to_le_bytes());
    assert_eq!(parse_f32(&file), Ok((vec![2], vec![1.5, -2.0])));
    assert!(
        parse_f32(&file[..file.len() - 1])
            .unwrap_err()
            .contains("data bytes")
    );
    let f8 = String::from_utf8_lossy(&file).replace("<f4", "<f8");
    assert!(parse_f32(f8.as_bytes()).is_err());
    assert!(parse_f32(b"PK\x03\x04").is_err());
}
