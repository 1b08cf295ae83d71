// SPDX-License-Identifier: GPL-2.0

//! The classifier's part for a BMC sharing the port (`fbnic_bmc_rpc_init()`,
//! `fbnic_write_tce_tcam()`, the BMC branch of `fbnic_clear_rules()`):
//!
//! * action TCAM entry 0 sends the frames to the BMC's unicast addresses
//!   (MAC DA entries 0..=3) to the BMC alone;
//! * the RSS rules come twice: the first seven for the host's unicast
//!   entries (MAC DA 24 and up) to the host, the last seven for every
//!   other MAC DA hit (broadcast, multicast) to the host and the BMC;
//! * while the host interface is down, the last rule sends whatever hits
//!   the BMC's entries to the BMC, and the RX path stays enabled;
//! * the TX TCAM hands the host's frames to the BMC's addresses to the BMC
//!   (and group addresses to the wire as well);
//! * for a BMC that wants every multicast frame, action TCAM entry 1 sends
//!   what hits its all-multicast MAC DA entry to the BMC alone, unless the
//!   host wants all multicast too: then the RSS rules for group addresses
//!   take those frames to both (`fbnic_bmc_rpc_all_multi_config()`).

#![forbid(unsafe_code)]

use crate::hw::reg::RegisterIo;

use super::macda::{
    Bmc,
    MACDA_BMC_ALL_MULTI, //
};
use crate::{
    hw::csr::{
        rpc,
        rpc_ram,
        tce,
        tce_ram, //
    },
    regs::Regs,
};

/// The action TCAM entry of the BMC's unicast rule.
const BMC_RULE: u32 = rpc_ram::ACT_TBL_BMC_OFFSET;
/// The last action TCAM entry: the catch-all RSS rule, the BMC's while the
/// host is down.
const LAST_RULE: u32 = rpc_ram::TCAM_ACT_NUM_ENTRIES - 1;

/// Writes action TCAM entry `entry`: `act0`/`act1` for frames whose key
/// word 1 is `word1` (a TCAM word), every other word don't care.
pub(super) fn write_rule(regs: &Regs, entry: u32, word1: u32, act0: u32, act1: u32) {
    let Some(entry) = rpc_ram::ActIdx::new(entry) else {
        return;
    };
    regs.write_raw(rpc_ram::ACT_TBL0::at(entry), act0);
    regs.write_raw(rpc_ram::ACT_TBL1::at(entry), act1);
    let validate = rpc_ram::ActWordIdx::new_const::<{ rpc_ram::TCAM_ACT_WORD_LEN }>();
    for word in rpc_ram::ActWordIdx::all().take_while(|&w| w != validate) {
        let tcam = if word.get() == 1 {
            word1
        } else {
            rpc_ram::tcam_word(0, u16::MAX)
        };
        regs.write_raw(rpc_ram::TCAM_ACT::at(entry, word), tcam);
    }
    regs.wrfl();
    regs.write_raw(
        rpc_ram::TCAM_ACT::at(entry, validate),
        rpc_ram::TCAM_VALIDATE,
    );
}

/// Invalidates action TCAM entry `entry`.
pub(super) fn clear_rule(regs: &Regs, entry: u32) {
    if let Some(entry) = rpc_ram::ActIdx::new(entry) {
        for word in rpc_ram::ActWordIdx::all() {
            regs.write_raw(rpc_ram::TCAM_ACT::at(entry, word), 0);
        }
    }
}

/// The BMC as a destination of the action table.
const DEST_BMC: u32 = rpc::ACT_TBL0_DEST_MASK.prep(rpc::ACT_TBL0_DEST_BMC);

/// Writes the BMC's unicast rule: a MAC DA hit in entries 0..=3 (the low
/// two index bits don't care) goes to the BMC.
pub(super) fn write_unicast_rule(regs: &Regs) {
    let value = rpc_ram::TCAM_ACT1_L2_MACDA_VALID;
    let care = rpc_ram::TCAM_ACT1_L2_MACDA_VALID | rpc_ram::TCAM_ACT1_L2_MACDA_IDX.prep(0x1c);
    // CAST: word 1's flags are in bits 15:0.
    let word1 = rpc_ram::tcam_word(value as u16, !care as u16);
    write_rule(regs, BMC_RULE, word1, DEST_BMC, 0);
}

/// The action TCAM entry of the BMC's all-multicast rule.
const ALL_MULTI_RULE: u32 = rpc_ram::ACT_TBL_BMC_ALL_MULTI_OFFSET;

