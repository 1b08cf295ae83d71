// SPDX-License-Identifier: GPL-2.0

//! The Toeplitz hash used for receive side scaling, the fbnic key layout in
//! the `RPC_RSS_KEY` registers, and the standard hash inputs.
//!
//! The hash walks the input bit by bit, most significant bit of each byte
//! first; for every set bit it XORs in the 32 key bits starting at that bit
//! position. A key of `n` bytes therefore covers inputs of up to `n - 4`
//! bytes; fbnic's key is 425 bits ([`KEY_LEN`] bytes, the last one holding
//! a single bit), enough for any IPv6 4-tuple.
//!
//! The register layout is big-endian within each dword: key byte `i` is
//! bits `31 - 8 * (i % 4)` down of `RSS_KEY(i / 4)`, which is how the C
//! driver's ethtool `get_rxfh`/`set_rxfh` convert (`fbnic_ethtool.c`).
//!
//! Which packet fields the device feeds in, and in which order, is chosen
//! per action by `ACT_TBL1` ([`csr::rpc`](super::csr::rpc)); the helpers
//! here build the order Microsoft's RSS specification defines (source
//! address, destination address, source port, destination port, all in
//! network byte order), which is what the verification vectors use.

use super::csr::rpc;

/// Bytes of the fbnic RSS key (`FBNIC_RPC_RSS_KEY_BYTE_LEN`).
pub const KEY_LEN: usize = rpc::RSS_KEY_BYTE_LEN as usize;
/// Dwords of the fbnic RSS key (`FBNIC_RPC_RSS_KEY_DWORD_LEN`).
pub const KEY_DWORDS: usize = rpc::RSS_KEY_DWORD_LEN as usize;

/// Toeplitz hash of `input` under `key`.
///
/// Key bits past the end of `key` count as zero, so a short key simply
/// stops contributing rather than failing; with fbnic's key the input may
/// be up to `KEY_LEN - 4` bytes before that happens.
pub fn hash(key: &[u8], input: &[u8]) -> u32 {
    let key_byte = |i: usize| u32::from(key.get(i).copied().unwrap_or(0));
    // The 32 key bits lined up with the current input bit.
    let mut window = (key_byte(0) << 24) | (key_byte(1) << 16) | (key_byte(2) << 8) | key_byte(3);
    let mut result = 0u32;
    for (i, &byte) in input.iter().enumerate() {
        // The key byte whose bits shift into the window during this
        // input byte.
        let next = key_byte(i + 4);
        for bit in (0..8).rev() {
            if byte & (1 << bit) != 0 {
                result ^= window;
            }
            window = (window << 1) | ((next >> bit) & 1);
        }
    }
    result
}

/// The key bytes held by the `RSS_KEY` registers.
pub fn key_from_regs(regs: &[u32; KEY_DWORDS]) -> [u8; KEY_LEN] {
    let mut key = [0u8; KEY_LEN];
    for (i, byte) in key.iter_mut().enumerate() {
        let dword = regs.get(i / 4).copied().unwrap_or(0);
        *byte = (dword >> (24 - 8 * (i % 4))) as u8;
    }
    key
}

/// The `RSS_KEY` register values for `key`, with the bits beyond the 425th
/// cleared as the C driver does (`FBNIC_RPC_RSS_KEY_LAST_MASK`).
pub fn key_to_regs(key: &[u8; KEY_LEN]) -> [u32; KEY_DWORDS] {
    let mut regs = [0u32; KEY_DWORDS];
    for (i, &byte) in key.iter().enumerate() {
        if let Some(dword) = regs.get_mut(i / 4) {
            *dword |= u32::from(byte) << (24 - 8 * (i % 4));
        }
    }
    if let Some(last) = regs.get_mut(KEY_DWORDS - 1) {
        *last &= rpc::RSS_KEY_LAST_MASK;
    }
    regs
}

/// A hash input assembled on the stack (at most an IPv6 4-tuple).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Input {
    buf: [u8; Self::MAX],
    len: usize,
}

impl Input {
    /// Longest input: two IPv6 addresses and two ports.
    pub const MAX: usize = 36;

