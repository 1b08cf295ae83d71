// SPDX-License-Identifier: GPL-2.0

//! ethtool operations of network devices.
//!
//! C header: [`include/linux/ethtool.h`](srctree/include/linux/ethtool.h)
//!
//! The private data type of a network device implements [`Operations`] in
//! addition to [`net::Operations`](super::Operations), and the driver
//! installs the table with
//! [`Builder::set_ethtool_ops`](super::Builder::set_ethtool_ops) before
//! registering the device.
//!
//! # Examples
//!
//! ```ignore
//! use kernel::prelude::*;
//! use kernel_ext::net::{self, ethtool};
//!
//! #[vtable]
//! impl ethtool::Operations for Port {
//!     fn get_drvinfo(dev: &net::Device<Self>, info: &mut ethtool::DrvInfo) {
//!         info.set_driver(c"my_driver");
//!         info.set_bus_info(dev.parent().name());
//!         info.set_fw_version(fmt!("{}.{}", dev.data().fw_major, dev.data().fw_minor));
//!     }
//! }
//! ```

use core::{fmt, marker::PhantomData};
use kernel::{
    error::{from_result, VTABLE_DEFAULT_ERROR},
    prelude::*,
};

use super::{Device, Rtnl};
use crate::kernel_ext::bindings;

pub mod nfc;
pub use nfc::{FlowMatch, FlowRule, Ip4Match, Ip6Match, IpMatch, Masked, RuleAction};

/// Driver information for `ethtool -i` (`struct ethtool_drvinfo`).
///
/// The strings are fixed-size C arrays; the setters truncate what does not
/// fit and always leave a NUL terminator.
#[repr(transparent)]
pub struct DrvInfo(bindings::ethtool_drvinfo);

impl DrvInfo {
    /// Sets the driver name.
    pub fn set_driver(&mut self, name: &CStr) {
        copy_str(&mut self.0.driver, name.to_bytes());
    }

    /// Sets the driver version. Drivers in the kernel tree leave it unset:
    /// the core then reports the kernel version.
    pub fn set_version(&mut self, version: &CStr) {
        copy_str(&mut self.0.version, version.to_bytes());
    }

    /// Sets the firmware version.
    pub fn set_fw_version(&mut self, version: fmt::Arguments<'_>) {
        format_str(&mut self.0.fw_version, version);
    }

    /// Sets the expansion ROM version.
    pub fn set_erom_version(&mut self, version: fmt::Arguments<'_>) {
        format_str(&mut self.0.erom_version, version);
    }

    /// Sets the bus address, e.g. the PCI device name.
    pub fn set_bus_info(&mut self, bus_info: &CStr) {
        copy_str(&mut self.0.bus_info, bus_info.to_bytes());
    }
}

/// Copies `src` into the C string `dst`, truncated to leave room for the
/// terminating NUL.
fn copy_str(dst: &mut [u8], src: &[u8]) {
    let mut w = Truncating { buf: dst, len: 0 };
    w.push(src);
    w.terminate();
}

/// Formats `args` into the C string `dst`, truncated like [`copy_str`].
fn format_str(dst: &mut [u8], args: fmt::Arguments<'_>) {
    let mut w = Truncating { buf: dst, len: 0 };
    // `Truncating` never fails; an error could only come from a `Display`
    // implementation, and then the string is cut where it failed.
    let _ = fmt::write(&mut w, args);
    w.terminate();
}

/// A writer into a fixed C string buffer that drops what does not fit.
struct Truncating<'a> {
    buf: &'a mut [u8],
    len: usize,
}

impl Truncating<'_> {
    fn push(&mut self, bytes: &[u8]) {
        // Keep the last byte for the NUL.
        let room = self.buf.len().saturating_sub(1).saturating_sub(self.len);
        let n = bytes.len().min(room);
        self.buf[self.len..self.len + n].copy_from_slice(&bytes[..n]);
        self.len += n;
    }

    fn terminate(self) {
        if let Some(b) = self.buf.get_mut(self.len) {
            *b = 0;
        }
    }
}

impl fmt::Write for Truncating<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.push(s.as_bytes());
        Ok(())
    }
}

/// A link mode, as listed in `supported` and `advertising` link mode masks
/// (`enum ethtool_link_mode_bit_indices`, the modes drivers here report).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkMode {
    /// 25GBASE-CR, full duplex.
    Base25000CrFull,
    /// 50GBASE-CR2, full duplex.
    Base50000Cr2Full,
    /// 50GBASE-CR, full duplex.
    Base50000CrFull,
    /// 100GBASE-CR2, full duplex.
    Base100000Cr2Full,
    /// Fibre / direct-attach port.
    Fibre,
    /// Autonegotiation.
    Autoneg,
}

