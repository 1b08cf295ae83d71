// SPDX-License-Identifier: GPL-2.0

//! The C operation table (`struct ethtool_ops`) of an [`Operations`]
//! implementation: the `extern "C"` callbacks that turn the core's
//! pointers into the safe types of this module and call the driver.

use core::marker::PhantomData;
use kernel::{
    error::from_result,
    num::casts::FromSafeCast,
    prelude::*, //
};

use super::{
    nfc,
    Channels,
    Coalesce,
    DrvInfo,
    EthCtrlStats,
    EthMacStats,
    ExtAck,
    FlowRule,
    KernelRingParam,
    LinkKsettings,
    ModuleEeprom,
    Operations,
    RingParam,
    RmonStats,
    RxfhContext,
    RxfhFields,
    RxfhParam,
    SelfTest,
    StatsData,
    StringSet,
    Strings,
    GSTRING_LEN, //
};
use crate::kernel_ext::{
    bindings,
    net::{
        Device,
        Rtnl, //
    },
};

/// The C operation table of `T` and the callbacks in it.
pub(super) struct OpsTable<T>(PhantomData<T>);

impl<T: Operations> OpsTable<T> {
    /// # Safety
    ///
    /// `ndev` must be a network device of `Builder<T>`, `test` a valid
    /// request and `data` valid for writes of `(*test).len` results, both
    /// used by nothing else during the call, which holds RTNL.
    unsafe extern "C" fn self_test(
        ndev: *mut bindings::net_device,
        test: *mut bindings::ethtool_test,
        data: *mut u64,
    ) {
        // SAFETY: Per the safety requirement `ndev` is a device of
        // `Builder<T>`, alive and with `T` initialized while registered.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: Per the safety requirement `test` is valid and ours.
        let test = unsafe { &mut *test };
        let len = usize::from_safe_cast(test.len);
        let results = if data.is_null() || len == 0 {
            &mut [][..]
        } else {
            // SAFETY: Per the safety requirement `data` holds `len`
            // results that only this call accesses.
            unsafe { core::slice::from_raw_parts_mut(data, len) }
        };
        let mut run = SelfTest::new(&mut test.flags, results);
        // SAFETY: The ethtool core holds RTNL during the call (on a device
        // whose callbacks run under its instance lock too: `VTABLE` names
        // this callback in `op_needs_rtnl`).
        let rtnl = unsafe { Rtnl::new() };
        T::self_test(dev, &rtnl, &mut run);
    }

    /// # Safety
    ///
    /// `ndev` must be a network device of `Builder<T>`, `page` a valid
    /// request whose `data` holds `length` bytes that only this call
    /// writes, and `extack` NULL or valid for the call.
    unsafe extern "C" fn get_module_eeprom_by_page(
        ndev: *mut bindings::net_device,
        page: *const bindings::ethtool_module_eeprom,
        extack: *mut bindings::netlink_ext_ack,
    ) -> c_int {
        // SAFETY: Per the safety requirement `ndev` is a device of
        // `Builder<T>`, alive and with `T` initialized while registered.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: Per the safety requirement, `page` is valid and its
        // `data` holds `length` bytes that only this call writes.
        let mut eeprom = unsafe { ModuleEeprom::from_raw(&*page) };
        // SAFETY: Per the safety requirement `extack` is NULL or valid for
        // the call, and only used through this value.
        let mut extack = unsafe { ExtAck::from_raw(extack) };
        from_result(|| {
            let len = T::get_module_eeprom_by_page(dev, &mut eeprom, &mut extack)?;
            c_int::try_from(len).map_err(|_| EINVAL)
        })
    }

