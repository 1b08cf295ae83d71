// SPDX-License-Identifier: GPL-2.0

//! The flow classes of the RX classifier: the parser's view of a frame
//! (UDP, TCP or other IP, each over IPv6 and IPv4, and everything else),
//! each with its RSS rule in the action TCAM and its own hash input.
//!
//! `core` only, like `hw/`: the host crate `fbnic-logic` compiles this file
//! too and runs its unit tests. The mapping from ethtool's flow types and
//! hash fields is [`crate::rpc`]'s.

#![forbid(unsafe_code)]

use crate::hw::csr::rpc_ram;

/// The flow classes of the RSS rules, in their action TCAM order. A more
/// specific class comes first, as the lowest matching entry wins.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum FlowClass {
    Udp6,
    Udp4,
    Tcp6,
    Tcp4,
    Ip6,
    Ip4,
    /// Everything else, hashed by Ethernet header.
    Other,
}

// The hardware contract lists one RSS rule per class.
const _: () = assert!(rpc_ram::RSS_RULES.len() == FlowClass::ALL.len());

impl FlowClass {
    /// Every class, in action TCAM order.
    pub(crate) const ALL: [Self; 7] = [
        Self::Udp6,
        Self::Udp4,
        Self::Tcp6,
        Self::Tcp4,
        Self::Ip6,
        Self::Ip4,
        Self::Other,
    ];

    /// The class's RSS rule of the hardware contract, which lists the
    /// rules in the order of [`FlowClass::ALL`].
    pub(crate) const fn rss_rule(self) -> rpc_ram::RssRule {
        rpc_ram::RSS_RULES[self as usize]
    }

    /// The parser's flags a frame of the class has (word 1 of the action
    /// TCAM key). The RSS rules care about these alone and rely on their
    /// order; see [`FlowClass::tcam_care`] for the flags that tell the
    /// class apart from all others.
    pub(crate) const fn tcam_flags(self) -> u32 {
        self.rss_rule().flags
    }

    /// The flags of word 1 that a flow rule of the class matches on: set
    /// or clear in every frame of the class, and telling it apart from the
    /// classes it does not include (a plain IP class includes TCP and UDP
    /// of its IP version).
    pub(crate) fn tcam_care(self) -> u32 {
        use rpc_ram::{
            TCAM_ACT1_IP_IS_V6 as V6, TCAM_ACT1_IP_VALID as IP, TCAM_ACT1_L4_IS_UDP as UDP,
            TCAM_ACT1_L4_VALID as L4,
        };
        match self {
            Self::Udp6 | Self::Udp4 | Self::Tcp6 | Self::Tcp4 => L4 | UDP | IP | V6,
            Self::Ip6 | Self::Ip4 => IP | V6,
            Self::Other => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether a frame with the parser's `flags` matches an entry that
    /// wants `value` in the bits of `care`.
    fn hit(flags: u32, value: u32, care: u32) -> bool {
        (flags ^ value) & care == 0
    }

    #[test]
    fn each_class_hits_its_own_rss_rule_first() {
        // An RSS rule wants its class's flags set and does not care about
        // the others: a frame takes the first rule whose flags it has.
        for class in FlowClass::ALL {
            let flags = class.tcam_flags();
            let first = FlowClass::ALL
                .into_iter()
                .find(|r| hit(flags, r.tcam_flags(), r.tcam_flags()));
            assert_eq!(first, Some(class));
        }
    }

    #[test]
    fn flow_rules_match_their_class() {
        // A flow rule wants its class's flags in the bits of tcam_care: a
        // TCP or UDP rule takes frames of its class alone, a plain IP rule
        // every frame of its IP version, the other class everything.
        use FlowClass::*;
        let covers = |rule, frame| match rule {
            Other => true,
            Ip4 => matches!(frame, Ip4 | Tcp4 | Udp4),
            Ip6 => matches!(frame, Ip6 | Tcp6 | Udp6),
            _ => rule == frame,
        };
        for rule in FlowClass::ALL {
            for frame in FlowClass::ALL {
                let h = hit(frame.tcam_flags(), rule.tcam_flags(), rule.tcam_care());
                assert_eq!(h, covers(rule, frame), "{rule:?} {frame:?}");
            }
        }
    }

    #[test]
    fn order_is_the_enum_order() {
        // Rss keeps per-class data indexed by `class as usize`.
        for (i, class) in FlowClass::ALL.into_iter().enumerate() {
            assert_eq!(class as usize, i);
        }
    }
}
