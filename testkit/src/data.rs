//! The workspace's committed test data under `testdata/` (each folder's README gives the
//! source and licence of every file): photos with known ImageNet classes and SqueezeNet's
//! golden tensors. Tests read only these, never anything outside the repository.

use std::path::PathBuf;

/// `testdata/` at the workspace root, found from this crate's own manifest directory so it
/// works from any test binary and any working directory.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("testkit lives inside the workspace")
        .join("testdata")
}

/// `testdata/photos/`: 11 JPEG photos with known classes (`testdata/photos/README.md`).
pub fn photos_dir() -> PathBuf {
    root().join("photos")
}

/// The bytes of `testdata/photos/<name>`; panics with the path if it cannot be read.
pub fn photo(name: &str) -> Vec<u8> {
    let path = photos_dir().join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Names of all the test photos (`*.jpg`, `*.jpeg`), sorted; panics unless there are 11.
pub fn photo_names() -> Vec<String> {
    let dir = photos_dir();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".jpg") || name.ends_with(".jpeg"))
        .collect();
    names.sort();
    assert_eq!(
        names.len(),
        11,
        "expected the 11 test photos, found {names:?}"
    );
    names
}

/// The bytes of every test photo, in [`photo_names`] order: read once, so a benchmark times
/// its work, not the disk.
pub fn photos() -> Vec<Vec<u8>> {
    photo_names().iter().map(|name| photo(name)).collect()
}

/// `testdata/squeezenet/test_data_set_<set>/` for `set` in 0..3: the ONNX model zoo's
/// reference `input_0.npy` (`[1, 3, 224, 224]` f32) and `output_0.npy` (`[1, 1000]` logits).
pub fn golden_set(set: usize) -> PathBuf {
    root()
        .join("squeezenet")
        .join(format!("test_data_set_{set}"))
}