    /// # Safety
    ///
    /// `ndev` must be a network device of `Builder<T>` (the ethtool core
    /// calls this for registered devices only), and `info` valid for writes
    /// and not accessed by anything else during the call.
    unsafe extern "C" fn get_drvinfo(
        ndev: *mut bindings::net_device,
        info: *mut bindings::ethtool_drvinfo,
    ) {
        // SAFETY: Per the safety requirement `ndev` is a device of
        // `Builder<T>`, alive and with `T` initialized while registered.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: `DrvInfo` is a `#[repr(transparent)]` wrapper of
        // `ethtool_drvinfo`, and `info` is valid and ours for the call.
        let info = unsafe { &mut *info.cast::<DrvInfo>() };
        T::get_drvinfo(dev, info);
    }

    /// # Safety
    ///
    /// As for [`OpsTable::get_drvinfo`], with `settings` in place of
    /// `info`.
    unsafe extern "C" fn get_link_ksettings(
        ndev: *mut bindings::net_device,
        settings: *mut bindings::ethtool_link_ksettings,
    ) -> c_int {
        // SAFETY: As in `get_drvinfo`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: `LinkKsettings` is a `#[repr(transparent)]` wrapper of
        // `ethtool_link_ksettings`, and `settings` is valid and ours for
        // the call.
        let settings = unsafe { &mut *settings.cast::<LinkKsettings>() };
        from_result(|| T::get_link_ksettings(dev, settings).map(|()| 0))
    }

    /// # Safety
    ///
    /// As for [`OpsTable::get_drvinfo`], with `ring` in place of `info`.
    unsafe extern "C" fn get_ringparam(
        ndev: *mut bindings::net_device,
        ring: *mut bindings::ethtool_ringparam,
        kring: *mut bindings::kernel_ethtool_ringparam,
        _extack: *mut bindings::netlink_ext_ack,
    ) {
        // SAFETY: As in `get_drvinfo`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: `RingParam` and `KernelRingParam` are transparent
        // wrappers; `ring` and `kring` are valid and ours for the call.
        let (ring, kring) = unsafe {
            (
                &mut *ring.cast::<RingParam>(),
                &mut *kring.cast::<KernelRingParam>(),
            )
        };
        T::get_ringparam(dev, ring, kring);
    }

    /// # Safety
    ///
    /// As for [`OpsTable::get_ringparam`], called by the core under RTNL,
    /// `extack` NULL or valid for writes and ours for the call.
    unsafe extern "C" fn set_ringparam(
        ndev: *mut bindings::net_device,
        ring: *mut bindings::ethtool_ringparam,
        kring: *mut bindings::kernel_ethtool_ringparam,
        extack: *mut bindings::netlink_ext_ack,
    ) -> c_int {
        // SAFETY: As in `get_drvinfo`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: `RingParam` and `KernelRingParam` are transparent
        // wrappers; `ring` and `kring` are valid and ours for the call.
        let (ring, kring) = unsafe {
            (
                &*ring.cast::<RingParam>(),
                &*kring.cast::<KernelRingParam>(),
            )
        };
        // SAFETY: Per the safety requirement.
        let mut extack = unsafe { ExtAck::from_raw(extack) };
        // SAFETY: The ethtool core holds RTNL during the call (on a device
        // whose callbacks run under its instance lock too: `VTABLE` names
        // this callback in `op_needs_rtnl`).
        let rtnl = unsafe { Rtnl::new() };
        from_result(|| T::set_ringparam(dev, &rtnl, ring, kring, &mut extack).map(|()| 0))
    }

    /// # Safety
    ///
    /// As for [`OpsTable::get_drvinfo`], with `channels` in place of `info`.
    unsafe extern "C" fn get_channels(
        ndev: *mut bindings::net_device,
        channels: *mut bindings::ethtool_channels,
    ) {
        // SAFETY: As in `get_drvinfo`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: `Channels` is a transparent wrapper; `channels` is valid
        // and ours for the call.
        T::get_channels(dev, unsafe { &mut *channels.cast::<Channels>() });
    }

