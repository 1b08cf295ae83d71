// SPDX-License-Identifier: GPL-2.0

//! The RX parser/classifier (RPC): which RX queue a received frame goes to,
//! or whether it is dropped, and its RSS hash.
//!
//! The lookup chain is the one the driver programs (`fbnic_rpc.c`,
//! `fbnic_ethtool.c`):
//!
//! 1. Nothing is delivered unless `RPC_RMI_CONFIG.ENABLE` is set, and
//!    nothing longer than its `MTU` field.
//! 2. The destination MAC is looked up in the 32-entry MAC DA TCAM; the
//!    lowest valid matching entry gives `MACDA_IDX`. The driver's layout:
//!    0-3 BMC, 4 broadcast, 5-23 multicast, 24-29 extra unicast, 30 the
//!    port's own address, 31 promiscuous or all-multicast.
//! 3. Source and destination IP addresses are looked up in their 8-entry
//!    TCAMs (IPv4 in the last 32 bits, the rest don't-care, and a v6 flag).
//! 4. Those results, the L3/L4 kinds and the L4 ports form the 11-word key
//!    of the 64-entry action TCAM; the lowest valid matching entry selects
//!    `ACT_TBL0/1`. The driver places ntuple rules at 2-49 and its RSS rules
//!    at 50-63, so the lowest index must win for rules to take precedence.
//! 5. `ACT_TBL0` drops, or sends to the host: to `Q_ID` with `Q_SEL`, else
//!    through indirection table 0 (or 1 with `RSS_CTXT_ID`) indexed by the
//!    low 8 bits of the Toeplitz hash of the fields `ACT_TBL1` selects.
//!    No match uses `ACT_TBL0/1_DEFAULT` (the driver makes that a drop).
//!    `DEST_BMC` hands the frame to the port's BMC as well or instead
//!    ([`classify_dest`], [`crate::bmc`]).
//!
//! TCAM words hold a 16-bit value and a 16-bit mask in which a set bit
//! means "don't care".

use fbnic_hw::csr::{rpc, rpc_ram};
use fbnic_hw::reg::RegInfo;
use fbnic_hw::toeplitz;

use crate::parse::{Ip, Parsed, IPPROTO_UDP};
use crate::regs::RegisterFile;

/// Read access to the registers the classifier consults.
pub trait CsrRead {
    fn rd(&self, reg: u32) -> u32;
}

impl CsrRead for RegisterFile {
    fn rd(&self, reg: u32) -> u32 {
        self.read(reg).unwrap_or(0)
    }
}

/// Why the classifier dropped a frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DropReason {
    /// `RMI_CONFIG.ENABLE` is clear.
    Disabled,
    /// The selected action (or the default) says DROP, or has no host
    /// destination.
    Action,
    /// The action named a queue the port does not have.
    BadQueue(u16),
    /// Longer than `RMI_CONFIG.MTU` (the frame without FCS).
    Oversize,
}

/// The classifier's decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Drop(DropReason),
    Host {
        queue: u16,
        /// Toeplitz hash over the fields the action selected (0 if none).
        rss_hash: u32,
        /// Matching action TCAM entry, `None` for the default action.
        action: Option<u8>,
        /// The action asks for an RX timestamp (`ACT_TBL0.TS_ENA`).
        timestamp: bool,
    },
}

/// Lowest valid MAC DA TCAM entry matching `da`.
fn macda_lookup(regs: &impl CsrRead, da: &[u8; 6]) -> Option<u32> {
    let key = rpc_ram::macda_key(*da);
    (0..rpc_ram::TCAM_MACDA_NUM_ENTRIES).find(|&e| {
        regs.rd(rpc_ram::TCAM_MACDA::INFO.dword(e, rpc_ram::TCAM_MACDA_WORD_LEN))
            & rpc_ram::TCAM_VALIDATE
            != 0
            && (0..rpc_ram::TCAM_MACDA_WORD_LEN).zip(key).all(|(w, k)| {
                rpc_ram::tcam_word_matches(regs.rd(rpc_ram::TCAM_MACDA::INFO.dword(e, w)), k)
            })
    })
}

/// Lowest valid IP TCAM entry (of the table whose register function is
/// `reg`) matching `addr` (16 bytes, IPv4 in the last 4).
fn ip_lookup(regs: &impl CsrRead, reg: RegInfo, addr: &[u8; 16], v6: bool) -> Option<u32> {
    let last = rpc_ram::TCAM_IP_ADDR_WORD_LEN;
    let key = rpc_ram::ip_key(*addr);
    (0..rpc_ram::TCAM_IP_ADDR_NUM_ENTRIES).find(|&e| {
        let flags = regs.rd(reg.dword(e, last));
        flags & rpc_ram::TCAM_VALIDATE != 0
            && (flags & rpc_ram::TCAM_IP_IS_V6 != 0) == v6
            && (0..last)
                .zip(key)
                .all(|(w, k)| rpc_ram::tcam_word_matches(regs.rd(reg.dword(e, w)), k))
    })
}