    fn from_parts(parts: &[&[u8]]) -> Self {
        let mut input = Self {
            buf: [0; Self::MAX],
            len: 0,
        };
        for part in parts {
            let end = (input.len + part.len()).min(Self::MAX);
            if let Some(dst) = input.buf.get_mut(input.len..end) {
                let n = dst.len();
                dst.copy_from_slice(part.get(..n).unwrap_or(&[]));
            }
            input.len = end;
        }
        input
    }

    /// IPv4 source and destination addresses (2-tuple).
    pub fn ipv4(src: [u8; 4], dst: [u8; 4]) -> Self {
        Self::from_parts(&[&src, &dst])
    }

    /// IPv4 addresses and TCP/UDP ports (4-tuple).
    pub fn ipv4_ports(src: [u8; 4], dst: [u8; 4], sport: u16, dport: u16) -> Self {
        Self::from_parts(&[&src, &dst, &sport.to_be_bytes(), &dport.to_be_bytes()])
    }

    /// IPv6 source and destination addresses (2-tuple).
    pub fn ipv6(src: [u8; 16], dst: [u8; 16]) -> Self {
        Self::from_parts(&[&src, &dst])
    }

    /// IPv6 addresses and TCP/UDP ports (4-tuple).
    pub fn ipv6_ports(src: [u8; 16], dst: [u8; 16], sport: u16, dport: u16) -> Self {
        Self::from_parts(&[&src, &dst, &sport.to_be_bytes(), &dport.to_be_bytes()])
    }

    /// The input bytes.
    pub fn as_bytes(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or(&[])
    }

