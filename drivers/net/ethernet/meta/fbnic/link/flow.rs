// SPDX-License-Identifier: GPL-2.0

//! Flow control as the C driver sets it up: what an RX queue does when it
//! has no buffer for a frame (`fbnic_config_drop_mode_rcq()`), and the RX
//! buffer's pause, drop and ECN thresholds and feature enables
//! (`fbnic_mac_init_rxb()`, `fbnic_mac_tx_pause_config()`,
//! `fbnic_mac_ps_protect_config()`).
//!
//! `core` only, like `hw/`: the host crate `fbnic-logic` compiles this file
//! too and runs its unit tests.

#![forbid(unsafe_code)]

use crate::hw::csr::{
    queue,
    rxb, //
};

/// `RDE_CTL0.DROP_MODE` of the RX queues: with several RX queues and no
/// pause frames sent, a queue without buffers drops at once, so that it
/// does not hold up the others behind it in the RX buffer; with one queue,
/// or with pause on (the link partner is to wait instead), it never drops.
pub(crate) fn rx_drop_mode(tx_pause: bool, rx_queues: u32) -> u32 {
    if !tx_pause && rx_queues > 1 {
        queue::RDE_CTL0_DROP_IMMEDIATE
    } else {
        queue::RDE_CTL0_DROP_NEVER
    }
}

/// The largest frame, in 64-byte credits of the RX buffer
/// (`FBNIC_MAX_JUMBO_FRAME_SIZE / 64`).
const JUMBO_CREDITS: u32 = 9742 / 64;

/// The RX buffer thresholds of one FIFO, as register values, or `None` for
/// a FIFO that is not used (and not programmed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct FifoThresholds {
    pub(crate) pause: u32,
    pub(crate) drop: u32,
    pub(crate) ecn: u32,
}

/// The thresholds of FIFO `fifo` ([`rxb::FIFO_SIZE`]): pause when the FIFO
/// is full but for the skid and resume once drained to it; drop when no
/// room for another jumbo frame is left; mark ECN once a quarter full (at
/// least a jumbo frame's worth). A FIFO without the feature gets the
/// never-reached level.
pub(crate) fn fifo_thresholds(fifo: u32) -> Option<FifoThresholds> {
    let size = *rxb::FIFO_SIZE.get(fifo as usize)?;
    if size == 0 {
        return None;
    }
    let credits = size * 32;
    let enabled = |mask: u32| mask & (1 << fifo) != 0;
    let pause = if enabled(rxb::PAUSE_EN_MASK) {
        // A FIFO smaller than the skid would wrap, as in the C driver's
        // unsigned arithmetic (none of those pauses).
        rxb::PAUSE_THLD::ON.prep(credits.wrapping_sub(rxb::PAUSE_SKID))
            | rxb::PAUSE_THLD::OFF.prep(rxb::PAUSE_SKID)
    } else {
        rxb::PAUSE_THLD_NEVER
    };
    let drop = if enabled(rxb::DROP_EN_MASK) {
        let at = credits.saturating_sub(JUMBO_CREDITS);
        rxb::DROP_THLD::ON.prep(at) | rxb::DROP_THLD::OFF.prep(at)
    } else {
        rxb::PAUSE_THLD_NEVER
    };
    let ecn = if enabled(rxb::ECN_EN_MASK) {
        let at = (credits / 4).max(JUMBO_CREDITS);
        rxb::ECN_THLD::ON.prep(at) | rxb::ECN_THLD::OFF.prep(at)
    } else {
        rxb::PAUSE_THLD_NEVER
    };
    Some(FifoThresholds { pause, drop, ecn })
}

/// `RXB_PAUSE_DROP_CTRL`: drop and ECN on their FIFOs always; pause frame
/// generation on its FIFOs when the MAC sends pause frames; pause storm
/// protection of the network interface when it does and a storm timeout
/// is set.
pub(crate) fn pause_drop_ctrl(tx_pause: bool, ps_protect: bool) -> u32 {
    let mut ctrl = rxb::PAUSE_DROP_CTRL::DROP_ENABLE.prep(rxb::DROP_EN_MASK)
        | rxb::PAUSE_DROP_CTRL::ECN_ENABLE.prep(rxb::ECN_EN_MASK);
    if tx_pause {
        ctrl |= rxb::PAUSE_DROP_CTRL::PAUSE_ENABLE.prep(rxb::PAUSE_EN_MASK);
    }
    if ps_protect {
        ctrl |= rxb::PAUSE_DROP_CTRL::PS_ENABLE.prep(rxb::PS_EN_MASK);
    }
    ctrl
}

/// `RXB_PAUSE_STORM.THLD_TIME` for a storm timeout of `ms` milliseconds,
/// saturated to the field.
pub(crate) fn storm_time(ms: u32) -> u32 {
    ms.saturating_mul(rxb::PS_UNITS_PER_MS)
        .min(rxb::PAUSE_STORM::THLD_TIME.max())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drop_mode_as_c_chooses() {
        assert_eq!(rx_drop_mode(false, 2), queue::RDE_CTL0_DROP_IMMEDIATE);
        assert_eq!(rx_drop_mode(false, 128), queue::RDE_CTL0_DROP_IMMEDIATE);
        assert_eq!(rx_drop_mode(false, 1), queue::RDE_CTL0_DROP_NEVER);
        assert_eq!(rx_drop_mode(true, 1), queue::RDE_CTL0_DROP_NEVER);
        assert_eq!(rx_drop_mode(true, 8), queue::RDE_CTL0_DROP_NEVER);
    }

    #[test]
    fn host_fifo_thresholds() {
        // Network to host: 384 KiB, 6144 credits; pause, drop and ECN.
        let t = fifo_thresholds(rxb::FIFO_HOST).unwrap();
        assert_eq!(t.pause, (6144 - 0x380) | (0x380 << 13));
        assert_eq!(t.drop, (6144 - 152) | ((6144 - 152) << 13));
        assert_eq!(t.ecn, 1536 | (1536 << 13));
        // Network to BMC: 32 KiB, 512 credits; drop only.
        let t = fifo_thresholds(rxb::FIFO_NET_TO_BMC).unwrap();
        assert_eq!(t.pause, rxb::PAUSE_THLD_NEVER);
        assert_eq!(t.drop, (512 - 152) | ((512 - 152) << 13));
        assert_eq!(t.ecn, rxb::PAUSE_THLD_NEVER);
        // Network to host/BMC (FIFO 0): drop only.
        let t = fifo_thresholds(0).unwrap();
        assert_eq!(t.pause, rxb::PAUSE_THLD_NEVER);
        assert_eq!(t.drop, (1024 - 152) | ((1024 - 152) << 13));
        assert_eq!(fifo_thresholds(1), None);
        assert_eq!(fifo_thresholds(8), None);
    }

    #[test]
    fn pause_drop_ctrl_bits() {
        assert_eq!(pause_drop_ctrl(false, false), 0x7d | (0x10 << 16));
        assert_eq!(
            pause_drop_ctrl(true, true),
            0x7d | (0x14 << 8) | (0x10 << 16) | (1 << 24)
        );
        assert_eq!(storm_time(500), 50_000);
        assert_eq!(storm_time(u32::MAX), 0xfffff);
    }
}
