// SPDX-License-Identifier: GPL-2.0

//! Time stamping capabilities for `ethtool -T` (`struct
//! kernel_ethtool_ts_info`).

use crate::kernel_ext::bindings;

/// What a device can time stamp and with which clock, for `ethtool -T`
/// (`struct kernel_ethtool_ts_info`).
///
/// The core passes it in with no hardware clock (index -1) and no
/// capabilities, and adds software receive time stamps itself afterwards.
#[repr(transparent)]
pub struct TsInfo(bindings::kernel_ethtool_ts_info);

impl TsInfo {
    /// Names the device's PTP hardware clock, `N` of `/dev/ptpN`
    /// (see `kernel_ext::ptp::Registration::index`).
    pub fn set_phc_index(&mut self, index: i32) {
        self.0.phc_index = index;
    }
}