impl LinkMode {
    fn bit(self) -> u32 {
        match self {
            Self::Base25000CrFull => {
                bindings::ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_25000baseCR_Full_BIT
            }
            Self::Base50000Cr2Full => {
                bindings::ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_50000baseCR2_Full_BIT
            }
            Self::Base50000CrFull => {
                bindings::ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_50000baseCR_Full_BIT
            }
            Self::Base100000Cr2Full => {
                bindings::ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_100000baseCR2_Full_BIT
            }
            Self::Fibre => bindings::ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_FIBRE_BIT,
            Self::Autoneg => bindings::ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_Autoneg_BIT,
        }
    }
}

/// Sets `bit` in a link mode bitmap of `unsigned long`s.
fn set_mode(mask: &mut [c_ulong], bit: u32) {
    let bits = c_ulong::BITS;
    if let Some(word) = mask.get_mut((bit / bits) as usize) {
        *word |= 1 << (bit % bits);
    }
}

/// Link settings for `ethtool <dev>` (`struct ethtool_link_ksettings`).
///
/// The core passes them in zeroed, that is: no modes, speed 0, duplex
/// half, port TP, autonegotiation off. Drivers report what applies; a link
/// that is down reports [`LinkKsettings::set_unknown_speed`].
#[repr(transparent)]
pub struct LinkKsettings(bindings::ethtool_link_ksettings);

impl LinkKsettings {
    /// Sets the current speed in Mb/s and full duplex.
    pub fn set_speed_full_duplex(&mut self, mbps: u32) {
        self.0.base.speed = mbps;
        self.0.base.duplex = bindings::DUPLEX_FULL as u8;
    }

    /// Reports speed and duplex as unknown (link down).
    pub fn set_unknown_speed(&mut self) {
        self.0.base.speed = bindings::SPEED_UNKNOWN as u32;
        self.0.base.duplex = bindings::DUPLEX_UNKNOWN as u8;
    }

    /// Sets the port type to a direct-attach copper cable (`PORT_DA`).
    pub fn set_port_direct_attach(&mut self) {
        self.0.base.port = bindings::PORT_DA as u8;
    }

    /// Sets the number of lanes in use.
    pub fn set_lanes(&mut self, lanes: u32) {
        self.0.lanes = lanes;
    }

    /// Adds `mode` to the supported modes.
    pub fn add_supported(&mut self, mode: LinkMode) {
        set_mode(&mut self.0.link_modes.supported, mode.bit());
    }

    /// Adds `mode` to the advertised modes.
    pub fn add_advertising(&mut self, mode: LinkMode) {
        set_mode(&mut self.0.link_modes.advertising, mode.bit());
    }
}

/// Ring sizes for `ethtool -g` (`struct ethtool_ringparam`): the largest
/// and the current number of descriptors of each kind of ring.
#[repr(transparent)]
pub struct RingParam(bindings::ethtool_ringparam);

impl RingParam {
    /// Sets the RX completion ring's size and maximum.
    pub fn set_rx(&mut self, pending: u32, max: u32) {
        self.0.rx_pending = pending;
        self.0.rx_max_pending = max;
    }

    /// Sets the size and maximum of the "mini" RX ring (for devices with
    /// header split: the header buffer ring).
    pub fn set_rx_mini(&mut self, pending: u32, max: u32) {
        self.0.rx_mini_pending = pending;
        self.0.rx_mini_max_pending = max;
    }

    /// Sets the size and maximum of the "jumbo" RX ring (with header
    /// split: the payload buffer ring).
    pub fn set_rx_jumbo(&mut self, pending: u32, max: u32) {
        self.0.rx_jumbo_pending = pending;
        self.0.rx_jumbo_max_pending = max;
    }

    /// Sets the TX ring's size and maximum.
    pub fn set_tx(&mut self, pending: u32, max: u32) {
        self.0.tx_pending = pending;
        self.0.tx_max_pending = max;
    }

    /// The requested RX completion ring size (`ethtool -G rx`).
    pub fn rx(&self) -> u32 {
        self.0.rx_pending
    }

    /// The requested "mini" RX ring size (`ethtool -G rx-mini`).
    pub fn rx_mini(&self) -> u32 {
        self.0.rx_mini_pending
    }

    /// The requested "jumbo" RX ring size (`ethtool -G rx-jumbo`).
    pub fn rx_jumbo(&self) -> u32 {
        self.0.rx_jumbo_pending
    }

    /// The requested TX ring size (`ethtool -G tx`).
    pub fn tx(&self) -> u32 {
        self.0.tx_pending
    }
}

/// Whether received TCP frames are split into header and payload buffers
/// (`ETHTOOL_TCP_DATA_SPLIT_*`, `ethtool -G ... tcp-data-split`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TcpDataSplit {
    /// The driver decides (`auto`, the default).
    Auto,
    /// Never split (`off`).
    Off,
    /// Split (`on`).
    On,
}

