//! Voice measure benchmark (`cargo bench --no-default-features --bench voice`): analysing one
//! 20 ms block (level, clipping, brightness, YIN pitch) at 16 and 48 kHz, target well under 1 ms;
//! and a whole 2.5 s fixture line, for scale. Same small harness style as benches/engine.rs.

use deescalate::voice::analyse;
use deescalate::voice::block::BlockAnalyser;
use deescalate::voice::wav;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

fn median(iters: usize, mut f: impl FnMut()) -> Duration {
    for _ in 0..iters / 10 + 1 {
        f();
    }
    let mut times: Vec<Duration> = (0..iters)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn report(name: &str, target: Duration, d: Duration) {
    let verdict = if d <= target {
        "ok"
    } else {
        "SLOWER THAN TARGET"
    };
    println!("{name:<44} median {d:>10.3?}  (target < {target:?}: {verdict})");
}

fn main() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/voice/firm-sentence.wav");
    let line = wav::read(&path).expect("the fixture reads");
    for rate in [16_000u32, 48_000] {
        // A voiced stretch of the fixture, resampled by repetition for 48 kHz.
        let step = rate as usize / line.rate as usize;
        let samples: Vec<f32> = line
            .samples
            .iter()
            .flat_map(|s| std::iter::repeat_n(*s, step.max(1)))
            .collect();
        let mut a = BlockAnalyser::new(rate);
        let n = a.block_len();
        let mid = samples.len() / 2;
        let block = &samples[mid..mid + n];
        a.push(&samples[mid - n..mid]);
        let d = median(20_000, || {
            black_box(a.push(black_box(block)));
        });
        report(
            &format!("one 20 ms block at {} kHz", rate / 1000),
            Duration::from_micros(200),
            d,
        );
    }
    let d = median(50, || {
        black_box(analyse(black_box(&line.samples), line.rate));
    });
    report(
        &format!("a {:.1} s line at 16 kHz", line.seconds()),
        Duration::from_millis(25),
        d,
    );
}
