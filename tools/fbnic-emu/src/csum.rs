// SPDX-License-Identifier: GPL-2.0

//! Internet checksum arithmetic (RFC 1071) as the TX checksum engine and the
//! RX parser need it.
//!
//! Sums are kept unfolded in a `u64` so that a whole jumbo frame can be
//! added up without intermediate folding; [`fold`] reduces to 16 bits.

/// Adds `data` as big-endian 16-bit words to `sum`. An odd trailing byte is
/// the high half of a final word, as if the data were zero-padded.
///
/// The bulk is summed as little-endian 32-bit words in a 64-bit
/// accumulator (no carry to propagate below 16 GiB, and a loop the
/// compiler vectorizes): the ones' complement sum is independent of word
/// size and, but for a byte swap, of byte order (RFC 1071), so the folded
/// sum is swapped to big-endian order.
pub fn add(sum: u64, data: &[u8]) -> u64 {
    let mut chunks = data.chunks_exact(4);
    let wide: u64 = (&mut chunks)
        .map(|c| u64::from(u32::from_le_bytes([c[0], c[1], c[2], c[3]])))
        .sum();
    let mut s = sum + u64::from(fold(wide).swap_bytes());
    let mut words = chunks.remainder().chunks_exact(2);
    for w in &mut words {
        s += u64::from(u16::from_be_bytes([w[0], w[1]]));
    }
    if let [last] = words.remainder() {
        s += u64::from(*last) << 8;
    }
    s
}

/// Folds an unfolded sum to 16 bits (ones' complement addition).
pub fn fold(mut sum: u64) -> u16 {
    while sum >> 16 != 0 {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    sum as u16
}

/// The checksum field value for data whose unfolded sum is `sum`: the
/// complement of the folded sum.
pub fn finish(sum: u64) -> u16 {
    !fold(sum)
}

/// Unfolded sum of the TCP/UDP pseudo-header for IPv4 or IPv6 addresses
/// (`src` and `dst` of equal length, 4 or 16 bytes).
pub fn pseudo(src: &[u8], dst: &[u8], proto: u8, l4_len: u32) -> u64 {
    let s = add(add(0, src), dst);
    s + u64::from(proto) + u64::from(l4_len >> 16) + u64::from(l4_len & 0xffff)
}

/// Ones' complement 16-bit addition of two folded values.
pub fn add16(a: u16, b: u16) -> u16 {
    fold(u64::from(a) + u64::from(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Word-at-a-time reference for [`add`].
    fn naive(data: &[u8]) -> u16 {
        let mut s = 0u32;
        for (i, b) in data.iter().enumerate() {
            s += if i % 2 == 0 {
                u32::from(*b) << 8
            } else {
                u32::from(*b)
            };
        }
        while s >> 16 != 0 {
            s = (s & 0xffff) + (s >> 16);
        }
        s as u16
    }

    #[test]
    fn add_carries_across_large_all_ones_data() {
        for len in [9000usize, 9001, 65535] {
            let data = vec![0xffu8; len];
            assert_eq!(fold(add(0, &data)), naive(&data), "len {len}");
            let data: Vec<u8> = (0..len).map(|i| 0xff - (i % 3) as u8).collect();
            assert_eq!(
                fold(add(7, &data)),
                fold(7 + u64::from(naive(&data))),
                "len {len}"
            );
        }
    }

    #[test]
    fn add_matches_word_reference_for_all_lengths() {
        let data: Vec<u8> = (0..300u32).map(|i| (i * 7 + 3) as u8).collect();
        for len in 0..data.len() {
            assert_eq!(fold(add(0, &data[..len])), naive(&data[..len]), "len {len}");
        }
    }

    #[test]
    fn rfc1071_example() {
        // RFC 1071 section 3: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2.
        let data = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
        assert_eq!(fold(add(0, &data)), 0xddf2);
        assert_eq!(finish(add(0, &data)), !0xddf2);
    }

    #[test]
    fn ipv4_header_checksum_verifies() {
        // A real IPv4 header (from a capture) with checksum 0xb861.
        let hdr = [
            0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0xb8, 0x61, 0xc0, 0xa8,
            0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7,
        ];
        assert_eq!(fold(add(0, &hdr)), 0xffff);
        let mut zeroed = hdr;
        zeroed[10] = 0;
        zeroed[11] = 0;
        assert_eq!(finish(add(0, &zeroed)), 0xb861);
    }
}
