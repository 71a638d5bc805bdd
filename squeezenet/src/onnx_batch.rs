//! Makes an ONNX model's declared batch size symbolic, so that engines which check inputs
//! against the declared shape accept a batch of several photos.
//!
//! The embedded SqueezeNet declares its input as `[1, 3, 224, 224]` and its output as
//! `[1, 1000]`, yet nothing in the graph depends on the 1 (convolutions, pools, and a
//! `Flatten` at axis 1). rten and ONNX Runtime refuse a `[4, 3, 224, 224]` input against that
//! declaration, so [`with_symbolic_batch`] rewrites the first dimension of the first input and
//! the first output from the value 1 to the name `N`, as exporters write a dynamic axis.
//!
//! An ONNX file is a protobuf `ModelProto`; only the few messages on the way to those two
//! dimensions are decoded and re-encoded (their lengths change), every other byte is copied.
//! The field numbers are those of `onnx.proto`: `ModelProto.graph` 7, `GraphProto.input` 11
//! and `output` 12, `ValueInfoProto.type` 2, `TypeProto.tensor_type` 1,
//! `TypeProto.Tensor.shape` 2, `TensorShapeProto.dim` 1, `Dimension.dim_value` 1 and
//! `dim_param` 2.

/// Name given to the batch dimension.
pub const BATCH_DIM: &str = "N";

/// Path from the `ModelProto` to the first dimension of graph input 0 (`input` is field 11)
/// or output 0 (`output` is field 12).
const fn path_to_first_dim(input_or_output: u32) -> [u32; 6] {
    [7, input_or_output, 2, 1, 2, 1]
}

/// `model` with the batch dimension of its first input and first output renamed to
/// [`BATCH_DIM`]; `None` when `model` is not a protobuf of that shape or its input's first
/// dimension is not the fixed size 1 (then it is left to the engine as it is).
pub fn with_symbolic_batch(model: &[u8]) -> Option<Vec<u8>> {
    let model = rewrite_first(model, &path_to_first_dim(11), &symbolic_dim)?;
    // An output without a declared shape is fine: only the input must be rewritten.
    Some(rewrite_first(&model, &path_to_first_dim(12), &symbolic_dim).unwrap_or(model))
}

/// A `Dimension` message holding `dim_value: 1`, rewritten to `dim_param: "N"`; other
/// fields (a denotation) are kept.
fn symbolic_dim(dim: &[u8]) -> Option<Vec<u8>> {
    let fields = parse(dim)?;
    if !fields
        .iter()
        .any(|f| f.number == 1 && f.kind == Kind::Varint(1))
    {
        return None;
    }
    let mut out = Vec::with_capacity(dim.len() + 4);
    put_bytes(&mut out, 2, BATCH_DIM.as_bytes());
    for field in fields.iter().filter(|f| f.number != 1 && f.number != 2) {
        out.extend_from_slice(field.raw);
    }
    Some(out)
}

/// `message` with the first length-delimited field numbered `path[0]` replaced by itself
/// rewritten along `path[1..]`, and at the end of the path by `leaf`; `None` when a field
/// on the path is missing or `leaf` declines.
fn rewrite_first(
    message: &[u8],
    path: &[u32],
    leaf: &dyn Fn(&[u8]) -> Option<Vec<u8>>,
) -> Option<Vec<u8>> {
    let Some((&number, rest)) = path.split_first() else {
        return leaf(message);
    };
    let fields = parse(message)?;
    let at = fields
        .iter()
        .position(|f| f.number == number && matches!(f.kind, Kind::Bytes(_)))?;
    let Kind::Bytes(payload) = fields[at].kind else {
        unreachable!("matched above")
    };
    let rewritten = rewrite_first(payload, rest, leaf)?;
    let mut out = Vec::with_capacity(message.len() + 8);
    for field in &fields[..at] {
        out.extend_from_slice(field.raw);
    }
    put_bytes(&mut out, number, &rewritten);
    for field in &fields[at + 1..] {
        out.extend_from_slice(field.raw);
    }
    Some(out)
}

