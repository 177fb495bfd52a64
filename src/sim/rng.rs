//! The simulation's random stream: the same ChaCha12 generator as `rand::rngs::StdRng` (same
//! seed, same numbers), but one whose state can be copied, so a run can be snapshotted.

use rand::SeedableRng;

/// A seeded ChaCha12 stream that can be cloned.
#[derive(Debug)]
pub struct StreamRng(chacha20::ChaCha12Rng);

impl StreamRng {
    pub fn seed_from_u64(seed: u64) -> StreamRng {
        StreamRng(chacha20::ChaCha12Rng::seed_from_u64(seed))
    }
}

impl Clone for StreamRng {
    fn clone(&self) -> StreamRng {
        StreamRng(chacha20::ChaCha12Rng::deserialize_state(
            &self.0.serialize_state(),
        ))
    }
}

impl rand::TryRng for StreamRng {
    type Error = std::convert::Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        self.0.try_next_u32()
    }

    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        self.0.try_next_u64()
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        self.0.try_fill_bytes(dst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt;
    use rand::rngs::StdRng;

    #[test]
    fn the_same_numbers_as_std_rng_and_a_clone_continues_the_stream() {
        for seed in [0, 1, 7, 0xdead_beef] {
            let mut a = StdRng::seed_from_u64(seed);
            let mut b = StreamRng::seed_from_u64(seed);
            for _ in 0..100 {
                assert_eq!(a.random_range(0..1000u32), b.random_range(0..1000u32));
                assert_eq!(a.random::<f32>().to_bits(), b.random::<f32>().to_bits());
            }
            let mut c = b.clone();
            for _ in 0..50 {
                assert_eq!(b.random::<u64>(), c.random::<u64>());
            }
        }
    }
}
