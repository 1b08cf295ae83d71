// SPDX-License-Identifier: GPL-2.0

//! The RX parser/classifier (RPC): which queue a received frame goes to.
//!
//! For now every frame the parser accepts takes the default action:
//! receive-side scaling over all queues, by a Toeplitz hash of the IP
//! addresses and L4 ports through indirection table 0 (`fbnic_rss_reinit()`
//! with no action TCAM rules). The MAC address filter TCAM is left empty:
//! the default action applies to every destination address.

#![forbid(unsafe_code)]

use crate::{
    hw::{
        csr::{rpc, rpc_ram},
        toeplitz,
    },
    regs::Regs,
};

/// Entries of an indirection table.
pub(crate) const INDIR_ENTRIES: u32 = 256;
/// Largest frame the MAC and parser take (`FBNIC_MAX_JUMBO_FRAME_SIZE`).
pub(crate) const MAX_FRAME: u32 = 9742;
/// Bytes of per-frame overhead the parser accounts (`RMI_CONFIG_OH_BYTES`
/// as the C driver sets it).
const OH_BYTES: u32 = 20;

/// The RSS configuration of a port.
pub(crate) struct Rss {
    /// The hash key.
    pub(crate) key: [u8; toeplitz::KEY_LEN],
    /// Indirection table: entry `i` names the queue of hashes whose low
    /// byte is `i`.
    pub(crate) table: [u8; INDIR_ENTRIES as usize],
}

impl Rss {
    /// The default configuration for `queues` queues (at least one): the
    /// system's RSS key, and the table spread round-robin over all queues
    /// (`ethtool_rxfh_indir_default()`).
    pub(crate) fn new(queues: u32) -> Self {
        let mut key = [0; toeplitz::KEY_LEN];
        crate::kernel_ext::net::rss_key_fill(&mut key);
        let mut table = [0; INDIR_ENTRIES as usize];
        let queues = queues.max(1);
        for (i, entry) in table.iter_mut().enumerate() {
            // CAST: queue numbers are below 128.
            *entry = (i as u32 % queues) as u8;
        }
        Self { key, table }
    }
}

/// Writes the RSS key and indirection table to the device.
pub(crate) fn write_rss(regs: &Regs, rss: &Rss) {
    for (i, word) in toeplitz::key_to_regs(&rss.key).iter().enumerate() {
        // CAST: fewer than 14 key registers.
        regs.wr32(rpc::rss_key(i as u32), *word);
    }
    for (i, queue) in rss.table.iter().enumerate() {
        // CAST: 256 entries.
        regs.wr32(rpc_ram::rss_tbl(0, i as u32), u32::from(*queue));
    }
}

/// Opens the classifier with `rss` as the default action.
pub(crate) fn enable(regs: &Regs, rss: &Rss) {
    write_rss(regs, rss);
    regs.wr32(
        rpc::ACT_TBL1_DEFAULT,
        rpc::ACT_TBL1_RSS_ENA_MASK.prep(
            rpc::ACT_TBL1_RSS_ENA_IP_SRC
                | rpc::ACT_TBL1_RSS_ENA_IP_DST
                | rpc::ACT_TBL1_RSS_ENA_L4_SRC
                | rpc::ACT_TBL1_RSS_ENA_L4_DST,
        ),
    );
    regs.wr32(
        rpc::ACT_TBL0_DEFAULT,
        rpc::ACT_TBL0_DEST_MASK.prep(rpc::ACT_TBL0_DEST_HOST),
    );
    regs.wr32(
        rpc::RMI_CONFIG,
        rpc::RMI_CONFIG_MTU.prep(MAX_FRAME)
            | rpc::RMI_CONFIG_OH_BYTES.prep(OH_BYTES)
            | rpc::RMI_CONFIG_ENABLE,
    );
    regs.wrfl();
}

/// Stops delivering frames to the host (`fbnic_rpc_reset_valid_entries()`
/// and the RMI disable of `fbnic_rss_disable_hw()`).
pub(crate) fn disable(regs: &Regs) {
    regs.wr32(rpc::RMI_CONFIG, rpc::RMI_CONFIG_OH_BYTES.prep(OH_BYTES));
    regs.wr32(rpc::ACT_TBL0_DEFAULT, rpc::ACT_TBL0_DROP);
    regs.wrfl();
}
