// SPDX-License-Identifier: GPL-2.0

//! Hardware statistics counters the driver reads, counted for real.
//!
//! The counters live in the BAR0 register file, so a guest read needs no
//! special case. 64-bit counters keep the low half at the named register
//! and the high half in the next one; the driver reads high, low, high to
//! cope with a carry between the reads. Each port's counters have a single
//! writer (its datapath worker), so a plain read-modify-write is enough.
//!
//! Octet counts and the size histograms include the 4-byte FCS the MAC
//! appends or strips, as a real MAC counts them: a minimum-size frame of 60
//! bytes lands in the "64 bytes" bucket.

use fbnic_hw::csr::{mac_stat, queue, rxb};

use crate::regs::RegisterFile;

/// FCS bytes added to every frame on the wire.
pub const FCS_LEN: usize = 4;

/// Adds `n` to the 64-bit counter whose low half is `reg_l`.
pub fn add64(csr: &RegisterFile, reg_l: u32, n: u64) {
    let lo = u64::from(csr.read(reg_l).unwrap_or(0));
    let hi = u64::from(csr.read(reg_l + 1).unwrap_or(0));
    let v = ((hi << 32) | lo).wrapping_add(n);
    // High half first: a reader between the two writes sees the new high
    // with the old low, which its high/low/high sequence detects.
    csr.write(reg_l + 1, (v >> 32) as u32);
    csr.write(reg_l, v as u32);
}

/// Reads the 64-bit counter whose low half is `reg_l`.
pub fn read64(csr: &RegisterFile, reg_l: u32) -> u64 {
    let lo = u64::from(csr.read(reg_l).unwrap_or(0));
    let hi = u64::from(csr.read(reg_l + 1).unwrap_or(0));
    (hi << 32) | lo
}

/// Adds `n` to the 32-bit counter `reg`, wrapping.
pub fn add32(csr: &RegisterFile, reg: u32, n: u32) {
    let v = csr.read(reg).unwrap_or(0).wrapping_add(n);
    csr.write(reg, v);
}

/// Direction of a frame through the MAC.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dir {
    Tx,
    Rx,
}

/// The RMON size bucket registers (low halves) for a frame of `wire_len`
/// bytes including FCS ([`mac_stat::RMON_BUCKETS`]): the MAC's own bucket
/// and, above [`mac_stat::RMON_MAC_MAX`] bytes, the finer bucket kept by
/// TMI (TX) or RPC (RX).
fn buckets(dir: Dir, wire_len: usize) -> (u32, Option<u32>) {
    let len = u32::try_from(wire_len).unwrap_or(u32::MAX);
    let b = &mac_stat::RMON_BUCKETS[mac_stat::rmon_bucket(len)];
    let (counter, mac_beyond) = match dir {
        Dir::Tx => (b.tx, mac_stat::TX_PACKET_1519_MAX_BYTES_L::INDEX),
        Dir::Rx => (b.rx, mac_stat::RX_PACKET_1519_MAX_BYTES_L::INDEX),
    };
    if b.hi <= mac_stat::RMON_MAC_MAX {
        (counter.lo.index(), None)
    } else {
        (mac_beyond, Some(counter.lo.index()))
    }
}

/// Counts a frame (without FCS) the MAC sent or received successfully:
/// frames and octets OK, multicast/broadcast and the size histograms.
pub fn count_frame(csr: &RegisterFile, dir: Dir, frame: &[u8]) {
    let wire = frame.len() + FCS_LEN;
    let (ok, bytes, mcast, bcast) = match dir {
        Dir::Tx => (
            mac_stat::TX_TRANSMITTED_OK_L::INDEX,
            mac_stat::TX_BYTE_COUNT_L::INDEX,
            mac_stat::TX_MULTICAST_L::INDEX,
            mac_stat::TX_BROADCAST_L::INDEX,
        ),
        Dir::Rx => (
            mac_stat::RX_RECEIVED_OK_L::INDEX,
            mac_stat::RX_BYTE_COUNT_L::INDEX,
            mac_stat::RX_MULTICAST_L::INDEX,
            mac_stat::RX_BROADCAST_L::INDEX,
        ),
    };
    add64(csr, ok, 1);
    add64(csr, bytes, wire as u64);
    match frame.first() {
        Some(_) if frame.get(..6) == Some(&[0xff; 6]) => add64(csr, bcast, 1),
        Some(b) if b & 1 != 0 => add64(csr, mcast, 1),
        _ => {}
    }
    let (mac, fine) = buckets(dir, wire);
    add64(csr, mac, 1);
    if let Some(f) = fine {
        add64(csr, f, 1);
    }
    count_mac_control(csr, dir, frame);
}

/// EtherType of IEEE 802.3 MAC Control frames (Annex 31A).
const ETH_P_MAC_CONTROL: [u8; 2] = [0x88, 0x08];
/// MAC Control opcode of a PAUSE frame.
const MAC_CONTROL_PAUSE: [u8; 2] = [0x00, 0x01];

