// SPDX-License-Identifier: GPL-2.0

//! The RSS hash of the classifier, table-driven.
//!
//! Toeplitz is linear over XOR: the hash of an input is the XOR of the
//! hashes of its set bits. For each input byte position and byte value
//! the table holds that XOR, so a hash costs one lookup per input byte
//! instead of one step per bit. The table is computed from
//! [`toeplitz::hash`] itself (the hash of each one-bit input), once per key
//! and thread; a frame compares the key registers with the cached ones,
//! so a key the driver reprograms takes effect at the next frame.

use std::cell::RefCell;

use fbnic_hw::toeplitz;

/// Longest input the table covers (an IPv6 4-tuple with flow label and
/// destination MAC is 45 bytes); longer ones take the bitwise path.
const MAX_INPUT: usize = 48;

struct Table {
    regs: [u32; toeplitz::KEY_DWORDS],
    key: [u8; toeplitz::KEY_LEN],
    /// `per_byte[p][v]`: the hash of an input whose only nonzero byte is
    /// `v` at position `p`.
    per_byte: Box<[[u32; 256]; MAX_INPUT]>,
}

impl Table {
    fn new(regs: [u32; toeplitz::KEY_DWORDS]) -> Self {
        let key = toeplitz::key_from_regs(&regs);
        let mut per_byte = Box::new([[0u32; 256]; MAX_INPUT]);
        let mut one_hot = [0u8; MAX_INPUT];
        for (p, row) in per_byte.iter_mut().enumerate() {
            let mut bit = [0u32; 8];
            for (k, h) in bit.iter_mut().enumerate() {
                one_hot[p] = 1 << k;
                *h = toeplitz::hash(&key, &one_hot[..=p]);
            }
            one_hot[p] = 0;
            for v in 1..256usize {
                let low = v.trailing_zeros() as usize;
                row[v] = row[v & (v - 1)] ^ bit[low];
            }
        }
        Table {
            regs,
            key,
            per_byte,
        }
    }
}

/// A thread's table and the buffer its hash inputs are assembled in.
#[derive(Default)]
struct State {
    table: Option<Table>,
    input: Vec<u8>,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::default();
}

fn hash_with(table: &mut Option<Table>, regs: [u32; toeplitz::KEY_DWORDS], input: &[u8]) -> u32 {
    let t = match table {
        Some(t) if t.regs == regs => t,
        _ => table.insert(Table::new(regs)),
    };
    if input.len() > MAX_INPUT {
        return toeplitz::hash(&t.key, input);
    }
    input
        .iter()
        .zip(t.per_byte.iter())
        .fold(0, |h, (&b, row)| h ^ row[usize::from(b)])
}

/// The Toeplitz hash of `input` under the key held by the `RSS_KEY`
/// register values `regs`: what `toeplitz::hash(&key_from_regs(regs),
/// input)` returns.
pub fn hash(regs: [u32; toeplitz::KEY_DWORDS], input: &[u8]) -> u32 {
    STATE.with_borrow_mut(|s| hash_with(&mut s.table, regs, input))
}

/// [`hash`] of the input `fill` writes into an empty buffer (one the
/// thread keeps, so that a frame's hash allocates nothing).
pub fn hash_of(regs: [u32; toeplitz::KEY_DWORDS], fill: impl FnOnce(&mut Vec<u8>)) -> u32 {
    STATE.with_borrow_mut(|s| {
        s.input.clear();
        fill(&mut s.input);
        hash_with(&mut s.table, regs, &s.input)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_bitwise_hash_for_every_length_and_key_change() {
        let mut regs = [0u32; toeplitz::KEY_DWORDS];
        for (i, r) in regs.iter_mut().enumerate() {
            *r = 0x6d5a_56da_u32.rotate_left(i as u32 * 7) ^ i as u32;
        }
        let input: Vec<u8> = (0..60u32).map(|i| (i * 37 + 11) as u8).collect();
        for round in 0..2 {
            let key = toeplitz::key_from_regs(&regs);
            for len in 0..input.len() {
                assert_eq!(
                    hash(regs, &input[..len]),
                    toeplitz::hash(&key, &input[..len]),
                    "round {round}, length {len}"
                );
                assert_eq!(
                    hash_of(regs, |b| b.extend_from_slice(&input[..len])),
                    toeplitz::hash(&key, &input[..len]),
                );
            }
            // A reprogrammed key must not hit the old table.
            regs[3] ^= 0x0100_8001;
        }
    }
}