/// The ring parameters beyond the sizes (`struct
/// kernel_ethtool_ringparam`): header split and its threshold. The core
/// fills in the configured values (`dev->cfg`) before it asks the driver;
/// a driver reports the limits it has, such as
/// [`KernelRingParam::set_hds_thresh_max`].
#[repr(transparent)]
pub struct KernelRingParam(bindings::kernel_ethtool_ringparam);

impl KernelRingParam {
    /// The header-split mode (requested in `set_ringparam`, configured in
    /// `get_ringparam`).
    pub fn tcp_data_split(&self) -> TcpDataSplit {
        // ETHTOOL_TCP_DATA_SPLIT_UNKNOWN, _DISABLED, _ENABLED in
        // include/uapi/linux/ethtool_netlink_generated.h.
        match self.0.tcp_data_split {
            1 => TcpDataSplit::Off,
            2 => TcpDataSplit::On,
            _ => TcpDataSplit::Auto,
        }
    }

    /// Reports the header-split mode in effect (for `get_ringparam`; the
    /// core passes in the configured one, `auto` by default, which user
    /// space sees as no mode at all).
    pub fn set_tcp_data_split(&mut self, mode: TcpDataSplit) {
        self.0.tcp_data_split = match mode {
            TcpDataSplit::Auto => 0,
            TcpDataSplit::Off => 1,
            TcpDataSplit::On => 2,
        };
    }

    /// The header-split threshold: frames up to this many bytes are not
    /// split (`hds-thresh`).
    pub fn hds_thresh(&self) -> u32 {
        self.0.hds_thresh
    }

    /// Reports the largest header-split threshold the device takes (the
    /// core refuses larger requests before the driver sees them).
    pub fn set_hds_thresh_max(&mut self, max: u32) {
        self.0.hds_thresh_max = max;
    }
}

/// Where a configuration request reports a failure to user space
/// (`struct netlink_ext_ack`), for the callbacks that have one.
///
/// # Invariants
///
/// `ptr` is NULL or a `struct netlink_ext_ack` valid for writes for `'a`
/// that nothing else accesses during that time.
pub struct ExtAck<'a> {
    ptr: *mut bindings::netlink_ext_ack,
    _p: PhantomData<&'a mut bindings::netlink_ext_ack>,
}

impl ExtAck<'_> {
    /// # Safety
    ///
    /// `ptr` is NULL or valid for writes and not accessed by anything else
    /// for the lifetime of the result.
    unsafe fn from_raw(ptr: *mut bindings::netlink_ext_ack) -> Self {
        // INVARIANT: Per the safety requirement.
        Self {
            ptr,
            _p: PhantomData,
        }
    }

    /// Sets the message user space gets with the error
    /// (`NL_SET_ERR_MSG()`); the driver returns the error itself. Requests
    /// made over the old ioctl interface carry no message, so a driver
    /// that wants the reason in the kernel log too logs it as well.
    pub fn set_message(&mut self, msg: &'static CStr) {
        if self.ptr.is_null() {
            return;
        }
        // SAFETY: By the type invariant `ptr` is valid for writes; `msg`
        // is NUL-terminated and `'static`, as the core needs it to stay
        // until it sends the reply.
        unsafe { (*self.ptr)._msg = msg.as_char_ptr() };
    }
}

/// Ring parameters beyond the sizes that a device lets user space set
/// (`ETHTOOL_RING_USE_*`, defined with `BIT()`); the core refuses the
/// others before the driver sees them.
pub mod ring_params {
    /// `tcp-data-split`.
    pub const TCP_DATA_SPLIT: u32 = 1 << 5;
    /// `hds-thresh`.
    pub const HDS_THRESH: u32 = 1 << 6;
}

/// Queue counts for `ethtool -l` (`struct ethtool_channels`).
#[repr(transparent)]
pub struct Channels(bindings::ethtool_channels);

impl Channels {
    /// Sets the number of combined (TX and RX) channels and its maximum.
    pub fn set_combined(&mut self, count: u32, max: u32) {
        self.0.combined_count = count;
        self.0.max_combined = max;
    }

    /// Sets the number of RX-only channels and its maximum.
    pub fn set_rx(&mut self, count: u32, max: u32) {
        self.0.rx_count = count;
        self.0.max_rx = max;
    }

    /// Sets the number of TX-only channels and its maximum.
    pub fn set_tx(&mut self, count: u32, max: u32) {
        self.0.tx_count = count;
        self.0.max_tx = max;
    }

    /// Sets the number of "other" channels (interrupts for anything but
    /// queues, such as link events) and its maximum.
    pub fn set_other(&mut self, count: u32, max: u32) {
        self.0.other_count = count;
        self.0.max_other = max;
    }

    /// The requested number of combined channels (`ethtool -L combined`).
    pub fn combined(&self) -> u32 {
        self.0.combined_count
    }

