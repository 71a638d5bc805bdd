//! `gif-valid`: the client's GIF holds every frame it downloaded, in order, each within the
//! checklist's `[gif]` tolerance of its PNG.

use std::path::Path;

use sandbox::workdir::file_name;

use crate::download_lab::{State, numbered_files};
use crate::grading::checklist::Checklist;
use crate::grading::grader::Grader;
use crate::grading::report::{Fault, Verdict};

/// The checklist's `[gif]` table: how far a GIF frame may be from its PNG and still count
/// as that frame.
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct GifTolerance {
    /// Largest difference of any channel of any pixel, in levels of 0..=255.
    pub max_channel_difference: u8,
}

/// The checklist's name for the [`GifTolerance`] table.
const TABLE: &str = "gif";

/// The frames lab's own tables of `checklist`: `[gif]` only, a [`GifTolerance`].
///
/// Errors: another table, or `[gif]` not of that shape.
pub fn check_table(checklist: &Checklist) -> anyhow::Result<()> {
    checklist.ensure_lab_tables(&[TABLE])?;
    checklist.lab_table::<GifTolerance>(TABLE).map(drop)
}

/// `gif-valid`: one GIF in the client's folder whose frames are the PNGs, in order, each
/// within the checklist's tolerance (0 levels when the checklist has no `[gif]`).
pub fn gif_valid(g: &mut Grader, s: &mut State) -> anyhow::Result<Verdict> {
    let run = s
        .client
        .as_ref()
        .ok_or_else(|| anyhow::anyhow!("client-runs left no run"))?;
    let tolerance = g
        .checklist
        .lab_table::<GifTolerance>(TABLE)?
        .map_or(0, |gif| gif.max_channel_difference);
    Ok(match check_gif(&run.dir, g.count(), tolerance) {
        Ok(evidence) => Verdict::pass(evidence),
        Err(wrong) => Verdict::fail(Fault::WrongAnswer, wrong),
    })
}

/// The one GIF in `dir` has `count` frames, each the PNG of the same index in `frames/`
/// to within `tolerance` levels in every channel of every pixel (a GIF writer may quantise
/// colours: the course's own RGBA path through Pillow moves some pixels by up to 19 levels).
/// A missing, extra, blank or shuffled frame is far outside any such tolerance: two random
/// frames differ by about 85 levels per channel on average.
pub fn check_gif(dir: &Path, count: usize, tolerance: u8) -> Result<String, String> {
    use image::AnimationDecoder as _;
    let gifs = numbered_files(dir, "gif");
    let gif = match gifs.as_slice() {
        [one] => one.clone(),
        [] => return Err("no .gif file in the client's folder".into()),
        many => {
            return Err(format!(
                "{} .gif files in the client's folder, expected one",
                many.len()
            ));
        }
    };
    let file = std::fs::File::open(&gif).map_err(|e| e.to_string())?;
    let decoder = image::codecs::gif::GifDecoder::new(std::io::BufReader::new(file))
        .map_err(|e| format!("{}: not a GIF: {e}", file_name(&gif)))?;
    let frames = decoder
        .into_frames()
        .collect_frames()
        .map_err(|e| format!("{}: broken frame: {e}", file_name(&gif)))?;
    if frames.len() != count {
        return Err(format!(
            "{} has {} frames, expected {count}",
            file_name(&gif),
            frames.len()
        ));
    }
    let pngs = numbered_files(&dir.join("frames"), "png");
    let (mut moved, mut worst) = (0usize, 0u8);
    for (i, (frame, png)) in frames.iter().zip(&pngs).enumerate() {
        let expected = image::open(png).map_err(|e| e.to_string())?.to_rgba8();
        let got = frame.buffer();
        if got.dimensions() != expected.dimensions() {
            return Err(format!(
                "GIF frame {i} is {:?}, frames/{} is {:?}",
                got.dimensions(),
                file_name(png),
                expected.dimensions()
            ));
        }
        let differences: Vec<u8> = got
            .pixels()
            .zip(expected.pixels())
            .map(|(a, b)| (0..3).map(|c| a.0[c].abs_diff(b.0[c])).max().unwrap_or(0))
            .collect();
        let far = differences.iter().filter(|d| **d > tolerance).count();
        if far > 0 {
            return Err(format!(
                "GIF frame {i} is not frames/{}: {far} of {} pixels differ by more than {tolerance} levels (up to {})",
                file_name(png),
                differences.len(),
                differences.iter().max().unwrap_or(&0)
            ));
        }
        moved += differences.iter().filter(|d| **d > 0).count();
        worst = worst.max(differences.iter().copied().max().unwrap_or(0));
    }
    let pixels: usize = frames
        .iter()
        .map(|f| f.buffer().width() as usize * f.buffer().height() as usize)
        .sum();
    Ok(format!(
        "{} has {count} frames, each frames/<i>.png in order: {moved} of {pixels} pixels moved, by at most {worst} levels (tolerance {tolerance})",
        file_name(&gif)
    ))
}