/// MAC Control frames (EtherType 0x8808) have counters of their own
/// (the eth-ctrl group), and PAUSE frames among them the pause group's.
fn count_mac_control(csr: &RegisterFile, dir: Dir, frame: &[u8]) {
    if frame.get(12..14) != Some(&ETH_P_MAC_CONTROL[..]) {
        return;
    }
    let (ctrl, pause) = match dir {
        Dir::Tx => (
            mac_stat::TX_CONTROL_FRAMES_L::INDEX,
            mac_stat::TX_XOFF_STB_L::INDEX,
        ),
        Dir::Rx => (
            mac_stat::RX_CONTROL_FRAMES_L::INDEX,
            mac_stat::RX_XOFF_STB_L::INDEX,
        ),
    };
    add64(csr, ctrl, 1);
    if frame.get(14..16) == Some(&MAC_CONTROL_PAUSE[..]) {
        add64(csr, pause, 1);
    }
}

/// Per-queue RX DMA engine counters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rde {
    /// A packet written to the RCQ.
    Packet,
    /// A packet the engine could not place (too large, ring error).
    Error,
    /// Dropped for want of RCQ space.
    CqDrop,
    /// Dropped for want of header or payload buffers.
    BdqDrop,
}

/// Counts one RX DMA engine event on queue `q`.
pub fn count_rde(csr: &RegisterFile, q: u16, what: Rde) {
    let off = match what {
        Rde::Packet => queue::RDE_PKT_CNT::INFO,
        Rde::Error => queue::RDE_PKT_ERR_CNT::INFO,
        Rde::CqDrop => queue::RDE_CQ_DROP_CNT::INFO,
        Rde::BdqDrop => queue::RDE_BDQ_DROP_CNT::INFO,
    };
    add32(csr, off.dword(u32::from(q), 0), 1);
}

/// Adds `n` to an RX buffer byte counter whose halves are `reg_l` and
/// `reg_h` (declared apart: not one dword up like the other 64-bit
/// counters' high halves).
fn add64_rxb(csr: &RegisterFile, reg_l: u32, reg_h: u32, n: u64) {
    let lo = u64::from(csr.read(reg_l).unwrap_or(0));
    let hi = u64::from(csr.read(reg_h).unwrap_or(0));
    let v = ((hi << 32) | lo).wrapping_add(n);
    csr.write(reg_h, (v >> 32) as u32);
    csr.write(reg_l, v as u32);
}

