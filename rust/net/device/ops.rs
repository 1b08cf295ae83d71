// SPDX-License-Identifier: GPL-2.0

//! The `net_device_ops` callbacks: the [`Operations`] a driver implements,
//! and the C operation table with the `extern "C"` functions that call
//! them.

use core::{
    marker::PhantomData,
    mem::ManuallyDrop, //
};
use kernel::{
    error::{
        from_result,
        VTABLE_DEFAULT_ERROR, //
    },
    prelude::*, //
};

use super::{
    AddrList,
    Device,
    Features,
    HwtstampConfig,
    Stats64,
    ETH_ALEN, //
};
use crate::kernel_ext::{
    bindings,
    bpf::Prog,
    net::{
        netlink::ExtAck,
        skbuff::SkBuff,
        xdp::XmitFrames, //
    }, //
};

/// What [`Operations::start_xmit`] did with a packet.
pub enum TxResult {
    /// The driver took the packet: queued it to the hardware, or dropped it
    /// (`NETDEV_TX_OK`).
    Ok,
    /// The queue was full and the packet is handed back, for the stack to
    /// requeue it (`NETDEV_TX_BUSY`). A driver should stop the queue before
    /// it fills up instead, so that this does not happen.
    Busy(SkBuff),
}

/// The `net_device_ops` callbacks of a network device whose private data is
/// `Self`.
///
/// [`start_xmit`](Operations::start_xmit) is mandatory; every other method
/// the implementation leaves out is left NULL in the C table, and the
/// networking core's default applies.
///
/// The methods are called concurrently with each other, except that
/// [`open`](Operations::open) and [`stop`](Operations::stop) are serialized
/// by RTNL and `start_xmit` runs with the TX queue's lock held, so `Self`
/// gets only shared access and must be [`Sync`].
#[vtable]
pub trait Operations: Sized + Send + Sync {
    /// The interface is brought up (`ndo_open`, under RTNL). Returning an
    /// error keeps it down.
    fn open(_dev: &Device<Self>) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// The interface is brought down (`ndo_stop`, under RTNL). The stack
    /// ignores errors: the interface is down afterwards either way.
    fn stop(_dev: &Device<Self>) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Transmits a packet (`ndo_start_xmit`), from process or softirq
    /// context with the TX queue locked.
    ///
    /// `more` is the stack's hint (`netdev_xmit_more()`) that another
    /// packet for the same queue follows at once: the driver may then
    /// defer its doorbell, see
    /// [`TxQueue::sent_more`](super::TxQueue::sent_more).
    fn start_xmit(dev: &Device<Self>, skb: SkBuff, more: bool) -> TxResult;