    /// The requested number of RX-only channels (`ethtool -L rx`).
    pub fn rx(&self) -> u32 {
        self.0.rx_count
    }

    /// The requested number of TX-only channels (`ethtool -L tx`).
    pub fn tx(&self) -> u32 {
        self.0.tx_count
    }

    /// The requested number of other channels (`ethtool -L other`).
    pub fn other(&self) -> u32 {
        self.0.other_count
    }
}

/// Interrupt moderation for `ethtool -c` / `-C` (`struct
/// ethtool_coalesce`), the parameters a driver opts into with
/// [`Operations::SUPPORTED_COALESCE`]; the core rejects requests for
/// others before the driver sees them.
#[repr(transparent)]
pub struct Coalesce(bindings::ethtool_coalesce);

impl Coalesce {
    /// `rx-usecs`: how long after a receive completion to interrupt.
    pub fn rx_usecs(&self) -> u32 {
        self.0.rx_coalesce_usecs
    }

    /// `tx-usecs`: how long after a transmit completion to interrupt.
    pub fn tx_usecs(&self) -> u32 {
        self.0.tx_coalesce_usecs
    }

    /// Sets `rx-usecs`.
    pub fn set_rx_usecs(&mut self, usecs: u32) {
        self.0.rx_coalesce_usecs = usecs;
    }

    /// Sets `tx-usecs`.
    pub fn set_tx_usecs(&mut self, usecs: u32) {
        self.0.tx_coalesce_usecs = usecs;
    }
}

/// Coalescing parameters a device supports (`ETHTOOL_COALESCE_*` in
/// `include/linux/ethtool.h`, defined with `BIT()`, which bindgen cannot
/// evaluate).
pub mod coalesce {
    /// `rx-usecs`.
    pub const RX_USECS: u32 = 1 << 0;
    /// `tx-usecs`.
    pub const TX_USECS: u32 = 1 << 4;
}

/// RSS hash functions (`ETH_RSS_HASH_*`).
pub mod rss_hash {
    /// No change requested (in [`super::RxfhParam`] for `set_rxfh`).
    pub const NO_CHANGE: u8 = 0;
    /// Toeplitz.
    pub const TOP: u8 = 1 << 0;
}

/// RSS configuration for `ethtool -x` / `-X` (`struct
/// ethtool_rxfh_param`): hash function, indirection table and key. On
/// `get_rxfh` the driver fills the table and key that the core asked for;
/// on `set_rxfh` absent parts are not to change.
#[repr(transparent)]
pub struct RxfhParam(bindings::ethtool_rxfh_param);

impl RxfhParam {
    /// The hash function (one of [`rss_hash`]).
    pub fn hfunc(&self) -> u8 {
        self.0.hfunc
    }

    /// Sets the hash function.
    pub fn set_hfunc(&mut self, hfunc: u8) {
        self.0.hfunc = hfunc;
    }

    /// The RSS context (0 for the default one).
    pub fn rss_context(&self) -> u32 {
        self.0.rss_context
    }

    /// The indirection table, if part of the request.
    pub fn indir(&self) -> Option<&[u32]> {
        // SAFETY: The core passes NULL or an array of `indir_size` entries
        // (the size the driver reported), valid for the call.
        (!self.0.indir.is_null()).then(|| unsafe {
            core::slice::from_raw_parts(self.0.indir, self.0.indir_size as usize)
        })
    }

    /// The indirection table to fill, if asked for.
    pub fn indir_mut(&mut self) -> Option<&mut [u32]> {
        // SAFETY: As for `indir`; the array is the driver's to write during
        // `get_rxfh`.
        (!self.0.indir.is_null()).then(|| unsafe {
            core::slice::from_raw_parts_mut(self.0.indir, self.0.indir_size as usize)
        })
    }

    /// The hash key, if part of the request.
    pub fn key(&self) -> Option<&[u8]> {
        // SAFETY: The core passes NULL or `key_size` bytes (the size the
        // driver reported), valid for the call.
        (!self.0.key.is_null())
            .then(|| unsafe { core::slice::from_raw_parts(self.0.key, self.0.key_size as usize) })
    }

    /// The hash key to fill, if asked for.
    pub fn key_mut(&mut self) -> Option<&mut [u8]> {
        // SAFETY: As for `key`, writable during `get_rxfh`.
        (!self.0.key.is_null()).then(|| unsafe {
            core::slice::from_raw_parts_mut(self.0.key, self.0.key_size as usize)
        })
    }
}

/// The `get_rxnfc`/`set_rxnfc` commands of flow rules (`ETHTOOL_*` in
/// `include/uapi/linux/ethtool.h`).
const ETHTOOL_GRXCLSRLCNT: u32 = 0x2e;
const ETHTOOL_GRXCLSRULE: u32 = 0x2f;
const ETHTOOL_GRXCLSRLALL: u32 = 0x30;
const ETHTOOL_SRXCLSRLDEL: u32 = 0x31;
const ETHTOOL_SRXCLSRLINS: u32 = 0x32;