    /// # Safety
    ///
    /// As for [`OpsTable::get_channels`], called by the core under RTNL.
    unsafe extern "C" fn set_channels(
        ndev: *mut bindings::net_device,
        channels: *mut bindings::ethtool_channels,
    ) -> c_int {
        // SAFETY: As in `get_drvinfo`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: As in `get_channels`.
        let channels = unsafe { &*channels.cast::<Channels>() };
        // SAFETY: The ethtool core holds RTNL during the call (on a device
        // whose callbacks run under its instance lock too: `VTABLE` names
        // this callback in `op_needs_rtnl`).
        let rtnl = unsafe { Rtnl::new() };
        from_result(|| T::set_channels(dev, &rtnl, channels).map(|()| 0))
    }

    /// # Safety
    ///
    /// As for [`OpsTable::get_drvinfo`], with `coalesce` in place of `info`.
    unsafe extern "C" fn get_coalesce(
        ndev: *mut bindings::net_device,
        coalesce: *mut bindings::ethtool_coalesce,
        _kcoalesce: *mut bindings::kernel_ethtool_coalesce,
        _extack: *mut bindings::netlink_ext_ack,
    ) -> c_int {
        // SAFETY: As in `get_drvinfo`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: `Coalesce` is a transparent wrapper; `coalesce` is valid
        // and ours for the call.
        let coalesce = unsafe { &mut *coalesce.cast::<Coalesce>() };
        from_result(|| T::get_coalesce(dev, coalesce).map(|()| 0))
    }

    /// # Safety
    ///
    /// As for [`OpsTable::get_coalesce`].
    unsafe extern "C" fn set_coalesce(
        ndev: *mut bindings::net_device,
        coalesce: *mut bindings::ethtool_coalesce,
        _kcoalesce: *mut bindings::kernel_ethtool_coalesce,
        _extack: *mut bindings::netlink_ext_ack,
    ) -> c_int {
        // SAFETY: As in `get_drvinfo`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: As in `get_coalesce`.
        let coalesce = unsafe { &*coalesce.cast::<Coalesce>() };
        from_result(|| T::set_coalesce(dev, coalesce).map(|()| 0))
    }

    /// # Safety
    ///
    /// As for [`OpsTable::get_drvinfo`], with `stats` in place of `info`.
    unsafe extern "C" fn get_eth_mac_stats(
        ndev: *mut bindings::net_device,
        stats: *mut bindings::ethtool_eth_mac_stats,
    ) {
        // SAFETY: As in `get_drvinfo`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: `EthMacStats` is a transparent wrapper; `stats` is valid
        // and ours for the call.
        T::get_eth_mac_stats(dev, unsafe { &mut *stats.cast::<EthMacStats>() });
    }

    /// # Safety
    ///
    /// As for [`OpsTable::get_drvinfo`], without `info`.
    unsafe extern "C" fn get_rx_ring_count(ndev: *mut bindings::net_device) -> u32 {
        // SAFETY: As in `get_drvinfo`.
        T::get_rx_ring_count(unsafe { Device::<T>::from_raw(ndev) })
    }

    /// # Safety
    ///
    /// As for [`OpsTable::get_drvinfo`], without `info`.
    unsafe extern "C" fn get_rxfh_indir_size(ndev: *mut bindings::net_device) -> u32 {
        // SAFETY: As in `get_drvinfo`.
        T::get_rxfh_indir_size(unsafe { Device::<T>::from_raw(ndev) })
    }

    /// # Safety
    ///
    /// As for [`OpsTable::get_drvinfo`], without `info`.
    unsafe extern "C" fn get_rxfh_key_size(ndev: *mut bindings::net_device) -> u32 {
        // SAFETY: As in `get_drvinfo`.
        T::get_rxfh_key_size(unsafe { Device::<T>::from_raw(ndev) })
    }