    /// Reports the interface statistics (`ndo_get_stats64`), from any
    /// context; it must not sleep.
    fn get_stats64(_dev: &Device<Self>, _stats: &mut Stats64) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Programs the receive filters (`ndo_set_rx_mode_async`): the device
    /// is to accept frames to its own address ([`Device::mac_address`]),
    /// to broadcast, to the unicast addresses in `uc` and the multicast
    /// addresses in `mc`, or everything with [`Device::is_promisc`], all
    /// multicast with [`Device::is_allmulti`].
    ///
    /// Called in process context under RTNL, with snapshots of the
    /// device's address lists, whenever a list or those flags change while
    /// the interface is up. An error makes the core retry later.
    fn set_rx_mode(_dev: &Device<Self>, _uc: &AddrList, _mc: &AddrList) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Changes the device's MAC address to `addr` (`ndo_set_mac_address`,
    /// under RTNL), for instance in its receive filter if it is up. When
    /// this returns `Ok`, the address of the interface becomes `addr`; on
    /// error nothing changes. The driver checks that `addr` suits it, at
    /// least with [`is_valid_ether_addr`](super::is_valid_ether_addr)
    /// (`EADDRNOTAVAIL` otherwise).
    fn set_mac_address(_dev: &Device<Self>, _addr: &[u8; ETH_ALEN]) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// A transmit queue has been stopped for longer than the device's
    /// watchdog timeout (`ndo_tx_timeout`): the hardware no longer takes
    /// packets from it or reports them sent. `queue` is the queue's index.
    ///
    /// Called from the watchdog timer (softirq context) with the device's
    /// TX queues frozen: it must not sleep, so a driver counts and reports
    /// the timeout here and resets the hardware from a work item. The
    /// core counts timeouts per queue itself (`tx_timeout` in the queue's
    /// sysfs directory). Without this method the core runs no watchdog.
    fn tx_timeout(_dev: &Device<Self>, _queue: u32) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Reports the hardware time stamping configuration
    /// (`ndo_hwtstamp_get`, under RTNL).
    fn hwtstamp_get(_dev: &Device<Self>, _config: &mut HwtstampConfig) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Applies a hardware time stamping configuration (`ndo_hwtstamp_set`,
    /// under RTNL). The driver may widen the receive filter, and writes
    /// back what it applied; a request it cannot meet fails with nothing
    /// changed (`ERANGE` for an unsupported mode).
    fn hwtstamp_set(_dev: &Device<Self>, _config: &mut HwtstampConfig) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Narrows the offloads the stack may use for `skb`
    /// (`ndo_features_check`), before it is passed to
    /// [`start_xmit`](Operations::start_xmit): what the device cannot do
    /// for this packet (headers too long for its descriptors, a tunnel it
    /// does not parse) the stack then does in software. Returns the
    /// features to keep, at most `features`.
    ///
    /// Called on the transmit path, possibly in softirq context; it must
    /// not sleep. Without this method the core's default applies, which
    /// checks VLAN-tagged packets only.
    fn features_check(_dev: &Device<Self>, _skb: &SkBuff, _features: Features) -> Features {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Checks whether the device can run `prog` as its XDP program, or run
    /// without one if `None` (the first half of `ndo_bpf`'s
    /// `XDP_SETUP_PROG`, under RTNL). An error, with the reason in
    /// `extack`, refuses the request and leaves everything as it was; on
    /// success [`xdp_setup_prog`](Operations::xdp_setup_prog) follows.
    ///
    /// With [`xdp_setup_prog`](Operations::xdp_setup_prog) this makes the
    /// core run programs attached in native mode in the driver (without
    /// them it runs them in generic mode, on socket buffers).
    fn xdp_check_prog(
        _dev: &Device<Self>,
        _prog: Option<&Prog>,
        _extack: &mut ExtAck<'_>,
    ) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Installs `prog` as the device's XDP program, or removes it
    /// (`None`), after [`xdp_check_prog`](Operations::xdp_check_prog)
    /// accepted it (the second half of `ndo_bpf`'s `XDP_SETUP_PROG`, under
    /// RTNL). The driver keeps the reference while the program is
    /// installed, typically in a [`ProgSlot`](crate::kernel_ext::net::xdp::ProgSlot),
    /// and drops the program it replaces.
    fn xdp_setup_prog(_dev: &Device<Self>, _prog: Option<Prog>) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Sends XDP frames redirected to the device (`ndo_xdp_xmit`), by a
    /// program on another device or on this one (`XDP_REDIRECT`).
    ///
    /// The driver takes frames from `frames` in order, while it has room
    /// for them, and queues them for transmission; the ones it does not
    /// take stay with the core, which returns them (and reports them
    /// dropped). With `flush` it makes the device start on what it queued
    /// (rings its doorbell); without, a later call with `flush` follows.
    /// An error, `ENETDOWN` for an interface that is down, refuses the
    /// frames not taken yet, as not taking them does.
    ///
    /// Called from softirq context or with bottom halves off (the core
    /// flushes its redirect queues at the end of the redirecting device's
    /// NAPI poll), on any CPU, concurrently on several: it must not sleep.
    /// Flags the core does not define are refused (`EINVAL`) before the
    /// call. The core sends frames here only if the device advertises
    /// [`Features::NDO_XMIT`](crate::kernel_ext::net::xdp::Features::NDO_XMIT).
    fn xdp_xmit(_dev: &Device<Self>, _frames: &mut XmitFrames<'_>, _flush: bool) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Changes the MTU to `mtu` (`ndo_change_mtu`, under RTNL), within the
    /// device's range; the core checked the range. On success the device's
    /// MTU becomes `mtu`; on error nothing changes. Without this method
    /// the core changes the MTU by itself.
    fn change_mtu(_dev: &Device<Self>, _mtu: u32) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
}

/// The C operation table of `T` and the callbacks in it.
pub(super) struct OpsTable<T>(PhantomData<T>);

impl<T: Operations> OpsTable<T> {
    /// # Safety
    ///
    /// `ndev` must be a network device allocated by
    /// [`Builder::new`](super::Builder::new) for `T`; the networking core
    /// calls this for registered devices only.
    unsafe extern "C" fn open(ndev: *mut bindings::net_device) -> c_int {
        // SAFETY: Per the safety requirement `ndev` is a device of
        // `Builder<T>`, which keeps it and its `T` alive while registered.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        from_result(|| T::open(dev).map(|()| 0))
    }

    /// # Safety
    ///
    /// As for [`OpsTable::open`].
    unsafe extern "C" fn stop(ndev: *mut bindings::net_device) -> c_int {
        // SAFETY: As in `open`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        from_result(|| T::stop(dev).map(|()| 0))
    }

    /// # Safety
    ///
    /// As for [`OpsTable::open`]; in addition `skb` must be a valid socket
    /// buffer whose ownership the networking core passes to the driver.
    unsafe extern "C" fn start_xmit(
        skb: *mut bindings::sk_buff,
        ndev: *mut bindings::net_device,
    ) -> bindings::netdev_tx_t {
        // SAFETY: As in `open`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: Per the safety requirement `skb` is valid and ours.
        let skb = unsafe { SkBuff::from_raw(skb) };
        // SAFETY: No requirement; inside `ndo_start_xmit` the flag the stack
        // set for this packet is the one read (per CPU or per task).
        let more = unsafe { bindings::netdev_xmit_more() };

        match T::start_xmit(dev, skb, more) {
            TxResult::Ok => bindings::netdev_tx_NETDEV_TX_OK,
            TxResult::Busy(skb) => {
                // With NETDEV_TX_BUSY the packet goes back to the stack.
                skb.into_raw();
                bindings::netdev_tx_NETDEV_TX_BUSY
            }
        }
    }

    /// # Safety
    ///
    /// As for [`OpsTable::open`]; in addition `storage` must be valid for
    /// writes and not accessed by anything else during the call.
    unsafe extern "C" fn get_stats64(
        ndev: *mut bindings::net_device,
        storage: *mut bindings::rtnl_link_stats64,
    ) {
        // SAFETY: As in `open`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: `Stats64` is a `#[repr(transparent)]` wrapper of
        // `rtnl_link_stats64`, and per the safety requirement `storage` is
        // valid and exclusively ours for the call.
        let stats = unsafe { &mut *storage.cast::<Stats64>() };
        T::get_stats64(dev, stats);
    }

    /// # Safety
    ///
    /// As for [`OpsTable::open`]; in addition `uc` and `mc` must be valid
    /// address lists that nothing changes during the call.
    unsafe extern "C" fn set_rx_mode(
        ndev: *mut bindings::net_device,
        uc: *mut bindings::netdev_hw_addr_list,
        mc: *mut bindings::netdev_hw_addr_list,
    ) -> c_int {
        // SAFETY: As in `open`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: Per the safety requirement both lists are valid and
        // unchanging for the call (the core's private snapshots).
        let (uc, mc) = unsafe { (AddrList::from_raw(uc), AddrList::from_raw(mc)) };
        from_result(|| T::set_rx_mode(dev, uc, mc).map(|()| 0))
    }

    /// # Safety
    ///
    /// As for [`OpsTable::open`]; in addition `addr` must point to a valid
    /// `struct sockaddr`, and the caller must hold RTNL.
    unsafe extern "C" fn set_mac_address(
        ndev: *mut bindings::net_device,
        addr: *mut c_void,
    ) -> c_int {
        // SAFETY: As in `open`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        let mut mac = [0u8; ETH_ALEN];
        // SAFETY: Per the safety requirement `addr` is a valid `struct
        // sockaddr`, whose `sa_data` holds at least `ETH_ALEN` bytes.
        unsafe {
            let data = core::ptr::addr_of!((*addr.cast::<bindings::sockaddr>()).sa_data);
            core::ptr::copy_nonoverlapping(data.cast::<u8>(), mac.as_mut_ptr(), ETH_ALEN);
        }
        from_result(|| {
            T::set_mac_address(dev, &mac)?;
            // SAFETY: The device is valid, the caller holds RTNL, and `mac`
            // is `ETH_ALEN` bytes.
            unsafe { bindings::eth_hw_addr_set(ndev, mac.as_ptr()) };
            Ok(0)
        })
    }

    /// # Safety
    ///
    /// As for [`OpsTable::open`].
    unsafe extern "C" fn tx_timeout(ndev: *mut bindings::net_device, txqueue: c_uint) {
        // SAFETY: As in `open`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        T::tx_timeout(dev, txqueue);
    }

    /// # Safety
    ///
    /// As for [`OpsTable::open`]; in addition `config` must be valid for
    /// reads and writes and ours for the call, and the caller must hold
    /// RTNL.
    unsafe extern "C" fn hwtstamp_get(
        ndev: *mut bindings::net_device,
        config: *mut bindings::kernel_hwtstamp_config,
    ) -> c_int {
        // SAFETY: As in `open`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: `HwtstampConfig` is a transparent wrapper; `config` is
        // valid and ours for the call.
        let config = unsafe { &mut *config.cast::<HwtstampConfig>() };
        from_result(|| T::hwtstamp_get(dev, config).map(|()| 0))
    }

    /// # Safety
    ///
    /// As for [`OpsTable::hwtstamp_get`]; `extack` is NULL or valid.
    unsafe extern "C" fn hwtstamp_set(
        ndev: *mut bindings::net_device,
        config: *mut bindings::kernel_hwtstamp_config,
        _extack: *mut bindings::netlink_ext_ack,
    ) -> c_int {
        // SAFETY: As in `open`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: As in `hwtstamp_get`.
        let config = unsafe { &mut *config.cast::<HwtstampConfig>() };
        from_result(|| T::hwtstamp_set(dev, config).map(|()| 0))
    }

    /// # Safety
    ///
    /// As for [`OpsTable::open`]; in addition `skb` must be a valid socket
    /// buffer that stays valid and unchanged during the call.
    unsafe extern "C" fn features_check(
        skb: *mut bindings::sk_buff,
        ndev: *mut bindings::net_device,
        features: bindings::netdev_features_t,
    ) -> bindings::netdev_features_t {
        // SAFETY: As in `open`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: Per the safety requirement `skb` is valid for the call.
        // The stack keeps its ownership: `ManuallyDrop` never frees it,
        // and the driver only gets a shared reference.
        let skb = ManuallyDrop::new(unsafe { SkBuff::from_raw(skb) });
        let kept = T::features_check(dev, &skb, Features(features));
        features & kept.0
    }

    /// # Safety
    ///
    /// As for [`OpsTable::open`]; in addition `bpf` must be a valid request
    /// that nothing else accesses during the call, and the caller must hold
    /// RTNL. For `XDP_SETUP_PROG`, a program in it comes with a reference
    /// that the callee keeps on success.
    unsafe extern "C" fn bpf(
        ndev: *mut bindings::net_device,
        bpf: *mut bindings::netdev_bpf,
    ) -> c_int {
        // SAFETY: As in `open`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: Per the safety requirement `bpf` is valid and ours.
        let bpf = unsafe { &mut *bpf };
        if bpf.command != bindings::bpf_netdev_command_XDP_SETUP_PROG {
            return EINVAL.to_errno();
        }
        // SAFETY: For XDP_SETUP_PROG the first member of the union is the
        // one set.
        let (prog, extack) = unsafe {
            let setup = &bpf.__bindgen_anon_1.__bindgen_anon_1;
            (setup.prog, setup.extack)
        };
        // SAFETY: `extack` is NULL or valid and ours for the call.
        let mut extack = unsafe { ExtAck::from_raw(extack) };
        // The reference is the core's until the request succeeds: on
        // failure the core puts it itself.
        //
        // SAFETY: `prog` is NULL or a live program with a reference (per
        // the safety requirement).
        let prog = ManuallyDrop::new(unsafe { Prog::from_raw(prog) });
        if let Err(e) = T::xdp_check_prog(dev, prog.as_ref(), &mut extack) {
            return e.to_errno();
        }
        T::xdp_setup_prog(dev, ManuallyDrop::into_inner(prog));
        0
    }

    /// # Safety
    ///
    /// As for [`OpsTable::open`]; in addition `frames` must point to `n`
    /// valid XDP frames owned by the caller, of which the callee takes
    /// the first as many as it returns (the core returns the others).
    unsafe extern "C" fn xdp_xmit(
        ndev: *mut bindings::net_device,
        n: c_int,
        frames: *mut *mut bindings::xdp_frame,
        flags: u32,
    ) -> c_int {
        // SAFETY: As in `open`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        if flags & !bindings::XDP_XMIT_FLAGS_MASK != 0 {
            return EINVAL.to_errno();
        }
        let Ok(n) = usize::try_from(n) else {
            return EINVAL.to_errno();
        };
        // SAFETY: Per the safety requirement `frames` holds `n` frames
        // the caller hands over as the driver takes them, during the call.
        let mut frames = unsafe { XmitFrames::from_raw(frames, n) };
        let res = T::xdp_xmit(dev, &mut frames, flags & bindings::XDP_XMIT_FLUSH != 0);
        let taken = frames.taken();
        match res {
            // Frames the driver took are its own even if it then failed:
            // the core must not return them again.
            Err(e) if taken == 0 => e.to_errno(),
            // CAST: at most `n`, a `c_int`.
            _ => taken as c_int,
        }
    }

    /// # Safety
    ///
    /// As for [`OpsTable::open`]; in addition the caller must hold RTNL.
    unsafe extern "C" fn change_mtu(ndev: *mut bindings::net_device, mtu: c_int) -> c_int {
        // SAFETY: As in `open`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        let Ok(mtu) = u32::try_from(mtu) else {
            return EINVAL.to_errno();
        };
        from_result(|| {
            T::change_mtu(dev, mtu)?;
            // SAFETY: The device is valid and the caller holds RTNL, which
            // serializes MTU changes; readers use `READ_ONCE()`.
            unsafe { core::ptr::write_volatile(core::ptr::addr_of_mut!((*ndev).mtu), mtu) };
            Ok(0)
        })
    }

    const VTABLE: bindings::net_device_ops = bindings::net_device_ops {
        ndo_open: if T::HAS_OPEN { Some(Self::open) } else { None },
        ndo_stop: if T::HAS_STOP { Some(Self::stop) } else { None },
        ndo_start_xmit: Some(Self::start_xmit),
        ndo_get_stats64: if T::HAS_GET_STATS64 {
            Some(Self::get_stats64)
        } else {
            None
        },
        ndo_set_rx_mode_async: if T::HAS_SET_RX_MODE {
            Some(Self::set_rx_mode)
        } else {
            None
        },
        ndo_set_mac_address: if T::HAS_SET_MAC_ADDRESS {
            Some(Self::set_mac_address)
        } else {
            None
        },
        ndo_tx_timeout: if T::HAS_TX_TIMEOUT {
            Some(Self::tx_timeout)
        } else {
            None
        },
        ndo_hwtstamp_get: if T::HAS_HWTSTAMP_GET {
            Some(Self::hwtstamp_get)
        } else {
            None
        },
        ndo_hwtstamp_set: if T::HAS_HWTSTAMP_SET {
            Some(Self::hwtstamp_set)
        } else {
            None
        },
        ndo_features_check: if T::HAS_FEATURES_CHECK {
            Some(Self::features_check)
        } else {
            None
        },
        ndo_bpf: if T::HAS_XDP_CHECK_PROG && T::HAS_XDP_SETUP_PROG {
            Some(Self::bpf)
        } else {
            None
        },
        ndo_xdp_xmit: if T::HAS_XDP_XMIT {
            Some(Self::xdp_xmit)
        } else {
            None
        },
        ndo_change_mtu: if T::HAS_CHANGE_MTU {
            Some(Self::change_mtu)
        } else {
            None
        },
        ..pin_init::zeroed()
    };

    pub(super) const fn build() -> &'static bindings::net_device_ops {
        &Self::VTABLE
    }
}