/// Flow types of `ethtool -n/-N ... rx-flow-hash` and of flow rules (the
/// `*_FLOW` values of `include/uapi/linux/ethtool.h`, part of the user
/// ABI; bindgen does not carry them over).
pub mod flow_type {
    /// TCP over IPv4.
    pub const TCP_V4: u32 = 0x01;
    /// UDP over IPv4.
    pub const UDP_V4: u32 = 0x02;
    /// SCTP over IPv4.
    pub const SCTP_V4: u32 = 0x03;
    /// IPsec AH or ESP over IPv4.
    pub const AH_ESP_V4: u32 = 0x04;
    /// TCP over IPv6.
    pub const TCP_V6: u32 = 0x05;
    /// UDP over IPv6.
    pub const UDP_V6: u32 = 0x06;
    /// SCTP over IPv6.
    pub const SCTP_V6: u32 = 0x07;
    /// IPsec AH or ESP over IPv6.
    pub const AH_ESP_V6: u32 = 0x08;
    /// IPsec AH over IPv4.
    pub const AH_V4: u32 = 0x09;
    /// IPsec ESP over IPv4.
    pub const ESP_V4: u32 = 0x0a;
    /// IPsec AH over IPv6.
    pub const AH_V6: u32 = 0x0b;
    /// IPsec ESP over IPv6.
    pub const ESP_V6: u32 = 0x0c;
    /// Any IPv4 (flow rules).
    pub const IPV4_USER: u32 = 0x0d;
    /// Any IPv6 (flow rules).
    pub const IPV6_USER: u32 = 0x0e;
    /// Other IPv4 (hashing).
    pub const IPV4: u32 = 0x10;
    /// Other IPv6 (hashing).
    pub const IPV6: u32 = 0x11;
    /// Anything else, by Ethernet header.
    pub const ETHER: u32 = 0x12;
    /// The flag bits that may come with a flow type (`FLOW_EXT`,
    /// `FLOW_MAC_EXT`, `FLOW_RSS`); mask them off for the type itself.
    pub const FLAGS: u32 = 0x8000_0000 | 0x4000_0000 | 0x2000_0000;
}

/// The header fields that can feed the RSS hash (`RXH_*` in
/// `include/uapi/linux/ethtool.h`, user ABI).
pub mod rxh {
    /// Destination MAC address.
    pub const L2DA: u32 = 1 << 1;
    /// VLAN tag.
    pub const VLAN: u32 = 1 << 2;
    /// L3 protocol.
    pub const L3_PROTO: u32 = 1 << 3;
    /// Source IP address.
    pub const IP_SRC: u32 = 1 << 4;
    /// Destination IP address.
    pub const IP_DST: u32 = 1 << 5;
    /// L4 bytes 0 and 1 (the source port of TCP, UDP and SCTP).
    pub const L4_B_0_1: u32 = 1 << 6;
    /// L4 bytes 2 and 3 (the destination port).
    pub const L4_B_2_3: u32 = 1 << 7;
    /// GTP tunnel endpoint identifier.
    pub const GTP_TEID: u32 = 1 << 8;
    /// IPv6 flow label.
    pub const IP6_FL: u32 = 1 << 9;
    /// Not hashed: the flow type's frames are dropped.
    pub const DISCARD: u32 = 1 << 31;
}

/// The hash input of one flow type (`struct ethtool_rxfh_fields`, `ethtool
/// -n/-N DEV rx-flow-hash TYPE`): which [`rxh`] fields of frames of
/// [`flow_type`](Self::flow_type) feed the RSS hash.
#[repr(transparent)]
pub struct RxfhFields(bindings::ethtool_rxfh_fields);

impl RxfhFields {
    /// The flow type (one of [`flow_type`]); the core has removed the
    /// `FLOW_RSS` flag.
    pub fn flow_type(&self) -> u32 {
        self.0.flow_type
    }

    /// The RSS context: 0 unless the driver declares per-context fields.
    pub fn rss_context(&self) -> u32 {
        self.0.rss_context
    }

    /// The fields, a mask of [`rxh`] bits.
    pub fn fields(&self) -> u32 {
        self.0.data
    }

    /// Reports the fields (on `get_rxfh_fields`).
    pub fn set_fields(&mut self, fields: u32) {
        self.0.data = fields;
    }
}

/// An additional RSS context (`struct ethtool_rxfh_context`, `ethtool -X
/// DEV context new`), kept by the core: its indirection table, hash key and
/// function, which the core updates after the driver's callback succeeds.
#[repr(transparent)]
pub struct RxfhContext(bindings::ethtool_rxfh_context);