    /// # Safety
    ///
    /// As for [`OpsTable::get_drvinfo`], with `param` in place of `info`,
    /// its arrays as `RxfhParam` describes.
    unsafe extern "C" fn get_rxfh(
        ndev: *mut bindings::net_device,
        param: *mut bindings::ethtool_rxfh_param,
    ) -> c_int {
        // SAFETY: As in `get_drvinfo`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: `RxfhParam` is a transparent wrapper; `param` is valid
        // and ours for the call.
        let param = unsafe { &mut *param.cast::<RxfhParam>() };
        // Not every caller fills in the sizes (the channel-count check of
        // `ethtool_check_max_channel()` does not), but every one allocates
        // the arrays with the sizes the driver reports, so those are the
        // sizes `RxfhParam` exposes when none is given.
        if T::HAS_GET_RXFH_INDIR_SIZE && !param.0.indir.is_null() && param.0.indir_size == 0 {
            param.0.indir_size = T::get_rxfh_indir_size(dev);
        }
        if T::HAS_GET_RXFH_KEY_SIZE && !param.0.key.is_null() && param.0.key_size == 0 {
            param.0.key_size = T::get_rxfh_key_size(dev);
        }
        from_result(|| T::get_rxfh(dev, param).map(|()| 0))
    }

    /// # Safety
    ///
    /// As for [`OpsTable::get_rxfh`].
    unsafe extern "C" fn set_rxfh(
        ndev: *mut bindings::net_device,
        param: *mut bindings::ethtool_rxfh_param,
        _extack: *mut bindings::netlink_ext_ack,
    ) -> c_int {
        // SAFETY: As in `get_drvinfo`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: As in `get_rxfh`.
        let param = unsafe { &*param.cast::<RxfhParam>() };
        from_result(|| T::set_rxfh(dev, param).map(|()| 0))
    }

    /// `create_rxfh_context` (`MODIFY` false) and `modify_rxfh_context`
    /// (`MODIFY` true).
    ///
    /// # Safety
    ///
    /// As for [`OpsTable::get_drvinfo`], with `ctx` the context and `param`
    /// the request as [`OpsTable::get_rxfh`] takes it, and `extack` NULL or
    /// valid for writes, all ours for the call.
    unsafe extern "C" fn rxfh_context<const MODIFY: bool>(
        ndev: *mut bindings::net_device,
        ctx: *mut bindings::ethtool_rxfh_context,
        param: *const bindings::ethtool_rxfh_param,
        extack: *mut bindings::netlink_ext_ack,
    ) -> c_int {
        // SAFETY: As in `get_drvinfo`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: Per the safety requirement; the wrappers are transparent.
        let (ctx, param) =
            unsafe { (&mut *ctx.cast::<RxfhContext>(), &*param.cast::<RxfhParam>()) };
        // SAFETY: Per the safety requirement.
        let mut extack = unsafe { ExtAck::from_raw(extack) };
        let op = if MODIFY {
            T::modify_rxfh_context
        } else {
            T::create_rxfh_context
        };
        from_result(|| op(dev, param.rss_context(), ctx, param, &mut extack).map(|()| 0))
    }

    /// # Safety
    ///
    /// As for [`OpsTable::rxfh_context`], without `param`.
    unsafe extern "C" fn remove_rxfh_context(
        ndev: *mut bindings::net_device,
        _ctx: *mut bindings::ethtool_rxfh_context,
        context: u32,
        extack: *mut bindings::netlink_ext_ack,
    ) -> c_int {
        // SAFETY: As in `get_drvinfo`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: As in `create_rxfh_context`.
        let mut extack = unsafe { ExtAck::from_raw(extack) };
        from_result(|| T::remove_rxfh_context(dev, context, &mut extack).map(|()| 0))
    }

