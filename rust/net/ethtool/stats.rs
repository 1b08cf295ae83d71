// SPDX-License-Identifier: GPL-2.0

//! Statistics: the standard groups (`ethtool -S --groups
//! eth-mac|eth-ctrl|rmon`) and the driver's own named counters (`ethtool
//! -S`, string sets).

use core::fmt;
use kernel::num::casts::u32_as_usize;

use crate::kernel_ext::{
    bindings,
    str::format_str, //
};

/// The IEEE 802.3 MAC statistics (`ethtool -S --groups eth-mac`, `struct
/// ethtool_eth_mac_stats`). The core presets every counter to "not
/// reported"; the driver sets those it has.
#[repr(transparent)]
pub struct EthMacStats(bindings::ethtool_eth_mac_stats);

/// Defines setters for counters of [`EthMacStats`].
macro_rules! eth_mac_setters {
    ($($(#[$doc:meta])* $setter:ident => $field:ident;)*) => {
        impl EthMacStats {
            $(
                $(#[$doc])*
                pub fn $setter(&mut self, value: u64) -> &mut Self {
                    // The union's two members are the same counters (a
                    // struct group); writing one is writing both.
                    self.0.__bindgen_anon_1.__bindgen_anon_1.$field = value;
                    self
                }
            )*
        }
    };
}

eth_mac_setters! {
    /// Frames sent.
    frames_transmitted_ok => FramesTransmittedOK;
    /// Frames received.
    frames_received_ok => FramesReceivedOK;
    /// Frames received with a bad FCS.
    frame_check_sequence_errors => FrameCheckSequenceErrors;
    /// Frames received with an alignment error.
    alignment_errors => AlignmentErrors;
    /// Bytes sent.
    octets_transmitted_ok => OctetsTransmittedOK;
    /// Bytes received.
    octets_received_ok => OctetsReceivedOK;
    /// Multicast frames sent.
    multicast_frames_xmitted_ok => MulticastFramesXmittedOK;
    /// Broadcast frames sent.
    broadcast_frames_xmitted_ok => BroadcastFramesXmittedOK;
    /// Multicast frames received.
    multicast_frames_received_ok => MulticastFramesReceivedOK;
    /// Broadcast frames received.
    broadcast_frames_received_ok => BroadcastFramesReceivedOK;
    /// Frames received that were too long.
    frame_too_long_errors => FrameTooLongErrors;
    /// Frames not sent because of an internal MAC error.
    frames_lost_due_to_int_mac_xmit_error => FramesLostDueToIntMACXmitError;
    /// Frames not received because of an internal MAC error.
    frames_lost_due_to_int_mac_rcv_error => FramesLostDueToIntMACRcvError;
}

/// The IEEE 802.3 MAC Control counters (`ethtool -S --groups eth-ctrl`,
/// `struct ethtool_eth_ctrl_stats`), set like [`EthMacStats`].
#[repr(transparent)]
pub struct EthCtrlStats(bindings::ethtool_eth_ctrl_stats);

impl EthCtrlStats {
    /// Sets the MAC Control frames sent.
    pub fn mac_control_frames_transmitted(&mut self, value: u64) -> &mut Self {
        self.0
            .__bindgen_anon_1
            .__bindgen_anon_1
            .MACControlFramesTransmitted = value;
        self
    }

    /// Sets the MAC Control frames received.
    pub fn mac_control_frames_received(&mut self, value: u64) -> &mut Self {
        self.0
            .__bindgen_anon_1
            .__bindgen_anon_1
            .MACControlFramesReceived = value;
        self
    }
}

/// The most buckets of an RMON size histogram (`ETHTOOL_RMON_HIST_MAX`).
pub const RMON_HIST_MAX: usize = u32_as_usize(bindings::ETHTOOL_RMON_HIST_MAX);

/// The frame size buckets of a device's RMON histograms: up to
/// [`RMON_HIST_MAX`] inclusive byte ranges, in the order of the values
/// [`RmonStats::hist`] takes. Made at compile time, as a `static` the core
/// may keep pointing to.
#[repr(transparent)]
pub struct RmonRanges([bindings::ethtool_rmon_hist_range; RMON_HIST_MAX + 1]);

// SAFETY: The ranges are plain integers, never changed after creation.
unsafe impl Sync for RmonRanges {}

impl RmonRanges {
    /// Buckets `low..=high` for each pair of `ranges`. Fails to compile
    /// with more than [`RMON_HIST_MAX`] or with an empty `0..=0` range
    /// (which would end the list).
    pub const fn new<const N: usize>(ranges: [(u16, u16); N]) -> Self {
        assert!(N <= RMON_HIST_MAX, "too many RMON histogram buckets");
        let mut out = [bindings::ethtool_rmon_hist_range { low: 0, high: 0 }; RMON_HIST_MAX + 1];
        let mut i = 0;
        while i < N {
            let (low, high) = ranges[i];
            assert!(high != 0 && low <= high, "invalid RMON histogram bucket");
            out[i] = bindings::ethtool_rmon_hist_range { low, high };
            i += 1;
        }
        Self(out)
    }
}

/// The RMON counters (`ethtool -S --groups rmon`, `struct
/// ethtool_rmon_stats`), set like [`EthMacStats`], with size histograms
/// over the buckets given to [`RmonStats::set_ranges`].
pub struct RmonStats<'a> {
    pub(super) stats: &'a mut bindings::ethtool_rmon_stats,
    pub(super) ranges: &'a mut *const bindings::ethtool_rmon_hist_range,
}

impl RmonStats<'_> {
    fn counters(&mut self) -> &mut bindings::ethtool_rmon_stats__bindgen_ty_1__bindgen_ty_1 {
        // SAFETY: The union's two members are the same counters (a struct
        // group) of plain integers; either view is valid.
        unsafe { &mut self.stats.__bindgen_anon_1.__bindgen_anon_1 }
    }

    /// Sets the frames received shorter than 64 bytes with a good FCS.
    pub fn undersize_pkts(&mut self, value: u64) -> &mut Self {
        self.counters().undersize_pkts = value;
        self
    }

    /// Sets the frames received longer than the maximum with a good FCS.
    pub fn oversize_pkts(&mut self, value: u64) -> &mut Self {
        self.counters().oversize_pkts = value;
        self
    }

    /// Sets the frames received shorter than 64 bytes with a bad FCS.
    pub fn fragments(&mut self, value: u64) -> &mut Self {
        self.counters().fragments = value;
        self
    }

    /// Sets the frames received longer than the maximum with a bad FCS.
    pub fn jabbers(&mut self, value: u64) -> &mut Self {
        self.counters().jabbers = value;
        self
    }

    /// Sets the histogram buckets the values of [`RmonStats::hist`] and
    /// [`RmonStats::hist_tx`] count in; without them no histogram is
    /// reported.
    pub fn set_ranges(&mut self, ranges: &'static RmonRanges) -> &mut Self {
        *self.ranges = ranges.0.as_ptr();
        self
    }

    /// Sets the frames received in bucket `i`; ignored beyond
    /// [`RMON_HIST_MAX`].
    pub fn hist(&mut self, i: usize, value: u64) -> &mut Self {
        if let Some(v) = self.counters().hist.get_mut(i) {
            *v = value;
        }
        self
    }

    /// Sets the frames sent in bucket `i`; ignored beyond
    /// [`RMON_HIST_MAX`].
    pub fn hist_tx(&mut self, i: usize, value: u64) -> &mut Self {
        if let Some(v) = self.counters().hist_tx.get_mut(i) {
            *v = value;
        }
        self
    }
}

/// A string set: a list of names the ethtool core asks a driver about
/// (`enum ethtool_stringset`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StringSet {
    /// The names of the driver's own statistics, for `ethtool -S`
    /// (`ETH_SS_STATS`).
    Stats,
    /// The names of the self-tests, for `ethtool -t` (`ETH_SS_TEST`).
    Test,
    /// Any other set, by its number.
    Other(u32),
}

