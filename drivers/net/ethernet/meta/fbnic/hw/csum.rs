// SPDX-License-Identifier: GPL-2.0

//! Ones'-complement checksum arithmetic the driver does on packet headers.

/// Removes `len` from a folded, not inverted, ones'-complement sum, as
/// stored in a TCP or UDP checksum field of a packet the stack hands over
/// for segmentation (`csum_replace_by_diff()` with the payload length).
///
/// The stack seeds that field with the pseudo-header sum including the
/// payload length; the device wants it without, because it adds each
/// segment's own length. Both values are taken in network byte order, as
/// read from the packet: ones'-complement sums do not depend on the byte
/// order as long as it is the same for all terms.
pub const fn remove_from_sum(sum: u16, len: u16) -> u16 {
    // sum - len == ~(~sum + len) in ones' complement.
    let s = (!sum) as u32 + len as u32;
    let s = (s & 0xffff) + (s >> 16);
    !(s as u16)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Folded ones'-complement sum of 16-bit words.
    fn sum(words: &[u16]) -> u16 {
        let mut s: u32 = 0;
        for &w in words {
            s += u32::from(w);
            s = (s & 0xffff) + (s >> 16);
        }
        s as u16
    }

    #[test]
    fn removes_the_length_from_a_pseudo_header_sum() {
        // IPv4 pseudo header 192.0.3.1 -> 192.0.3.2, TCP, without and with
        // a payload length of 1448 + 32 bytes of TCP header.
        let base = [0xc000, 0x0301, 0xc000, 0x0302, 0x0006];
        let with_len = sum(&[0xc000, 0x0301, 0xc000, 0x0302, 0x0006, 1480]);
        assert_eq!(remove_from_sum(with_len, 1480), sum(&base));
    }

    #[test]
    fn handles_the_end_around_carry() {
        // A sum that wrapped when the length was added.
        let base = [0xfff0];
        let with_len = sum(&[0xfff0, 0x0020]);
        assert_eq!(with_len, 0x0011);
        assert_eq!(remove_from_sum(with_len, 0x0020), sum(&base));
        assert_eq!(remove_from_sum(0x1234, 0), 0x1234);
    }
}