/// Writes (`on`) or invalidates the BMC's all-multicast rule: a hit in
/// the BMC's all-multicast MAC DA entry goes to the BMC.
pub(super) fn write_all_multi_rule(regs: &Regs, on: bool) {
    if !on {
        clear_rule(regs, ALL_MULTI_RULE);
        return;
    }
    // CAST: 32 entries.
    let idx = MACDA_BMC_ALL_MULTI as u32;
    let value = rpc_ram::TCAM_ACT1_L2_MACDA_VALID | rpc_ram::TCAM_ACT1_L2_MACDA_IDX.prep(idx);
    let care = rpc_ram::TCAM_ACT1_L2_MACDA_VALID | rpc_ram::TCAM_ACT1_L2_MACDA_IDX.mask();
    // CAST: word 1's flags are in bits 15:0.
    let word1 = rpc_ram::tcam_word(value as u16, !care as u16);
    write_rule(regs, ALL_MULTI_RULE, word1, DEST_BMC, 0);
}

/// Key word 1 of an RSS rule for the host's unicast entries only: those
/// from `TCAM_MACDA_DEFAULT_BOUNDARY` (24) up, whose index has bits 3 and
/// 4 set.
pub(super) fn unicast_word1(flags: u32) -> u32 {
    let value = rpc_ram::TCAM_ACT1_L2_MACDA_VALID
        | rpc_ram::TCAM_ACT1_L2_MACDA_IDX.prep(rpc_ram::TCAM_MACDA_DEFAULT_BOUNDARY)
        | flags;
    // CAST: word 1's flags are in bits 15:0.
    rpc_ram::tcam_word(value as u16, !value as u16)
}

/// Adds the BMC to an RSS rule's action for group addresses.
pub(super) const fn with_bmc(act0: u32) -> u32 {
    if act0 & rpc::ACT_TBL0_DROP != 0 {
        // A discarded class still reaches the BMC.
        DEST_BMC
    } else {
        act0 | DEST_BMC
    }
}

/// Leaves the BMC's traffic flowing while the host's rules go: the last
/// rule (every MAC DA hit, and only the BMC's entries stay) to the BMC
/// alone, the unicast rule kept.
pub(super) fn keep_for_bmc(regs: &Regs) {
    if let Some(entry) = rpc_ram::ActIdx::new(LAST_RULE) {
        regs.write_raw(rpc_ram::ACT_TBL0::at(entry), DEST_BMC);
        regs.write_raw(rpc_ram::ACT_TBL1::at(entry), 0);
    }
}

/// Writes the TX TCAM: the destinations of `bmc` ([`Bmc::tx_tcam`]) to
/// the BMC, group addresses to the wire too, the other entries invalid;
/// then turns the TCAM on (`FBNIC_TCE_TXB_CTRL_TCAM_ENABLE`).
pub(crate) fn write_tx_tcam(regs: &Regs, bmc: &Bmc) {
    let mut dest_map = 0u32;
    let mut entries = bmc.tx_tcam();
    for entry in tce_ram::TceTcamIdx::all() {
        match entries.next() {
            Some((addr, wire)) => {
                let mut dest = tce::TCAM_DEST_BMC;
                if wire {
                    dest |= tce::TCAM_DEST_MAC;
                }
                dest_map |= dest << (4 * entry.get());
                let key = rpc_ram::macda_key(addr);
                for (word, k) in tce_ram::TceWordIdx::all().zip(key) {
                    regs.write_raw(
                        tce_ram::TCAM::at(entry, word),
                        tce_ram::TCAM::VALUE.prep(u32::from(k)),
                    );
                }
                regs.wrfl();
                regs.write_raw(
                    tce_ram::TCAM3::at(entry),
                    tce_ram::TCAM3::MCQ_MASK.mask()
                        | tce_ram::TCAM3::DEST_MASK.mask()
                        | tce_ram::TCAM3::VALIDATE.mask(),
                );
            }
            None => {
                for word in tce_ram::TceWordIdx::all() {
                    regs.write_raw(tce_ram::TCAM::at(entry, word), 0);
                }
                regs.write_raw(tce_ram::TCAM3::at(entry), 0);
            }
        }
    }
    regs.write_raw(tce::TCAM_IDX2DEST_MAP::AT, dest_map);
    regs.write_raw(
        tce::TXB_CTRL::AT,
        tce::TXB_CTRL::TCAM_ENABLE.mask() | tce::TXB_CTRL::LOAD.mask(),
    );
    regs.wrfl();
}