    /// # Safety
    ///
    /// As for [`OpsTable::get_drvinfo`], with `info` the request, and
    /// `rule_locs` NULL or an array of `info.rule_cnt` entries for
    /// `bindings::ETHTOOL_GRXCLSRLALL`, both valid and ours for the call.
    unsafe extern "C" fn get_rxnfc(
        ndev: *mut bindings::net_device,
        info: *mut bindings::ethtool_rxnfc,
        rule_locs: *mut u32,
    ) -> c_int {
        // SAFETY: As in `get_drvinfo`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: Per the safety requirement.
        let info = unsafe { &mut *info };
        from_result(|| {
            match info.cmd {
                bindings::ETHTOOL_GRXCLSRLCNT => {
                    let count = T::get_rule_count(dev)?;
                    info.data = u64::from(count.table_size);
                    if count.special_locations {
                        info.data |= u64::from(nfc::location::SPECIAL);
                    }
                    info.__bindgen_anon_1.rule_cnt = count.rules;
                }
                bindings::ETHTOOL_GRXCLSRULE => {
                    let rule = T::get_rule(dev, info.fs.location)?;
                    // Nothing of the request's spec but its location is
                    // meant to come back.
                    info.fs = bindings::ethtool_rx_flow_spec::default();
                    if let Some(context) = rule.encode(&mut info.fs) {
                        info.__bindgen_anon_1.rss_context = context;
                    }
                }
                bindings::ETHTOOL_GRXCLSRLALL => {
                    // SAFETY: Both members of the union are a `u32`; the
                    // core put the array's size in it.
                    let cap = usize::from_safe_cast(unsafe { info.__bindgen_anon_1.rule_cnt });
                    let locations = if rule_locs.is_null() || cap == 0 {
                        &mut [][..]
                    } else {
                        // SAFETY: Per the safety requirement, `cap` entries.
                        unsafe { core::slice::from_raw_parts_mut(rule_locs, cap) }
                    };
                    let n = T::get_rule_locations(dev, locations)?;
                    info.data = u64::from(T::get_rule_count(dev)?.table_size);
                    info.__bindgen_anon_1.rule_cnt = n;
                }
                _ => return Err(EOPNOTSUPP),
            }
            Ok(0)
        })
    }

    /// # Safety
    ///
    /// As for [`OpsTable::get_drvinfo`], with `info` the request, valid and
    /// ours for the call.
    unsafe extern "C" fn set_rxnfc(
        ndev: *mut bindings::net_device,
        info: *mut bindings::ethtool_rxnfc,
    ) -> c_int {
        // SAFETY: As in `get_drvinfo`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: Per the safety requirement.
        let info = unsafe { &mut *info };
        from_result(|| {
            match info.cmd {
                bindings::ETHTOOL_SRXCLSRLINS => {
                    // SAFETY: As in `get_rxnfc`, a `u32` either way.
                    let context = unsafe { info.__bindgen_anon_1.rss_context };
                    let rule = FlowRule::decode(&info.fs, context)?;
                    info.fs.location = T::insert_rule(dev, &rule)?;
                }
                bindings::ETHTOOL_SRXCLSRLDEL => T::delete_rule(dev, info.fs.location)?,
                _ => return Err(EOPNOTSUPP),
            }
            Ok(0)
        })
    }

    /// # Safety
    ///
    /// As for [`OpsTable::get_drvinfo`], with `fields` in place of `info`.
    unsafe extern "C" fn get_rxfh_fields(
        ndev: *mut bindings::net_device,
        fields: *mut bindings::ethtool_rxfh_fields,
    ) -> c_int {
        // SAFETY: As in `get_drvinfo`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: `RxfhFields` is a transparent wrapper; `fields` is valid
        // and ours for the call.
        let fields = unsafe { &mut *fields.cast::<RxfhFields>() };
        from_result(|| T::get_rxfh_fields(dev, fields).map(|()| 0))
    }