/// One field of a protobuf message: its number, its value, and its bytes as they were.
struct Field<'a> {
    number: u32,
    kind: Kind<'a>,
    raw: &'a [u8],
}

#[derive(Debug, PartialEq)]
enum Kind<'a> {
    Varint(u64),
    Bytes(&'a [u8]),
    Fixed,
}

/// The fields of `message`, in order; `None` if it is not well-formed protobuf (groups,
/// wire types 3 and 4, are not used by ONNX and count as malformed).
fn parse(message: &[u8]) -> Option<Vec<Field<'_>>> {
    let mut fields = Vec::new();
    let mut at = 0;
    while at < message.len() {
        let start = at;
        let key = varint(message, &mut at)?;
        let number = u32::try_from(key >> 3).ok()?;
        let kind = match key & 7 {
            0 => Kind::Varint(varint(message, &mut at)?),
            1 | 5 => {
                at += if key & 7 == 1 { 8 } else { 4 };
                Kind::Fixed
            }
            2 => {
                let len = usize::try_from(varint(message, &mut at)?).ok()?;
                let end = at.checked_add(len)?;
                let payload = message.get(at..end)?;
                at = end;
                Kind::Bytes(payload)
            }
            _ => return None,
        };
        let raw = message.get(start..at)?;
        fields.push(Field { number, kind, raw });
    }
    Some(fields)
}

/// Reads a base-128 varint at `*at`, advancing past it.
fn varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *bytes.get(*at)?;
        *at += 1;
        value |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return Some(value);
        }
    }
    None
}

fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Appends a length-delimited field.
fn put_bytes(out: &mut Vec<u8>, number: u32, payload: &[u8]) {
    put_varint(out, (u64::from(number) << 3) | 2);
    put_varint(out, payload.len() as u64);
    out.extend_from_slice(payload);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The dimensions of the first input (11) or output (12), as (value, name) pairs.
    fn dims(model: &[u8], io: u32) -> Vec<(Option<u64>, Option<String>)> {
        let mut message = model;
        for number in [7, io, 2, 1, 2] {
            let fields = parse(message).unwrap();
            let field = fields.iter().find(|f| f.number == number).unwrap();
            let Kind::Bytes(payload) = field.kind else {
                panic!()
            };
            message = payload;
        }
        parse(message)
            .unwrap()
            .iter()
            .filter(|f| f.number == 1)
            .map(|f| {
                let Kind::Bytes(dim) = f.kind else { panic!() };
                let fields = parse(dim).unwrap();
                let value = fields.iter().find_map(|f| match f.kind {
                    Kind::Varint(v) if f.number == 1 => Some(v),
                    _ => None,
                });
                let name = fields.iter().find_map(|f| match f.kind {
                    Kind::Bytes(b) if f.number == 2 => Some(String::from_utf8_lossy(b).into()),
                    _ => None,
                });
                (value, name)
            })
            .collect()
    }

    #[test]
    fn the_embedded_model_gets_a_symbolic_batch_and_nothing_else_changes() {
        let model = crate::model::EMBEDDED_MODEL;
        let fixed = |n| (Some(n), None);
        assert_eq!(
            dims(model, 11),
            [fixed(1), fixed(3), fixed(224), fixed(224)]
        );
        let batched = with_symbolic_batch(model).unwrap();
        let named = (None, Some("N".to_owned()));
        assert_eq!(
            dims(&batched, 11),
            [named.clone(), fixed(3), fixed(224), fixed(224)]
        );
        assert_eq!(dims(&batched, 12), [named, fixed(1000)]);
        // One dimension each way: 2 bytes of `dim_value: 1` became 3 of `dim_param: "N"`,
        // and the enclosing lengths grew with them (the graph's by 2 in all).
        assert_eq!(batched.len(), model.len() + 2);
        assert!(with_symbolic_batch(&batched).is_none(), "already symbolic");
    }

    #[test]
    fn malformed_bytes_are_left_alone() {
        assert!(with_symbolic_batch(b"").is_none());
        assert!(with_symbolic_batch(b"\x3a\x05abc").is_none(), "cut short");
        assert!(with_symbolic_batch(&[0xff; 12]).is_none());
    }
}
