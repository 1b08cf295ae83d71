// SPDX-License-Identifier: GPL-2.0

//! Device features (`netdev_features_t`): the offloads a driver
//! advertises and the stack asks for.

use kernel::num::casts::u32_as_u64;

use crate::kernel_ext::bindings;

/// A set of device features (`netdev_features_t`): offloads a driver
/// advertises.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Features(pub(super) u64);

impl Features {
    const fn bit(bit: u32) -> Self {
        Self(1 << bit)
    }

    /// Scatter-gather: packets may come in page fragments.
    pub const SG: Self = Self::bit(bindings::NETIF_F_SG_BIT);
    /// The device inserts any L4 checksum (`CHECKSUM_PARTIAL`).
    pub const HW_CSUM: Self = Self::bit(bindings::NETIF_F_HW_CSUM_BIT);
    /// TCP segmentation over IPv4.
    pub const TSO: Self = Self::bit(bindings::NETIF_F_TSO_BIT);
    /// TCP segmentation over IPv6.
    pub const TSO6: Self = Self::bit(bindings::NETIF_F_TSO6_BIT);
    /// The device verifies received checksums.
    pub const RXCSUM: Self = Self::bit(bindings::NETIF_F_RXCSUM_BIT);
    /// The device hashes received flows.
    pub const RXHASH: Self = Self::bit(bindings::NETIF_F_RXHASH_BIT);
    /// The device steers flows by rules (`ethtool -N`, "ntuple filters").
    pub const NTUPLE: Self = Self::bit(bindings::NETIF_F_NTUPLE_BIT);
    /// TCP segmentation of packets with ECN's CWR flag set.
    pub const TSO_ECN: Self = Self::bit(bindings::NETIF_F_TSO_ECN_BIT);
    /// TCP segmentation over IPv4 that may repeat or renumber IP IDs.
    pub const TSO_MANGLEID: Self = Self::bit(bindings::NETIF_F_TSO_MANGLEID_BIT);
    /// UDP segmentation by payload (`SKB_GSO_UDP_L4`).
    pub const GSO_UDP_L4: Self = Self::bit(bindings::NETIF_F_GSO_UDP_L4_BIT);
    /// Segmentation of GRE tunnels.
    pub const GSO_GRE: Self = Self::bit(bindings::NETIF_F_GSO_GRE_BIT);
    /// Segmentation of GRE tunnels with a GRE checksum.
    pub const GSO_GRE_CSUM: Self = Self::bit(bindings::NETIF_F_GSO_GRE_CSUM_BIT);
    /// Segmentation of IP tunnels over IPv4 (IPIP, SIT).
    pub const GSO_IPXIP4: Self = Self::bit(bindings::NETIF_F_GSO_IPXIP4_BIT);
    /// Segmentation of IP tunnels over IPv6.
    pub const GSO_IPXIP6: Self = Self::bit(bindings::NETIF_F_GSO_IPXIP6_BIT);
    /// Segmentation of UDP tunnels (VXLAN, GENEVE).
    pub const GSO_UDP_TUNNEL: Self = Self::bit(bindings::NETIF_F_GSO_UDP_TUNNEL_BIT);
    /// Segmentation of UDP tunnels with an outer UDP checksum.
    pub const GSO_UDP_TUNNEL_CSUM: Self = Self::bit(bindings::NETIF_F_GSO_UDP_TUNNEL_CSUM_BIT);
    /// Segmentation in which the stack prepares the outer headers of
    /// every segment and the device segments the innermost L4 only
    /// (`NETIF_F_GSO_PARTIAL`), see
    /// [`Builder::set_gso_partial_features`](super::Builder::set_gso_partial_features).
    pub const GSO_PARTIAL: Self = Self::bit(bindings::NETIF_F_GSO_PARTIAL_BIT);
    /// Every checksum offload (`NETIF_F_CSUM_MASK`).
    pub const CSUM_MASK: Self = Self(
        Self::bit(bindings::NETIF_F_IP_CSUM_BIT).0
            | Self::bit(bindings::NETIF_F_IPV6_CSUM_BIT).0
            | Self::bit(bindings::NETIF_F_HW_CSUM_BIT).0,
    );
    /// Every segmentation offload (`NETIF_F_GSO_MASK`).
    pub const GSO_MASK: Self = Self(
        (u64::MAX >> (63 - bindings::NETIF_F_GSO_LAST)) & !((1 << bindings::NETIF_F_GSO_SHIFT) - 1),
    );

    /// Both sets.
    pub const fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// Whether all of `other` is in the set.
    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }

    /// The segmentation features a packet of GSO type `gso_type` (its
    /// `SKB_GSO_*` bits) needs: the same bits, shifted to
    /// `NETIF_F_GSO_SHIFT`.
    pub(crate) const fn from_gso_type(gso_type: u32) -> Self {
        Self((u32_as_u64(gso_type) << bindings::NETIF_F_GSO_SHIFT) & Self::GSO_MASK.0)
    }

    /// Whether the sets share a feature.
    pub const fn intersects(self, other: Self) -> bool {
        self.0 & other.0 != 0
    }

    /// The set without the features of `other`.
    pub const fn without(self, other: Self) -> Self {
        Self(self.0 & !other.0)
    }
}

impl core::ops::BitOr for Features {
    type Output = Self;

    fn bitor(self, rhs: Self) -> Self {
        self.union(rhs)
    }
}
