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
//! ```
//! use kernel::prelude::*;
//! use kernel_ext::net::{
//!     self,
//!     ethtool, //
//! };
//! # use kernel_ext::net::skbuff::SkBuff;
//!
//! struct Port {
//!     fw_major: u32,
//!     fw_minor: u32,
//! }
//! # #[vtable]
//! # impl net::Operations for Port {
//! #     fn start_xmit(_dev: &net::Device<Self>, skb: SkBuff, _more: bool) -> net::TxResult {
//! #         drop(skb);
//! #         net::TxResult::Ok
//! #     }
//! # }
//!
//! #[vtable]
//! impl ethtool::Operations for Port {
//!     fn get_drvinfo(dev: &net::Device<Self>, info: &mut ethtool::DrvInfo) {
//!         info.set_driver(c"my_driver");
//!         info.set_fw_version(format_args!("{}.{}", dev.data().fw_major, dev.data().fw_minor));
//!     }
//! }
//! ```

use core::fmt;
use kernel::{
    error::VTABLE_DEFAULT_ERROR,
    prelude::*, //
};

use super::{
    Device,
    Rtnl, //
};
use crate::kernel_ext::{
    bindings,
    str::{
        copy_str,
        format_str, //
    }, //
};

pub use super::netlink::ExtAck;

mod coalescing;
mod link;
mod module;
pub mod nfc;
mod ops;
mod ops_phy;
mod ops_ts;
mod phy;
mod regs;
mod rings;
mod rss;
mod selftest;
mod stats;
mod timestamping;

pub use coalescing::{
    coalesce,
    Coalesce, //
};
pub use link::{
    LinkKsettings,
    LinkMode, //
};
pub use module::ModuleEeprom;
pub use nfc::{
    FlowMatch,
    FlowRule,
    IpMatch,
    Masked,
    RuleAction, //
};
pub use phy::{
    fec,
    EthPhyStats,
    FecParam,
    FecStats,
    LinkExtStats,
    PauseParam,
    PauseStats, //
};
pub use regs::RegDump;
pub use rings::{
    ring_params,
    Channels,
    KernelRingParam,
    RingParam,
    TcpDataSplit, //
};
pub use rss::{
    flow_type,
    rss_hash,
    rxh,
    RxfhContext,
    RxfhFields,
    RxfhParam, //
};
pub use selftest::SelfTest;
pub use stats::{
    EthCtrlStats,
    EthMacStats,
    RmonRanges,
    RmonStats,
    StatsData,
    StringSet,
    Strings,
    GSTRING_LEN, //
};
pub use timestamping::{
    so_timestamping,
    TsInfo,
    TsStats, //
};

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

    /// Sets the firmware version.
    pub fn set_fw_version(&mut self, version: fmt::Arguments<'_>) {
        format_str(&mut self.0.fw_version, version);
    }

    /// Sets the bus address, e.g. the PCI device name.
    pub fn set_bus_info(&mut self, bus_info: &CStr) {
        copy_str(&mut self.0.bus_info, bus_info.to_bytes());
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

    /// Whether [`LinkKsettings::set_lanes`] is meaningful: without it the
    /// core reports no lane count (`cap_link_lanes_supported`).
    const CAP_LINK_LANES: bool = false;

    /// Returns the size in bytes of the register dump (`get_regs_len`,
    /// `ethtool -d`).
    fn get_regs_len(_dev: &Device<Self>) -> u32 {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Writes the register dump (`get_regs`), at most
    /// [`get_regs_len`](Operations::get_regs_len) bytes.
    fn get_regs(_dev: &Device<Self>, _dump: &mut RegDump<'_>) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Reports the pause frame settings (`get_pauseparam`, `ethtool -a`).
    /// The core passes in zeroed `pause`.
    fn get_pauseparam(_dev: &Device<Self>, _pause: &mut PauseParam) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Changes the pause frame settings (`set_pauseparam`, `ethtool -A`).
    /// An invalid request must fail with nothing changed.
    fn set_pauseparam(_dev: &Device<Self>, _pause: &PauseParam) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Reports the pause frame counters (`get_pause_stats`).
    fn get_pause_stats(_dev: &Device<Self>, _stats: &mut PauseStats) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Reports the FEC settings (`get_fecparam`, `ethtool --show-fec`).
    fn get_fecparam(_dev: &Device<Self>, _fec: &mut FecParam) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Reports the FEC counters (`get_fec_stats`).
    fn get_fec_stats(_dev: &Device<Self>, _stats: &mut FecStats) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Reports the IEEE 802.3 PHY counters (`get_eth_phy_stats`).
    fn get_eth_phy_stats(_dev: &Device<Self>, _stats: &mut EthPhyStats) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Reports the link's counters (`get_link_ext_stats`).
    fn get_link_ext_stats(_dev: &Device<Self>, _stats: &mut LinkExtStats) {
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

    /// Reports the device's time stamping capabilities and hardware clock
    /// (`get_ts_info`, `ethtool -T`).
    fn get_ts_info(_dev: &Device<Self>, _info: &mut TsInfo) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Reports the transmit time stamping counters (`get_ts_stats`,
    /// `ethtool -I -T`).
    fn get_ts_stats(_dev: &Device<Self>, _stats: &mut TsStats) {
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

    /// Reads part of the plug-in module's EEPROM
    /// (`get_module_eeprom_by_page`, `ethtool -m`) into `eeprom`'s data;
    /// returns the number of bytes read. May sleep; called under RTNL.
    fn get_module_eeprom_by_page(
        _dev: &Device<Self>,
        _eeprom: &mut ModuleEeprom<'_>,
        _extack: &mut ExtAck<'_>,
    ) -> Result<u32> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Runs the self-tests (`self_test`, `ethtool -t`), under RTNL: the
    /// online ones, and the offline ones too if
    /// [`SelfTest::offline`]; one result per name of
    /// [`StringSet::Test`], which the driver counts and names.
    fn self_test(_dev: &Device<Self>, _rtnl: &Rtnl<'_>, _test: &mut SelfTest<'_>) {
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

/// Returns the ethtool operation table of `T`.
pub(super) const fn ops_table<T: Operations>() -> &'static bindings::ethtool_ops {
    &ops::OpsTable::<T>::VTABLE
}