/// Counts a frame from the network that passed through the RX buffer to
/// the host: in through the network enqueue port (DRBO), out through the
/// host dequeue port (INTF and PBUF). Bytes include the FCS.
pub fn count_rxb_to_host(csr: &RegisterFile, frame: &[u8]) {
    let wire = (frame.len() + FCS_LEN) as u64;
    add32(
        csr,
        rxb::DRBO_FRM_CNT_SRC::INFO.dword(rxb::ENQUEUE_NET, 0),
        1,
    );
    add64_rxb(
        csr,
        rxb::DRBO_BYTE_CNT_SRC_L::INFO.dword(rxb::ENQUEUE_NET, 0),
        rxb::DRBO_BYTE_CNT_SRC_H::INFO.dword(rxb::ENQUEUE_NET, 0),
        wire,
    );
    add32(
        csr,
        rxb::INTF_FRM_CNT_DST::INFO.dword(rxb::DEQUEUE_HOST, 0),
        1,
    );
    add64_rxb(
        csr,
        rxb::INTF_BYTE_CNT_DST_L::INFO.dword(rxb::DEQUEUE_HOST, 0),
        rxb::INTF_BYTE_CNT_DST_H::INFO.dword(rxb::DEQUEUE_HOST, 0),
        wire,
    );
    add32(
        csr,
        rxb::PBUF_FRM_CNT_DST::INFO.dword(rxb::DEQUEUE_HOST, 0),
        1,
    );
    add64_rxb(
        csr,
        rxb::PBUF_BYTE_CNT_DST_L::INFO.dword(rxb::DEQUEUE_HOST, 0),
        rxb::PBUF_BYTE_CNT_DST_H::INFO.dword(rxb::DEQUEUE_HOST, 0),
        wire,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use fbnic_hw::csr::rpc;

    #[test]
    fn rx_buffer_byte_counters_carry_into_their_declared_high_halves() {
        let csr = RegisterFile::new(0x20000);
        let lo = rxb::DRBO_BYTE_CNT_SRC_L::INFO.dword(rxb::ENQUEUE_NET, 0);
        let hi = rxb::DRBO_BYTE_CNT_SRC_H::INFO.dword(rxb::ENQUEUE_NET, 0);
        csr.write(lo, 0xffff_fff0);
        // 60 bytes and the FCS: 64 more.
        count_rxb_to_host(&csr, &[0u8; 60]);
        assert_eq!((csr.read(hi), csr.read(lo)), (Some(1), Some(0x30)));
        // Nothing landed one dword up, where the other counters' high
        // halves are.
        assert_eq!(csr.read(lo + 1), Some(0));
    }

    #[test]
    fn sixty_four_bit_counters_carry() {
        let csr = RegisterFile::new(0x20000);
        csr.write(mac_stat::RX_BYTE_COUNT_L::INDEX, 0xffff_fff0);
        add64(&csr, mac_stat::RX_BYTE_COUNT_L::INDEX, 0x20);
        assert_eq!(
            read64(&csr, mac_stat::RX_BYTE_COUNT_L::INDEX),
            0x1_0000_0010
        );
    }

    #[test]
    fn frames_land_in_their_buckets() {
        let csr = RegisterFile::new(0x20000);
        let bcast = [0xffu8; 60];
        count_frame(&csr, Dir::Tx, &bcast);
        let mut jumbo = vec![0u8; 9000];
        jumbo[0] = 0x01;
        count_frame(&csr, Dir::Rx, &jumbo);
        assert_eq!(read64(&csr, mac_stat::TX_TRANSMITTED_OK_L::INDEX), 1);
        assert_eq!(read64(&csr, mac_stat::TX_BYTE_COUNT_L::INDEX), 64);
        assert_eq!(read64(&csr, mac_stat::TX_BROADCAST_L::INDEX), 1);
        assert_eq!(read64(&csr, mac_stat::TX_PACKET_64_BYTES_L::INDEX), 1);
        assert_eq!(read64(&csr, mac_stat::RX_MULTICAST_L::INDEX), 1);
        assert_eq!(read64(&csr, mac_stat::RX_PACKET_1519_MAX_BYTES_L::INDEX), 1);
        assert_eq!(
            read64(&csr, rpc::STAT_RX_PACKET_8192_9216_BYTES_L::INDEX),
            1
        );
        assert_eq!(read64(&csr, mac_stat::RX_BROADCAST_L::INDEX), 0);
    }

    #[test]
    fn rx_buffer_counts_frames_to_the_host() {
        let csr = RegisterFile::new(0x20000);
        let byte_l = rxb::INTF_BYTE_CNT_DST_L::INFO.dword(rxb::DEQUEUE_HOST, 0);
        csr.write(byte_l, 0xffff_fff0);
        count_rxb_to_host(&csr, &[0u8; 60]);
        count_rxb_to_host(&csr, &[0u8; 1514]);
        assert_eq!(
            csr.read(rxb::DRBO_FRM_CNT_SRC::INFO.dword(rxb::ENQUEUE_NET, 0)),
            Some(2)
        );
        assert_eq!(
            csr.read(rxb::DRBO_BYTE_CNT_SRC_L::INFO.dword(rxb::ENQUEUE_NET, 0)),
            Some(64 + 1518)
        );
        assert_eq!(
            csr.read(rxb::INTF_FRM_CNT_DST::INFO.dword(rxb::DEQUEUE_HOST, 0)),
            Some(2)
        );
        assert_eq!(
            csr.read(rxb::PBUF_FRM_CNT_DST::INFO.dword(rxb::DEQUEUE_HOST, 0)),
            Some(2)
        );
        // The carry lands in the high half, 4 dwords up.
        assert_eq!(
            csr.read(rxb::INTF_BYTE_CNT_DST_H::INFO.dword(rxb::DEQUEUE_HOST, 0)),
            Some(1)
        );
        assert_eq!(
            csr.read(byte_l),
            Some(0xffff_fff0u32.wrapping_add(64 + 1518))
        );
        assert_eq!(
            csr.read(rxb::INTF_FRM_CNT_DST::INFO.dword(rxb::DEQUEUE_BMC, 0)),
            Some(0)
        );
    }

    #[test]
    fn mac_control_and_pause_frames_have_their_counters() {
        let csr = RegisterFile::new(0x20000);
        let mut pause = [0u8; 60];
        pause[..6].copy_from_slice(&[0x01, 0x80, 0xc2, 0x00, 0x00, 0x01]);
        pause[12..16].copy_from_slice(&[0x88, 0x08, 0x00, 0x01]);
        let mut other_ctrl = pause;
        other_ctrl[15] = 0x02;
        count_frame(&csr, Dir::Rx, &pause);
        count_frame(&csr, Dir::Rx, &other_ctrl);
        count_frame(&csr, Dir::Tx, &other_ctrl);
        count_frame(&csr, Dir::Tx, &[0u8; 60]);
        assert_eq!(read64(&csr, mac_stat::RX_CONTROL_FRAMES_L::INDEX), 2);
        assert_eq!(read64(&csr, mac_stat::RX_XOFF_STB_L::INDEX), 1);
        assert_eq!(read64(&csr, mac_stat::TX_CONTROL_FRAMES_L::INDEX), 1);
        assert_eq!(read64(&csr, mac_stat::TX_XOFF_STB_L::INDEX), 0);
    }
}