    /// # Safety
    ///
    /// As for [`OpsTable::get_rxfh_fields`], and `extack` NULL or valid for
    /// writes during the call.
    unsafe extern "C" fn set_rxfh_fields(
        ndev: *mut bindings::net_device,
        fields: *const bindings::ethtool_rxfh_fields,
        extack: *mut bindings::netlink_ext_ack,
    ) -> c_int {
        // SAFETY: As in `get_drvinfo`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: As in `get_rxfh_fields`, read-only.
        let fields = unsafe { &*fields.cast::<RxfhFields>() };
        // SAFETY: The core passes NULL (ioctl) or its request's extack,
        // which nothing else uses during the call.
        let mut extack = unsafe { ExtAck::from_raw(extack) };
        from_result(|| T::set_rxfh_fields(dev, fields, &mut extack).map(|()| 0))
    }

    /// # Safety
    ///
    /// As for [`OpsTable::get_drvinfo`], with `stats` in place of `info`.
    unsafe extern "C" fn get_eth_ctrl_stats(
        ndev: *mut bindings::net_device,
        stats: *mut bindings::ethtool_eth_ctrl_stats,
    ) {
        // SAFETY: As in `get_drvinfo`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: `EthCtrlStats` is a transparent wrapper; `stats` is valid
        // and ours for the call.
        T::get_eth_ctrl_stats(dev, unsafe { &mut *stats.cast::<EthCtrlStats>() });
    }

    /// # Safety
    ///
    /// As for [`OpsTable::get_drvinfo`], with `stats` in place of `info`;
    /// `ranges` must be valid for writes, and the core may keep what is
    /// written there after the call.
    unsafe extern "C" fn get_rmon_stats(
        ndev: *mut bindings::net_device,
        stats: *mut bindings::ethtool_rmon_stats,
        ranges: *mut *const bindings::ethtool_rmon_hist_range,
    ) {
        // SAFETY: As in `get_drvinfo`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: Both are valid and ours for the call; only `'static`
        // ranges are ever stored through `ranges` (`RmonStats::set_ranges`).
        let mut stats = unsafe {
            RmonStats {
                stats: &mut *stats,
                ranges: &mut *ranges,
            }
        };
        T::get_rmon_stats(dev, &mut stats);
    }