impl RxfhContext {
    /// The context's indirection table as the core has it: the old one in
    /// `modify_rxfh_context`; in `create_rxfh_context` the driver fills it
    /// when the request has none.
    pub fn indir_mut(&mut self) -> &mut [u32] {
        let priv_size = usize::from(self.0.priv_size).next_multiple_of(4);
        // SAFETY: The core allocates a context with `priv_size` bytes of
        // driver data, then the table of `indir_size` entries (at the
        // 4-byte aligned offset `ethtool_rxfh_context_indir()` computes),
        // then the key, all in `data`; the context is ours during the
        // callback.
        unsafe {
            core::slice::from_raw_parts_mut(
                self.0.data.as_mut_ptr().add(priv_size).cast::<u32>(),
                self.0.indir_size as usize,
            )
        }
    }

    /// Sets the hash function (one of [`rss_hash`]).
    pub fn set_hfunc(&mut self, hfunc: u8) {
        self.0.hfunc = hfunc;
    }
}

/// The flow rules a device holds (`ETHTOOL_GRXCLSRLCNT`).
#[derive(Clone, Copy, Debug, Default)]
pub struct RuleCount {
    /// Rules installed.
    pub rules: u32,
    /// Locations in the rule table.
    pub table_size: u32,
    /// Whether the driver chooses a location when asked for any
    /// ([`nfc::location::ANY`]); ethtool then asks so when the user gives
    /// none.
    pub special_locations: bool,
}

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
pub const RMON_HIST_MAX: usize = bindings::ETHTOOL_RMON_HIST_MAX as usize;

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
    stats: &'a mut bindings::ethtool_rmon_stats,
    ranges: &'a mut *const bindings::ethtool_rmon_hist_range,
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
    /// Any other set, by its number.
    Other(u32),
}

impl StringSet {
    fn from_raw(raw: u32) -> Self {
        if raw == bindings::ethtool_stringset_ETH_SS_STATS {
            Self::Stats
        } else {
            Self::Other(raw)
        }
    }
}

/// Length of one name in a string set, including its NUL
/// (`ETH_GSTRING_LEN`).
pub const GSTRING_LEN: usize = bindings::ETH_GSTRING_LEN as usize;

/// The names of a string set, as [`Operations::get_strings`] fills them:
/// one fixed-size, NUL-padded slot per name, as many as
/// [`Operations::get_sset_count`] said.
///
/// Names longer than [`GSTRING_LEN`]` - 1` bytes are cut; names beyond the
/// count are ignored.
pub struct Strings<'a> {
    buf: &'a mut [u8],
    next: usize,
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
/// [`Operations::get_ethtool_stats`] fills them: one per name of
/// [`StringSet::Stats`], in the same order.
pub struct StatsData<'a> {
    data: &'a mut [u64],
    next: usize,
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

