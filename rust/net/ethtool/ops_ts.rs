// SPDX-License-Identifier: GPL-2.0

//! The `extern "C"` callbacks of the time stamping operations (`ethtool
//! -T`: capabilities and counters) for [`OpsTable`]; the table itself is
//! in `ops.rs`.

use kernel::{
    error::from_result,
    prelude::*, //
};

use super::{
    ops::OpsTable,
    Operations,
    TsInfo,
    TsStats, //
};
use crate::kernel_ext::{
    bindings,
    net::Device, //
};

impl<T: Operations> OpsTable<T> {
    /// # Safety
    ///
    /// `ndev` must be a network device of `Builder<T>` (the ethtool core
    /// calls this for registered devices only), and `ts` valid for writes
    /// and not accessed by anything else during the call.
    pub(super) unsafe extern "C" fn get_ts_info(
        ndev: *mut bindings::net_device,
        ts: *mut bindings::kernel_ethtool_ts_info,
    ) -> c_int {
        // SAFETY: Per the safety requirement `ndev` is a device of
        // `Builder<T>`, alive and with `T` initialized while registered.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: `TsInfo` is a `#[repr(transparent)]` wrapper of
        // `kernel_ethtool_ts_info`, and `ts` is valid and ours for the call.
        let ts = unsafe { &mut *ts.cast::<TsInfo>() };
        from_result(|| T::get_ts_info(dev, ts).map(|()| 0))
    }

    /// # Safety
    ///
    /// As for [`OpsTable::get_ts_info`], with `stats` in place of `ts`.
    pub(super) unsafe extern "C" fn get_ts_stats(
        ndev: *mut bindings::net_device,
        stats: *mut bindings::ethtool_ts_stats,
    ) {
        // SAFETY: As in `get_ts_info`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: `TsStats` is a `#[repr(transparent)]` wrapper of
        // `ethtool_ts_stats`, and `stats` is valid and ours for the call.
        T::get_ts_stats(dev, unsafe { &mut *stats.cast::<TsStats>() });
    }
}
