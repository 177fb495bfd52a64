//! `play --autoplay SCRIPT --benchmark N`: time N frames of the scripted run from its first
//! gameplay frame, print one line
//! `benchmark: N frames, X fps, p50 Y ms, p95 Z ms, peak rss W MB` and quit with success.
//! Frame times are real (wall-clock) times between frames; peak memory is the process's
//! high-water resident set (`VmHWM`).

use crate::game::state::{Launch, Screen};
use bevy::prelude::*;
use std::time::Instant;

/// Frames measured so far.
#[derive(Resource, Debug, Default)]
struct Bench {
    frames: Vec<f32>,
    last: Option<Instant>,
    done: bool,
}

pub fn plugin(app: &mut App) {
    app.init_resource::<Bench>().add_systems(
        Last,
        measure.run_if(|launch: Res<Launch>| launch.benchmark.is_some()),
    );
}

fn measure(
    launch: Res<Launch>,
    screen: Res<State<Screen>>,
    mut bench: ResMut<Bench>,
    mut exit: MessageWriter<AppExit>,
) {
    let Some(n) = launch.benchmark else { return };
    if bench.done {
        return;
    }
    let playing = *screen.get() == Screen::Playing;
    let now = Instant::now();
    if playing && let Some(last) = bench.last {
        let ms = now.duration_since(last).as_secs_f32() * 1000.0;
        bench.frames.push(ms);
    }
    bench.last = playing.then_some(now);
    // The run ended before N frames: report what was measured.
    let ended = !playing && !bench.frames.is_empty();
    if bench.frames.len() >= n as usize || ended {
        println!("{}", report(&bench.frames, peak_rss_mb()));
        bench.done = true;
        exit.write(AppExit::Success);
    }
}

/// The benchmark line for these frame times (milliseconds).
fn report(frames: &[f32], rss_mb: Option<u64>) -> String {
    let mut sorted = frames.to_vec();
    sorted.sort_by(f32::total_cmp);
    let total: f32 = frames.iter().sum();
    let fps = if total > 0.0 {
        frames.len() as f32 * 1000.0 / total
    } else {
        0.0
    };
    let pct = |p: f32| {
        if sorted.is_empty() {
            0.0
        } else {
            sorted[((sorted.len() - 1) as f32 * p).round() as usize]
        }
    };
    let rss = rss_mb.map_or("?".to_string(), |m| m.to_string());
    format!(
        "benchmark: {} frames, {fps:.2} fps, p50 {:.1} ms, p95 {:.1} ms, peak rss {rss} MB",
        frames.len(),
        pct(0.5),
        pct(0.95)
    )
}

/// The process's peak resident memory (`VmHWM` in /proc/self/status), MB.
fn peak_rss_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_has_the_promised_shape() {
        let frames = [100.0, 200.0, 300.0, 400.0];
        assert_eq!(
            report(&frames, Some(512)),
            "benchmark: 4 frames, 4.00 fps, p50 300.0 ms, p95 400.0 ms, peak rss 512 MB"
        );
    }
}
