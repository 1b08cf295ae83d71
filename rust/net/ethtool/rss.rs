// SPDX-License-Identifier: GPL-2.0

//! Receive side scaling: the hash function, indirection table and key
//! (`ethtool -x/-X`), additional RSS contexts, and the hash input of each
//! flow type (`ethtool -n/-N ... rx-flow-hash`).

use kernel::num::casts::FromSafeCast;

use crate::kernel_ext::bindings;

/// RSS hash functions (`ETH_RSS_HASH_*`).
pub mod rss_hash {
    use crate::kernel_ext::bindings;

    /// No change requested (in [`super::RxfhParam`] for `set_rxfh`).
    pub const NO_CHANGE: u8 = bindings::ETH_RSS_HASH_NO_CHANGE;
    /// Toeplitz.
    pub const TOP: u8 = bindings::ETH_RSS_HASH_TOP;
}

/// RSS configuration for `ethtool -x` / `-X` (`struct
/// ethtool_rxfh_param`): hash function, indirection table and key. On
/// `get_rxfh` the driver fills the table and key that the core asked for;
/// on `set_rxfh` absent parts are not to change.
#[repr(transparent)]
pub struct RxfhParam(pub(super) bindings::ethtool_rxfh_param);

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
            core::slice::from_raw_parts(self.0.indir, usize::from_safe_cast(self.0.indir_size))
        })
    }

    /// The indirection table to fill, if asked for.
    pub fn indir_mut(&mut self) -> Option<&mut [u32]> {
        // SAFETY: As for `indir`; the array is the driver's to write during
        // `get_rxfh`.
        (!self.0.indir.is_null()).then(|| unsafe {
            core::slice::from_raw_parts_mut(self.0.indir, usize::from_safe_cast(self.0.indir_size))
        })
    }

    /// The hash key, if part of the request.
    pub fn key(&self) -> Option<&[u8]> {
        // SAFETY: The core passes NULL or `key_size` bytes (the size the
        // driver reported), valid for the call.
        (!self.0.key.is_null()).then(|| unsafe {
            core::slice::from_raw_parts(self.0.key, usize::from_safe_cast(self.0.key_size))
        })
    }

    /// The hash key to fill, if asked for.
    pub fn key_mut(&mut self) -> Option<&mut [u8]> {
        // SAFETY: As for `key`, writable during `get_rxfh`.
        (!self.0.key.is_null()).then(|| unsafe {
            core::slice::from_raw_parts_mut(self.0.key, usize::from_safe_cast(self.0.key_size))
        })
    }
}

/// Flow types of `ethtool -n/-N ... rx-flow-hash` and of flow rules (the
/// `*_FLOW` values of `include/uapi/linux/ethtool.h`).
pub mod flow_type {
    use crate::kernel_ext::bindings;

    /// TCP over IPv4.
    pub const TCP_V4: u32 = bindings::TCP_V4_FLOW;
    /// UDP over IPv4.
    pub const UDP_V4: u32 = bindings::UDP_V4_FLOW;
    /// SCTP over IPv4.
    pub const SCTP_V4: u32 = bindings::SCTP_V4_FLOW;
    /// IPsec AH or ESP over IPv4.
    pub const AH_ESP_V4: u32 = bindings::AH_ESP_V4_FLOW;
    /// TCP over IPv6.
    pub const TCP_V6: u32 = bindings::TCP_V6_FLOW;
    /// UDP over IPv6.
    pub const UDP_V6: u32 = bindings::UDP_V6_FLOW;
    /// SCTP over IPv6.
    pub const SCTP_V6: u32 = bindings::SCTP_V6_FLOW;
    /// IPsec AH or ESP over IPv6.
    pub const AH_ESP_V6: u32 = bindings::AH_ESP_V6_FLOW;
    /// IPsec AH over IPv4.
    pub const AH_V4: u32 = bindings::AH_V4_FLOW;
    /// IPsec ESP over IPv4.
    pub const ESP_V4: u32 = bindings::ESP_V4_FLOW;
    /// IPsec AH over IPv6.
    pub const AH_V6: u32 = bindings::AH_V6_FLOW;
    /// IPsec ESP over IPv6.
    pub const ESP_V6: u32 = bindings::ESP_V6_FLOW;
    /// Any IPv4 (flow rules).
    pub const IPV4_USER: u32 = bindings::IPV4_USER_FLOW;
    /// Any IPv6 (flow rules).
    pub const IPV6_USER: u32 = bindings::IPV6_USER_FLOW;
    /// Other IPv4 (hashing).
    pub const IPV4: u32 = bindings::IPV4_FLOW;
    /// Other IPv6 (hashing).
    pub const IPV6: u32 = bindings::IPV6_FLOW;
    /// Anything else, by Ethernet header.
    pub const ETHER: u32 = bindings::ETHER_FLOW;
    /// The flag bits that may come with a flow type (`FLOW_EXT`,
    /// `FLOW_MAC_EXT`, `FLOW_RSS`); mask them off for the type itself.
    pub const FLAGS: u32 = bindings::FLOW_EXT | bindings::FLOW_MAC_EXT | bindings::FLOW_RSS;
}

/// The header fields that can feed the RSS hash (`RXH_*` in
/// `include/uapi/linux/ethtool.h`).
pub mod rxh {
    use crate::kernel_ext::bindings;

    /// Destination MAC address.
    pub const L2DA: u32 = bindings::RXH_L2DA;
    /// Source IP address.
    pub const IP_SRC: u32 = bindings::RXH_IP_SRC;
    /// Destination IP address.
    pub const IP_DST: u32 = bindings::RXH_IP_DST;
    /// L4 bytes 0 and 1 (the source port of TCP, UDP and SCTP).
    pub const L4_B_0_1: u32 = bindings::RXH_L4_B_0_1;
    /// L4 bytes 2 and 3 (the destination port).
    pub const L4_B_2_3: u32 = bindings::RXH_L4_B_2_3;
    /// IPv6 flow label.
    pub const IP6_FL: u32 = bindings::RXH_IP6_FL;
    /// Not hashed: the flow type's frames are dropped.
    pub const DISCARD: u32 = bindings::RXH_DISCARD;
    /// VLAN tag. Only the KUnit suites name it, to see it refused, so it
    /// is unused in a kernel without KUnit.
    #[cfg_attr(not(CONFIG_KUNIT), allow(dead_code))]
    pub const VLAN: u32 = bindings::RXH_VLAN;
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
                usize::from_safe_cast(self.0.indir_size),
            )
        }
    }

    /// Sets the hash function (one of [`rss_hash`]).
    pub fn set_hfunc(&mut self, hfunc: u8) {
        self.0.hfunc = hfunc;
    }
}