impl StringSet {
    pub(super) fn from_raw(raw: u32) -> Self {
        match raw {
            bindings::ethtool_stringset_ETH_SS_STATS => Self::Stats,
            bindings::ethtool_stringset_ETH_SS_TEST => Self::Test,
            _ => Self::Other(raw),
        }
    }
}

/// Length of one name in a string set, including its NUL
/// (`ETH_GSTRING_LEN`).
pub const GSTRING_LEN: usize = u32_as_usize(bindings::ETH_GSTRING_LEN);

/// The names of a string set, as
/// [`Operations::get_strings`](super::Operations::get_strings) fills them:
/// one fixed-size, NUL-padded slot per name, as many as
/// [`Operations::get_sset_count`](super::Operations::get_sset_count) said.
///
/// Names longer than [`GSTRING_LEN`]` - 1` bytes are cut; names beyond the
/// count are ignored.
pub struct Strings<'a> {
    pub(super) buf: &'a mut [u8],
    pub(super) next: usize,
}

impl Strings<'_> {
    /// Appends a name.
    pub fn push(&mut self, name: fmt::Arguments<'_>) {
        let start = self.next * GSTRING_LEN;
        if let Some(slot) = self.buf.get_mut(start..start + GSTRING_LEN) {
            slot.fill(0);
            format_str(slot, name);
            self.next += 1;
        }
    }
}

/// The values of the driver's statistics, as
/// [`Operations::get_ethtool_stats`](super::Operations::get_ethtool_stats)
/// fills them: one per name of [`StringSet::Stats`], in the same order.
pub struct StatsData<'a> {
    pub(super) data: &'a mut [u64],
    pub(super) next: usize,
}

impl StatsData<'_> {
    /// Appends the value of the next statistic. Values beyond the count
    /// are ignored.
    pub fn push(&mut self, value: u64) {
        if let Some(v) = self.data.get_mut(self.next) {
            *v = value;
            self.next += 1;
        }
    }
}