    /// Toeplitz hash of this input under `key`.
    pub fn hash(&self, key: &[u8]) -> u32 {
        hash(key, self.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The key of Microsoft's "Verifying the RSS Hash Calculation".
    const MS_KEY: [u8; 40] = [
        0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f,
        0xb0, 0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30,
        0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
    ];

    /// One row of the published table (which lists the destination first).
    struct Vector<const N: usize> {
        dst: [u8; N],
        dport: u16,
        src: [u8; N],
        sport: u16,
        /// Hash of the addresses only.
        hash2: u32,
        /// Hash of addresses and ports.
        hash4: u32,
    }

    const fn row<const N: usize>(
        dst: [u8; N],
        dport: u16,
        src: [u8; N],
        sport: u16,
        hash2: u32,
        hash4: u32,
    ) -> Vector<N> {
        Vector {
            dst,
            dport,
            src,
            sport,
            hash2,
            hash4,
        }
    }

    const V4: [Vector<4>; 5] = [
        row(
            [161, 142, 100, 80],
            1766,
            [66, 9, 149, 187],
            2794,
            0x323e_8fc2,
            0x51cc_c178,
        ),
        row(
            [65, 69, 140, 83],
            4739,
            [199, 92, 111, 2],
            14230,
            0xd718_262a,
            0xc626_b0ea,
        ),
        row(
            [12, 22, 207, 184],
            38024,
            [24, 19, 198, 95],
            12898,
            0xd2d0_a5de,
            0x5c2b_394a,
        ),
        row(
            [209, 142, 163, 6],
            2217,
            [38, 27, 205, 30],
            48228,
            0x8298_9176,
            0xafc7_327f,
        ),
        row(
            [202, 188, 127, 2],
            1303,
            [153, 39, 163, 191],
            44251,
            0x5d18_09c5,
            0x10e8_28a2,
        ),
    ];

    const fn v6(words: [u16; 8]) -> [u8; 16] {
        let mut out = [0u8; 16];
        let mut i = 0;
        while i < 8 {
            out[2 * i] = (words[i] >> 8) as u8;
            out[2 * i + 1] = words[i] as u8;
            i += 1;
        }
        out
    }

    const V6: [Vector<16>; 3] = [
        row(
            v6([0x3ffe, 0x2501, 0x200, 3, 0, 0, 0, 1]),
            1766,
            v6([0x3ffe, 0x2501, 0x200, 0x1fff, 0, 0, 0, 7]),
            2794,
            0x2cc1_8cd5,
            0x4020_7d3d,
        ),
        row(
            v6([0xff02, 0, 0, 0, 0, 0, 0, 1]),
            4739,
            v6([0x3ffe, 0x501, 8, 0, 0x260, 0x97ff, 0xfe40, 0xefab]),
            14230,
            0x0f0c_461c,
            0xdde5_1bbf,
        ),
        row(
            v6([0xfe80, 0, 0, 0, 0x200, 0xf8ff, 0xfe21, 0x67cf]),
            38024,
            v6([0x3ffe, 0x1900, 0x4545, 3, 0x200, 0xf8ff, 0xfe21, 0x67cf]),
            44251,
            0x4b61_e985,
            0x02d1_feef,
        ),
    ];

    #[test]
    fn microsoft_ipv4_vectors() {
        for v in V4 {
            assert_eq!(Input::ipv4(v.src, v.dst).hash(&MS_KEY), v.hash2);
            assert_eq!(
                Input::ipv4_ports(v.src, v.dst, v.sport, v.dport).hash(&MS_KEY),
                v.hash4
            );
        }
    }

    #[test]
    fn microsoft_ipv6_vectors() {
        for v in V6 {
            assert_eq!(Input::ipv6(v.src, v.dst).hash(&MS_KEY), v.hash2);
            assert_eq!(
                Input::ipv6_ports(v.src, v.dst, v.sport, v.dport).hash(&MS_KEY),
                v.hash4
            );
        }
    }

    #[test]
    fn fbnic_key_through_registers() {
        // The Microsoft key padded to fbnic's 54 bytes hashes the same once
        // it has been through the register layout.
        let mut key = [0u8; KEY_LEN];
        key[..40].copy_from_slice(&MS_KEY);
        let regs = key_to_regs(&key);
        assert_eq!(regs[0], 0x6d5a_56da);
        assert_eq!(regs[9], 0xbeac_01fa);
        let back = key_from_regs(&regs);
        assert_eq!(back, key);
        let v = &V6[0];
        assert_eq!(
            Input::ipv6_ports(v.src, v.dst, v.sport, v.dport).hash(&back),
            v.hash4
        );
    }

    #[test]
    fn register_layout_keeps_425_bits() {
        let key = [0xffu8; KEY_LEN];
        let regs = key_to_regs(&key);
        assert!(regs[..KEY_DWORDS - 1].iter().all(|&r| r == u32::MAX));
        assert_eq!(regs[KEY_DWORDS - 1], 0xff80_0000);
        let back = key_from_regs(&regs);
        assert_eq!(back[52], 0xff);
        assert_eq!(back[53], 0x80);
        let ones: u32 = back.iter().map(|b| b.count_ones()).sum();
        assert_eq!(ones, rpc::RSS_KEY_BIT_LEN);
    }

    #[test]
    fn short_keys_and_long_inputs_do_not_panic() {
        assert_eq!(hash(&[], &[0xff; 64]), 0);
        assert_eq!(hash(&MS_KEY, &[]), 0);
        // A single set input bit selects the key window at its position.
        assert_eq!(hash(&MS_KEY, &[0x80]), 0x6d5a_56da);
        assert_eq!(hash(&MS_KEY, &[0x01]), 0x6d5a_56da << 7 | 0x25 >> 1);
        // Beyond the key the window fills with zeroes.
        let mut input = [0u8; 41];
        input[40] = 0x80;
        assert_eq!(hash(&MS_KEY, &input), 0);
        input[36] = 0x80;
        assert_eq!(hash(&MS_KEY, &input), 0xbeac_01fa);
    }

    #[test]
    fn hash_is_linear_in_the_input() {
        // Toeplitz is XOR-linear: hash(a ^ b) == hash(a) ^ hash(b).
        let a = Input::ipv4_ports([10, 0, 0, 1], [10, 0, 0, 2], 1234, 80);
        let b = Input::ipv4_ports([192, 168, 1, 1], [8, 8, 8, 8], 53, 40000);
        let mut x = [0u8; 12];
        for (i, out) in x.iter_mut().enumerate() {
            *out = a.as_bytes()[i] ^ b.as_bytes()[i];
        }
        assert_eq!(hash(&MS_KEY, &x), a.hash(&MS_KEY) ^ b.hash(&MS_KEY));
        assert_eq!(a.as_bytes().len(), 12);
        assert_eq!(Input::ipv6([0; 16], [0; 16]).as_bytes().len(), 32);
    }
}