fn ip16(ip: &Ip) -> ([u8; 16], [u8; 16], bool) {
    match ip {
        Ip::V4 { src, dst } => (rpc_ram::ip4_in_16(*src), rpc_ram::ip4_in_16(*dst), false),
        Ip::V6 { src, dst, .. } => (*src, *dst, true),
    }
}

/// The 11 words of the action TCAM key for a parsed frame.
pub fn action_key(regs: &impl CsrRead, frame: &[u8], p: &Parsed) -> [u16; 11] {
    let mut key = [0u16; rpc_ram::TCAM_ACT_WORD_LEN as usize];
    let mut w0 = 0u32;
    let mut w1 = 0u32;
    if let Some(da) = frame.get(..6).and_then(|d| <[u8; 6]>::try_from(d).ok()) {
        if let Some(idx) = macda_lookup(regs, &da) {
            w1 |= rpc_ram::TCAM_ACT1_L2_MACDA_IDX.prep(idx) | rpc_ram::TCAM_ACT1_L2_MACDA_VALID;
        }
    }
    if let Some(ip) = &p.ip {
        let (src, dst, v6) = ip16(ip);
        w1 |= rpc_ram::TCAM_ACT1_IP_VALID;
        if v6 {
            w1 |= rpc_ram::TCAM_ACT1_IP_IS_V6;
        }
        if let Some(i) = ip_lookup(regs, rpc_ram::TCAM_IPSRC::INFO, &src, v6) {
            w0 |= rpc_ram::TCAM_ACT0_IPSRC_IDX.prep(i) | rpc_ram::TCAM_ACT0_IPSRC_VALID;
        }
        if let Some(i) = ip_lookup(regs, rpc_ram::TCAM_IPDST::INFO, &dst, v6) {
            w0 |= rpc_ram::TCAM_ACT0_IPDST_IDX.prep(i) | rpc_ram::TCAM_ACT0_IPDST_VALID;
        }
    }
    if let Some((_, sport, dport)) = p.l4 {
        w1 |= rpc_ram::TCAM_ACT1_L4_VALID;
        if p.l4_proto == IPPROTO_UDP {
            w1 |= rpc_ram::TCAM_ACT1_L4_IS_UDP;
        }
        key[rpc_ram::TCAM_ACT_L4_SRC_WORD as usize] = sport;
        key[rpc_ram::TCAM_ACT_L4_DST_WORD as usize] = dport;
    }
    key[0] = w0 as u16;
    key[1] = w1 as u16;
    key
}

/// Lowest valid action TCAM entry matching `key`.
fn action_lookup(regs: &impl CsrRead, key: &[u16; 11]) -> Option<u32> {
    (0..rpc_ram::TCAM_ACT_NUM_ENTRIES).find(|&e| {
        regs.rd(rpc_ram::TCAM_ACT::INFO.dword(e, rpc_ram::TCAM_ACT_WORD_LEN))
            & rpc_ram::TCAM_VALIDATE
            != 0
            && (0..).zip(key.iter().copied()).all(|(w, k)| {
                rpc_ram::tcam_word_matches(regs.rd(rpc_ram::TCAM_ACT::INFO.dword(e, w)), k)
            })
    })
}

/// The RSS key as programmed: the `RSS_KEY` register values.
fn rss_key_regs(regs: &impl CsrRead) -> [u32; toeplitz::KEY_DWORDS] {
    let mut words = [0u32; toeplitz::KEY_DWORDS];
    for (i, w) in words.iter_mut().enumerate() {
        *w = regs.rd(rpc::RSS_KEY::INFO.dword(i as u32, 0));
    }
    words
}