    /// # Safety
    ///
    /// As for [`OpsTable::get_drvinfo`], without `info`.
    unsafe extern "C" fn get_sset_count(ndev: *mut bindings::net_device, sset: c_int) -> c_int {
        // SAFETY: As in `get_drvinfo`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        let Ok(set) = u32::try_from(sset) else {
            return EINVAL.to_errno();
        };
        match T::get_sset_count(dev, StringSet::from_raw(set)) {
            Ok(n) => c_int::try_from(n).unwrap_or(EINVAL.to_errno()),
            Err(e) => e.to_errno(),
        }
    }

    /// # Safety
    ///
    /// As for [`OpsTable::get_drvinfo`]; `data` must be valid for writes of
    /// `ETH_GSTRING_LEN` bytes per name that `get_sset_count` reports for
    /// `sset` (the core allocates it so, under RTNL, just before).
    unsafe extern "C" fn get_strings(ndev: *mut bindings::net_device, sset: u32, data: *mut u8) {
        // SAFETY: As in `get_drvinfo`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        let set = StringSet::from_raw(sset);
        let Ok(count) = T::get_sset_count(dev, set) else {
            return;
        };
        let len = usize::from_safe_cast(count) * GSTRING_LEN;
        // SAFETY: Per the safety requirement `data` holds `len` bytes for
        // us to write during the call.
        let buf = unsafe { core::slice::from_raw_parts_mut(data, len) };
        T::get_strings(dev, set, &mut Strings { buf, next: 0 });
    }

    /// # Safety
    ///
    /// As for [`OpsTable::get_drvinfo`]; `stats` must be valid, and `data`
    /// valid for writes of `stats->n_stats` values.
    unsafe extern "C" fn get_ethtool_stats(
        ndev: *mut bindings::net_device,
        stats: *mut bindings::ethtool_stats,
        data: *mut u64,
    ) {
        // SAFETY: As in `get_drvinfo`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: Per the safety requirement `stats` is valid; `n_stats` is
        // the number of values `data` holds.
        let n = usize::from_safe_cast(unsafe { (*stats).n_stats });
        // SAFETY: `data` holds `n` values for us to write during the call.
        let data = unsafe { core::slice::from_raw_parts_mut(data, n) };
        T::get_ethtool_stats(dev, &mut StatsData { data, next: 0 });
    }

    pub(super) const VTABLE: bindings::ethtool_ops = bindings::ethtool_ops {
        get_eth_ctrl_stats: if T::HAS_GET_ETH_CTRL_STATS {
            Some(Self::get_eth_ctrl_stats)
        } else {
            None
        },
        get_rmon_stats: if T::HAS_GET_RMON_STATS {
            Some(Self::get_rmon_stats)
        } else {
            None
        },
        get_sset_count: if T::HAS_GET_SSET_COUNT {
            Some(Self::get_sset_count)
        } else {
            None
        },
        get_strings: if T::HAS_GET_STRINGS {
            Some(Self::get_strings)
        } else {
            None
        },
        get_ethtool_stats: if T::HAS_GET_ETHTOOL_STATS {
            Some(Self::get_ethtool_stats)
        } else {
            None
        },
        get_rx_ring_count: if T::HAS_GET_RX_RING_COUNT {
            Some(Self::get_rx_ring_count)
        } else {
            None
        },
        get_rxfh_indir_size: if T::HAS_GET_RXFH_INDIR_SIZE {
            Some(Self::get_rxfh_indir_size)
        } else {
            None
        },
        get_rxfh_key_size: if T::HAS_GET_RXFH_KEY_SIZE {
            Some(Self::get_rxfh_key_size)
        } else {
            None
        },
        get_rxfh: if T::HAS_GET_RXFH {
            Some(Self::get_rxfh)
        } else {
            None
        },
        set_rxfh: if T::HAS_SET_RXFH {
            Some(Self::set_rxfh)
        } else {
            None
        },
        rxfh_max_num_contexts: T::RXFH_MAX_CONTEXTS,
        create_rxfh_context: if T::HAS_CREATE_RXFH_CONTEXT {
            Some(Self::rxfh_context::<false>)
        } else {
            None
        },
        modify_rxfh_context: if T::HAS_MODIFY_RXFH_CONTEXT {
            Some(Self::rxfh_context::<true>)
        } else {
            None
        },
        remove_rxfh_context: if T::HAS_REMOVE_RXFH_CONTEXT {
            Some(Self::remove_rxfh_context)
        } else {
            None
        },
        get_rxnfc: if T::HAS_GET_RULE_COUNT {
            Some(Self::get_rxnfc)
        } else {
            None
        },
        set_rxnfc: if T::HAS_INSERT_RULE {
            Some(Self::set_rxnfc)
        } else {
            None
        },
        get_rxfh_fields: if T::HAS_GET_RXFH_FIELDS {
            Some(Self::get_rxfh_fields)
        } else {
            None
        },
        set_rxfh_fields: if T::HAS_SET_RXFH_FIELDS {
            Some(Self::set_rxfh_fields)
        } else {
            None
        },
        supported_coalesce_params: T::SUPPORTED_COALESCE,
        supported_ring_params: T::SUPPORTED_RING_PARAMS,
        // On a device whose callbacks run under its instance lock (one
        // with queue management operations) the core holds RTNL only for
        // the callbacks named here: those that get an `Rtnl` proof
        // (`set_ringparam`, `set_channels`, `self_test`) and the core's
        // `ethtool_op_get_link()`, which syncs the link watch under RTNL.
        // Ignored for other devices, which always get RTNL.
        op_needs_rtnl: bindings::ETHTOOL_OP_NEEDS_RTNL_SRINGPARAM
            | bindings::ETHTOOL_OP_NEEDS_RTNL_SCHANNELS
            | bindings::ETHTOOL_OP_NEEDS_RTNL_TEST
            | bindings::ETHTOOL_OP_NEEDS_RTNL_GLINK,
        get_ringparam: if T::HAS_GET_RINGPARAM {
            Some(Self::get_ringparam)
        } else {
            None
        },
        set_ringparam: if T::HAS_SET_RINGPARAM {
            Some(Self::set_ringparam)
        } else {
            None
        },
        get_channels: if T::HAS_GET_CHANNELS {
            Some(Self::get_channels)
        } else {
            None
        },
        set_channels: if T::HAS_SET_CHANNELS {
            Some(Self::set_channels)
        } else {
            None
        },
        get_coalesce: if T::HAS_GET_COALESCE {
            Some(Self::get_coalesce)
        } else {
            None
        },
        set_coalesce: if T::HAS_SET_COALESCE {
            Some(Self::set_coalesce)
        } else {
            None
        },
        self_test: if T::HAS_SELF_TEST {
            Some(Self::self_test)
        } else {
            None
        },
        get_module_eeprom_by_page: if T::HAS_GET_MODULE_EEPROM_BY_PAGE {
            Some(Self::get_module_eeprom_by_page)
        } else {
            None
        },
        get_ts_info: if T::HAS_GET_TS_INFO {
            Some(Self::get_ts_info)
        } else {
            None
        },
        get_ts_stats: if T::HAS_GET_TS_STATS {
            Some(Self::get_ts_stats)
        } else {
            None
        },
        get_eth_mac_stats: if T::HAS_GET_ETH_MAC_STATS {
            Some(Self::get_eth_mac_stats)
        } else {
            None
        },
        get_drvinfo: if T::HAS_GET_DRVINFO {
            Some(Self::get_drvinfo)
        } else {
            None
        },
        // "Link detected" is the carrier state, for every device; this is
        // what nearly all drivers install.
        get_link: Some(bindings::ethtool_op_get_link),
        get_link_ksettings: if T::HAS_GET_LINK_KSETTINGS {
            Some(Self::get_link_ksettings)
        } else {
            None
        },
        get_regs_len: if T::HAS_GET_REGS_LEN {
            Some(Self::get_regs_len)
        } else {
            None
        },
        get_regs: if T::HAS_GET_REGS {
            Some(Self::get_regs)
        } else {
            None
        },
        get_pauseparam: if T::HAS_GET_PAUSEPARAM {
            Some(Self::get_pauseparam)
        } else {
            None
        },
        set_pauseparam: if T::HAS_SET_PAUSEPARAM {
            Some(Self::set_pauseparam)
        } else {
            None
        },
        get_pause_stats: if T::HAS_GET_PAUSE_STATS {
            Some(Self::get_pause_stats)
        } else {
            None
        },
        get_fecparam: if T::HAS_GET_FECPARAM {
            Some(Self::get_fecparam)
        } else {
            None
        },
        get_fec_stats: if T::HAS_GET_FEC_STATS {
            Some(Self::get_fec_stats)
        } else {
            None
        },
        get_eth_phy_stats: if T::HAS_GET_ETH_PHY_STATS {
            Some(Self::get_eth_phy_stats)
        } else {
            None
        },
        get_link_ext_stats: if T::HAS_GET_LINK_EXT_STATS {
            Some(Self::get_link_ext_stats)
        } else {
            None
        },
        // `cap_link_lanes_supported` is bit 8 of the table's first bitfield
        // unit (after the 8 bits of `supported_input_xfrm`), in its second
        // byte.
        _bitfield_1: bindings::__BindgenBitfieldUnit::new([
            0,
            if T::CAP_LINK_LANES { 1 } else { 0 },
        ]),
        ..pin_init::zeroed()
    };
}