/// The `ethtool_ops` callbacks of a network device whose private data is
/// `Self`.
///
/// Every method the implementation leaves out is left NULL in the C table,
/// and the ethtool core's default applies (for `get_drvinfo`: the parent's
/// driver name and bus address). The callbacks run under RTNL.
#[vtable]
pub trait Operations: super::Operations {
    /// Reports driver information (`get_drvinfo`, for `ethtool -i`). The
    /// core passes in a zeroed `info`.
    fn get_drvinfo(_dev: &Device<Self>, _info: &mut DrvInfo) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Reports the link settings (`get_link_ksettings`, for `ethtool
    /// <dev>`). The core passes in zeroed `settings`.
    fn get_link_ksettings(_dev: &Device<Self>, _settings: &mut LinkKsettings) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Reports ring sizes and the other ring parameters (`get_ringparam`,
    /// `ethtool -g`). `kernel_ring` comes with the configured header split
    /// and threshold filled in.
    fn get_ringparam(
        _dev: &Device<Self>,
        _ring: &mut RingParam,
        _kernel_ring: &mut KernelRingParam,
    ) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// The ring parameters beyond the sizes that the device lets user
    /// space set, a set of [`ring_params`] flags
    /// (`supported_ring_params`).
    const SUPPORTED_RING_PARAMS: u32 = 0;

    /// Changes ring parameters (`set_ringparam`, `ethtool -G`), under RTNL.
    /// The core has checked each size and the header-split threshold
    /// against the maxima [`Operations::get_ringparam`] reports, and passes
    /// the current value for those not requested. An invalid request must
    /// fail with nothing changed, its reason in `extack`.
    fn set_ringparam(
        _dev: &Device<Self>,
        _rtnl: &Rtnl<'_>,
        _ring: &RingParam,
        _kernel_ring: &KernelRingParam,
        _extack: &mut ExtAck<'_>,
    ) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Reports queue counts (`get_channels`, `ethtool -l`).
    fn get_channels(_dev: &Device<Self>, _channels: &mut Channels) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Changes queue counts (`set_channels`, `ethtool -L`). The core has
    /// checked the counts against the maxima [`Operations::get_channels`]
    /// reports, that some channel receives and some transmits, and that
    /// no RSS indirection table the user set, nor flow rule, refers to an
    /// RX queue that would go away. An invalid request must fail with
    /// nothing changed.
    fn set_channels(_dev: &Device<Self>, _rtnl: &Rtnl<'_>, _channels: &Channels) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// The coalescing parameters the device supports, a set of
    /// [`coalesce`] flags (`supported_coalesce_params`).
    const SUPPORTED_COALESCE: u32 = 0;

    /// Reports interrupt moderation (`get_coalesce`, `ethtool -c`).
    fn get_coalesce(_dev: &Device<Self>, _coalesce: &mut Coalesce) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Changes interrupt moderation (`set_coalesce`, `ethtool -C`). An
    /// invalid request must fail with nothing changed.
    fn set_coalesce(_dev: &Device<Self>, _coalesce: &Coalesce) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Returns the number of RX rings RSS can spread over
    /// (`get_rx_ring_count`, what `ethtool -X ... weight` and `equal`
    /// distribute over).
    fn get_rx_ring_count(_dev: &Device<Self>) -> u32 {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Returns the number of RSS indirection table entries
    /// (`get_rxfh_indir_size`).
    fn get_rxfh_indir_size(_dev: &Device<Self>) -> u32 {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Returns the RSS key size in bytes (`get_rxfh_key_size`).
    fn get_rxfh_key_size(_dev: &Device<Self>) -> u32 {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Reports the RSS configuration (`get_rxfh`, `ethtool -x`).
    fn get_rxfh(_dev: &Device<Self>, _param: &mut RxfhParam) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Changes the RSS configuration (`set_rxfh`, `ethtool -X`). The core
    /// has checked the table's queue numbers against the queue count.
    fn set_rxfh(_dev: &Device<Self>, _param: &RxfhParam) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Reports how many flow rules are installed and where they can go
    /// (`get_rxnfc` `ETHTOOL_GRXCLSRLCNT`, the start of `ethtool -n`).
    /// With it, the core offers the rule callbacks below.
    fn get_rule_count(_dev: &Device<Self>) -> Result<RuleCount> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Reports the rule at `location` (`ETHTOOL_GRXCLSRULE`); `ENOENT` if
    /// there is none.
    fn get_rule(_dev: &Device<Self>, _location: u32) -> Result<FlowRule> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Writes the locations of the installed rules into `locations` and
    /// returns how many (`ETHTOOL_GRXCLSRLALL`); `EMSGSIZE` if they do not
    /// fit.
    fn get_rule_locations(_dev: &Device<Self>, _locations: &mut [u32]) -> Result<u32> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Installs `rule` and returns its location (`set_rxnfc`
    /// `ETHTOOL_SRXCLSRLINS`, `ethtool -N DEV flow-type ...`). The rule's
    /// location may be one of [`nfc::location`]'s special values. Rules
    /// the abstraction cannot decode (VLAN, user data or MAC extensions, a
    /// virtual function's queue, wake-on-LAN) are refused before with
    /// `EOPNOTSUPP`. Called with RTNL held.
    fn insert_rule(_dev: &Device<Self>, _rule: &FlowRule) -> Result<u32> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Removes the rule at `location` (`ETHTOOL_SRXCLSRLDEL`, `ethtool -N
    /// DEV delete N`); `ENOENT` if there is none. Called with RTNL held.
    fn delete_rule(_dev: &Device<Self>, _location: u32) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Reports the hash input of a flow type (`get_rxfh_fields`, `ethtool
    /// -n DEV rx-flow-hash TYPE`, and for each flow type in netlink's RSS
    /// reply, which leaves out the types that fail).
    fn get_rxfh_fields(_dev: &Device<Self>, _fields: &mut RxfhFields) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Changes the hash input of a flow type (`set_rxfh_fields`, `ethtool
    /// -N DEV rx-flow-hash TYPE FIELDS`). The core has checked that an
    /// IPv6 flow label is only asked of IPv6 flow types, and that the
    /// request does not break symmetric hashing if that is on.
    fn set_rxfh_fields(
        _dev: &Device<Self>,
        _fields: &RxfhFields,
        _extack: &mut ExtAck<'_>,
    ) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// How many RSS contexts the device has, the default one included
    /// (`rxfh_max_num_contexts`); with [`Operations::create_rxfh_context`]
    /// the others can be created. 0: no limit (never 1).
    const RXFH_MAX_CONTEXTS: u32 = 0;

    /// Creates RSS context `context` (`create_rxfh_context`, `ethtool -X
    /// DEV context new ...`) with what `param` asks for; where it asks for
    /// no table, the driver writes the one it uses into `ctx`. Requires
    /// [`Operations::modify_rxfh_context`] and
    /// [`Operations::remove_rxfh_context`] too.
    fn create_rxfh_context(
        _dev: &Device<Self>,
        _context: u32,
        _ctx: &mut RxfhContext,
        _param: &RxfhParam,
        _extack: &mut ExtAck<'_>,
    ) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Changes RSS context `context` (`modify_rxfh_context`): what `param`
    /// holds; `ctx` still has the old configuration. Anything asked that
    /// the device cannot do fails the whole request.
    fn modify_rxfh_context(
        _dev: &Device<Self>,
        _context: u32,
        _ctx: &mut RxfhContext,
        _param: &RxfhParam,
        _extack: &mut ExtAck<'_>,
    ) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Removes RSS context `context` (`remove_rxfh_context`). The core has
    /// checked that no flow rule uses it.
    fn remove_rxfh_context(_dev: &Device<Self>, _context: u32, _extack: &mut ExtAck<'_>) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Reports the IEEE 802.3 MAC counters (`get_eth_mac_stats`).
    fn get_eth_mac_stats(_dev: &Device<Self>, _stats: &mut EthMacStats) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Reports the IEEE 802.3 MAC Control counters (`get_eth_ctrl_stats`).
    fn get_eth_ctrl_stats(_dev: &Device<Self>, _stats: &mut EthCtrlStats) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Reports the RMON counters and size histograms (`get_rmon_stats`).
    fn get_rmon_stats(_dev: &Device<Self>, _stats: &mut RmonStats<'_>) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Returns the number of names in string set `set`
    /// (`get_sset_count`); `EOPNOTSUPP` for sets the driver does not have.
    /// While RTNL is held the count must not change: the core sizes the
    /// buffers of [`get_strings`](Operations::get_strings) and
    /// [`get_ethtool_stats`](Operations::get_ethtool_stats) with it.
    fn get_sset_count(_dev: &Device<Self>, _set: StringSet) -> Result<u32> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Lists the names of string set `set` (`get_strings`).
    fn get_strings(_dev: &Device<Self>, _set: StringSet, _strings: &mut Strings<'_>) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Reports the values of the driver's statistics (`get_ethtool_stats`,
    /// `ethtool -S`), in the order of their names.
    fn get_ethtool_stats(_dev: &Device<Self>, _data: &mut StatsData<'_>) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
}

/// The C operation table of `T` and the callbacks in it.
struct OpsTable<T>(PhantomData<T>);

impl<T: Operations> OpsTable<T> {
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
        // SAFETY: The ethtool core holds RTNL during the call.
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
        // SAFETY: The ethtool core holds RTNL during the call.
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
    /// `ETHTOOL_GRXCLSRLALL`, both valid and ours for the call.
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
                ETHTOOL_GRXCLSRLCNT => {
                    let count = T::get_rule_count(dev)?;
                    info.data = u64::from(count.table_size);
                    if count.special_locations {
                        info.data |= u64::from(nfc::location::SPECIAL);
                    }
                    info.__bindgen_anon_1.rule_cnt = count.rules;
                }
                ETHTOOL_GRXCLSRULE => {
                    let rule = T::get_rule(dev, info.fs.location)?;
                    // Nothing of the request's spec but its location is
                    // meant to come back.
                    info.fs = bindings::ethtool_rx_flow_spec::default();
                    if let Some(context) = rule.encode(&mut info.fs) {
                        info.__bindgen_anon_1.rss_context = context;
                    }
                }
                ETHTOOL_GRXCLSRLALL => {
                    // SAFETY: Both members of the union are a `u32`; the
                    // core put the array's size in it.
                    let cap = unsafe { info.__bindgen_anon_1.rule_cnt } as usize;
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
                ETHTOOL_SRXCLSRLINS => {
                    // SAFETY: As in `get_rxnfc`, a `u32` either way.
                    let context = unsafe { info.__bindgen_anon_1.rss_context };
                    let rule = FlowRule::decode(&info.fs, context)?;
                    info.fs.location = T::insert_rule(dev, &rule)?;
                }
                ETHTOOL_SRXCLSRLDEL => T::delete_rule(dev, info.fs.location)?,
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
        let len = count as usize * GSTRING_LEN;
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
        let n = unsafe { (*stats).n_stats } as usize;
        // SAFETY: `data` holds `n` values for us to write during the call.
        let data = unsafe { core::slice::from_raw_parts_mut(data, n) };
        T::get_ethtool_stats(dev, &mut StatsData { data, next: 0 });
    }

    const VTABLE: bindings::ethtool_ops = bindings::ethtool_ops {
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
        ..pin_init::zeroed()
    };
}

/// Returns the ethtool operation table of `T`.
pub(super) const fn ops_table<T: Operations>() -> &'static bindings::ethtool_ops {
    &OpsTable::<T>::VTABLE
}