/// The hash input `ACT_TBL1` selects: source address, destination address,
/// source port, destination port (the order of Microsoft's RSS
/// specification, which the kernel's toeplitz selftest also assumes), then
/// an IPv6 header's flow label, then the destination MAC for L2 hashing.
///
/// Where the flow label sits in the real device's hash input is not public;
/// here it is three big-endian bytes (the 20-bit label, zero-extended).
/// The emulator parses no inner headers, so the outer and the inner flow
/// label bits both select the one label it sees.
pub fn rss_input(act1: u32, frame: &[u8], p: &Parsed, out: &mut Vec<u8>) {
    out.clear();
    if let Some(ip) = &p.ip {
        let (s, d): (&[u8], &[u8]) = match ip {
            Ip::V4 { src, dst } => (src, dst),
            Ip::V6 { src, dst, .. } => (src, dst),
        };
        if act1 & rpc::ACT_TBL1_RSS_ENA_IP_SRC != 0 {
            out.extend_from_slice(s);
        }
        if act1 & rpc::ACT_TBL1_RSS_ENA_IP_DST != 0 {
            out.extend_from_slice(d);
        }
    }
    if let Some((_, sport, dport)) = p.l4 {
        if act1 & rpc::ACT_TBL1_RSS_ENA_L4_SRC != 0 {
            out.extend_from_slice(&sport.to_be_bytes());
        }
        if act1 & rpc::ACT_TBL1_RSS_ENA_L4_DST != 0 {
            out.extend_from_slice(&dport.to_be_bytes());
        }
    }
    let flow_label = rpc::ACT_TBL1_RSS_ENA_OV6_FL_LBL | rpc::ACT_TBL1_RSS_ENA_IV6_FL_LBL;
    if let Some(Ip::V6 { flow, .. }) = p.ip {
        if act1 & flow_label != 0 {
            out.extend_from_slice(&flow.to_be_bytes()[1..]);
        }
    }
    if act1 & rpc::ACT_TBL1_RSS_ENA_L2_DA != 0 {
        if let Some(da) = frame.get(..6) {
            out.extend_from_slice(da);
        }
    }
}

/// Classifies `frame` (parsed as `p`) for a port with `queues` RX queues.
pub fn classify(regs: &impl CsrRead, frame: &[u8], p: &Parsed, queues: u16) -> Verdict {
    classify_dest(regs, frame, p, queues).0
}

/// Classifies `frame` as [`classify`] does, and says whether the action
/// also (or only) sends it to the BMC (`ACT_TBL0_DEST_BMC` without
/// `DROP`): a frame the host does not get is then a
/// `Drop(DropReason::Action)` for the host.
pub fn classify_dest(
    regs: &impl CsrRead,
    frame: &[u8],
    p: &Parsed,
    queues: u16,
) -> (Verdict, bool) {
    let rmi = regs.rd(rpc::RMI_CONFIG::INDEX);
    if rmi & rpc::RMI_CONFIG::ENABLE.mask() == 0 {
        return (Verdict::Drop(DropReason::Disabled), false);
    }
    // The driver programs the largest frame it accepts
    // (`csr::MAX_JUMBO_FRAME_SIZE`, `RMI_CONFIG::host()`).
    let mtu = rpc::RMI_CONFIG::MTU.get(rmi) as usize;
    if mtu != 0 && frame.len() > mtu {
        return (Verdict::Drop(DropReason::Oversize), false);
    }
    let key = action_key(regs, frame, p);
    let entry = action_lookup(regs, &key);
    let (act0, act1) = match entry {
        Some(e) => (
            regs.rd(rpc_ram::ACT_TBL0::INFO.dword(e, 0)),
            regs.rd(rpc_ram::ACT_TBL1::INFO.dword(e, 0)),
        ),
        None => (
            regs.rd(rpc::ACT_TBL0_DEFAULT::INDEX),
            regs.rd(rpc::ACT_TBL1_DEFAULT::INDEX),
        ),
    };
    let dest = rpc::ACT_TBL0_DEST_MASK.get(act0);
    let bmc = act0 & rpc::ACT_TBL0_DROP == 0 && dest & rpc::ACT_TBL0_DEST_BMC != 0;
    if act0 & rpc::ACT_TBL0_DROP != 0 || dest & rpc::ACT_TBL0_DEST_HOST == 0 {
        return (Verdict::Drop(DropReason::Action), bmc);
    }
    let mut rss_hash = 0;
    let mask = rpc::ACT_TBL1_RSS_ENA_MASK.get(act1);
    if mask != 0 {
        rss_hash =
            crate::rss::hash_of(rss_key_regs(regs), |input| rss_input(mask, frame, p, input));
    }
    let queue = if act0 & rpc::ACT_TBL0_Q_SEL != 0 {
        rpc::ACT_TBL0_Q_ID.get(act0) as u16
    } else {
        let table = u32::from(act0 & rpc::ACT_TBL0_RSS_CTXT_ID != 0);
        regs.rd(rpc_ram::RSS_TBL::INFO.dword(table, rss_hash & 0xff)) as u16
    };
    if queue >= queues {
        return (Verdict::Drop(DropReason::BadQueue(queue)), bmc);
    }
    let host = Verdict::Host {
        queue,
        rss_hash,
        action: entry.map(|e| e as u8),
        timestamp: act0 & rpc::ACT_TBL0_TS_ENA != 0,
    };
    (host, bmc)
}
