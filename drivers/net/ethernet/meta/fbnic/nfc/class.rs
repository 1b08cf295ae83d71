// SPDX-License-Identifier: GPL-2.0

//! The flow class of a flow rule: which of the parser's classes its frames
//! are in, from its IP version and the L4 protocol it names, or why the
//! device cannot match it.
//!
//! `core` only, like `hw/`: the host crate `fbnic-logic` compiles this file
//! too and runs its unit tests. The mapping from ethtool's flow types is
//! [`crate::nfc`]'s.

#![forbid(unsafe_code)]

use crate::rpc::FlowClass;

const IPPROTO_TCP: u8 = 6;
const IPPROTO_UDP: u8 = 17;

/// The L4 protocol a rule names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RuleL4 {
    /// TCP (`tcp4`, `tcp6`).
    Tcp,
    /// UDP (`udp4`, `udp6`).
    Udp,
    /// Any IP (`ip4`, `ip6`), with an IP protocol match: the bits of
    /// `mask` of `value`.
    Ip { value: u8, mask: u8 },
    /// One the parser does not know (SCTP, AH, ESP).
    Unparsed,
}

/// The class of a rule over IPv6 (`v6`) or IPv4 for `l4`, or why it is
/// refused.
pub(crate) fn rule_class(v6: bool, l4: RuleL4) -> Result<FlowClass, &'static str> {
    // The L4 protocol the rule names, if any: TCP or UDP only, by full
    // mask.
    let udp = match l4 {
        RuleL4::Tcp => Some(false),
        RuleL4::Udp => Some(true),
        RuleL4::Ip { mask: 0, .. } => None,
        RuleL4::Ip {
            mask: 0xff,
            value: IPPROTO_TCP,
        } => Some(false),
        RuleL4::Ip {
            mask: 0xff,
            value: IPPROTO_UDP,
        } => Some(true),
        RuleL4::Ip { .. } => return Err("only TCP and UDP are matched by protocol"),
        RuleL4::Unparsed => return Err("SCTP, AH and ESP are not parsed by fbnic"),
    };
    Ok(match (v6, udp) {
        (false, None) => FlowClass::Ip4,
        (false, Some(false)) => FlowClass::Tcp4,
        (false, Some(true)) => FlowClass::Udp4,
        (true, None) => FlowClass::Ip6,
        (true, Some(false)) => FlowClass::Tcp6,
        (true, Some(true)) => FlowClass::Udp6,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_protocols() {
        assert_eq!(rule_class(false, RuleL4::Tcp), Ok(FlowClass::Tcp4));
        assert_eq!(rule_class(true, RuleL4::Tcp), Ok(FlowClass::Tcp6));
        assert_eq!(rule_class(false, RuleL4::Udp), Ok(FlowClass::Udp4));
        assert_eq!(rule_class(true, RuleL4::Udp), Ok(FlowClass::Udp6));
    }

    #[test]
    fn ip_rules_by_protocol() {
        let ip = |value, mask| RuleL4::Ip { value, mask };
        // No protocol match: any IP of the version, whatever the value.
        assert_eq!(rule_class(false, ip(99, 0)), Ok(FlowClass::Ip4));
        assert_eq!(rule_class(true, ip(0, 0)), Ok(FlowClass::Ip6));
        // TCP or UDP by full mask: the class of that protocol.
        assert_eq!(rule_class(false, ip(6, 0xff)), Ok(FlowClass::Tcp4));
        assert_eq!(rule_class(true, ip(17, 0xff)), Ok(FlowClass::Udp6));
    }

    #[test]
    fn refused() {
        let ip = |value, mask| RuleL4::Ip { value, mask };
        // Another protocol, or a partial mask, cannot be matched.
        assert!(rule_class(false, ip(132, 0xff)).is_err());
        assert!(rule_class(false, ip(6, 0x0f)).is_err());
        assert!(rule_class(true, RuleL4::Unparsed).is_err());
    }
}
