// SPDX-License-Identifier: GPL-2.0

//! The `extern "C"` callbacks of the physical layer's operations (pause,
//! FEC and their counters, PHY and link counters) for [`OpsTable`]; the
//! table itself is in `ops.rs`.

use kernel::{
    error::from_result,
    prelude::*, //
};

use super::{
    ops::OpsTable,
    EthPhyStats,
    FecParam,
    FecStats,
    LinkExtStats,
    Operations,
    PauseParam,
    PauseStats, //
};
use crate::kernel_ext::{
    bindings,
    net::Device, //
};

impl<T: Operations> OpsTable<T> {
    /// # Safety
    ///
    /// `ndev` must be a network device of `Builder<T>` (the ethtool core
    /// calls this for registered devices only), and `pause` valid for
    /// writes and not accessed by anything else during the call.
    pub(super) unsafe extern "C" fn get_pauseparam(
        ndev: *mut bindings::net_device,
        pause: *mut bindings::ethtool_pauseparam,
    ) {
        // SAFETY: Per the safety requirement `ndev` is a device of
        // `Builder<T>`, alive and with `T` initialized while registered.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: `PauseParam` is a `#[repr(transparent)]` wrapper of
        // `ethtool_pauseparam`, and `pause` is valid and ours for the call.
        T::get_pauseparam(dev, unsafe { &mut *pause.cast::<PauseParam>() });
    }

    /// # Safety
    ///
    /// As for [`OpsTable::get_pauseparam`].
    pub(super) unsafe extern "C" fn set_pauseparam(
        ndev: *mut bindings::net_device,
        pause: *mut bindings::ethtool_pauseparam,
    ) -> c_int {
        // SAFETY: As in `get_pauseparam`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: As in `get_pauseparam`, read-only.
        let pause = unsafe { &*pause.cast::<PauseParam>() };
        from_result(|| T::set_pauseparam(dev, pause).map(|()| 0))
    }

    /// # Safety
    ///
    /// As for [`OpsTable::get_pauseparam`], with `stats` in place of
    /// `pause`.
    pub(super) unsafe extern "C" fn get_pause_stats(
        ndev: *mut bindings::net_device,
        stats: *mut bindings::ethtool_pause_stats,
    ) {
        // SAFETY: As in `get_pauseparam`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: `PauseStats` is a transparent wrapper; `stats` is valid
        // and ours for the call.
        T::get_pause_stats(dev, unsafe { &mut *stats.cast::<PauseStats>() });
    }

    /// # Safety
    ///
    /// As for [`OpsTable::get_pauseparam`], with `fec` in place of `pause`.
    pub(super) unsafe extern "C" fn get_fecparam(
        ndev: *mut bindings::net_device,
        fec: *mut bindings::ethtool_fecparam,
    ) -> c_int {
        // SAFETY: As in `get_pauseparam`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: `FecParam` is a transparent wrapper; `fec` is valid and
        // ours for the call.
        let fec = unsafe { &mut *fec.cast::<FecParam>() };
        from_result(|| T::get_fecparam(dev, fec).map(|()| 0))
    }

    /// # Safety
    ///
    /// As for [`OpsTable::get_pauseparam`], with `stats` in place of
    /// `pause`; the histogram `_hist` is not used.
    pub(super) unsafe extern "C" fn get_fec_stats(
        ndev: *mut bindings::net_device,
        stats: *mut bindings::ethtool_fec_stats,
        _hist: *mut bindings::ethtool_fec_hist,
    ) {
        // SAFETY: As in `get_pauseparam`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: `FecStats` is a transparent wrapper; `stats` is valid and
        // ours for the call.
        T::get_fec_stats(dev, unsafe { &mut *stats.cast::<FecStats>() });
    }

    /// # Safety
    ///
    /// As for [`OpsTable::get_pauseparam`], with `stats` in place of
    /// `pause`.
    pub(super) unsafe extern "C" fn get_eth_phy_stats(
        ndev: *mut bindings::net_device,
        stats: *mut bindings::ethtool_eth_phy_stats,
    ) {
        // SAFETY: As in `get_pauseparam`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: `EthPhyStats` is a transparent wrapper; `stats` is valid
        // and ours for the call.
        T::get_eth_phy_stats(dev, unsafe { &mut *stats.cast::<EthPhyStats>() });
    }

    /// # Safety
    ///
    /// As for [`OpsTable::get_pauseparam`], with `stats` in place of
    /// `pause`.
    pub(super) unsafe extern "C" fn get_link_ext_stats(
        ndev: *mut bindings::net_device,
        stats: *mut bindings::ethtool_link_ext_stats,
    ) {
        // SAFETY: As in `get_pauseparam`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: `LinkExtStats` is a transparent wrapper; `stats` is valid
        // and ours for the call.
        T::get_link_ext_stats(dev, unsafe { &mut *stats.cast::<LinkExtStats>() });
    }
}
