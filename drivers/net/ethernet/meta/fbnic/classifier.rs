// SPDX-License-Identifier: GPL-2.0

//! The RX classifier as a whole: the RSS tables and rules ([`crate::rpc`])
//! and the flow rules ([`crate::nfc`]), opened and closed in the order the
//! device needs. Above both, so that neither depends on the other's
//! caller.

#![forbid(unsafe_code)]

use crate::{
    nfc::Rules,
    regs::Regs,
    rpc::{
        self,
        Rss, //
    },
};

/// Opens the classifier: the flow rules, RSS for the other frames to our
/// addresses, drop for the rest (`fbnic_rss_reinit()`,
/// `fbnic_write_rules()`). The MAC filter is written separately
/// ([`rpc::MacFilter`]).
pub(crate) fn enable(regs: &Regs, rss: &Rss, rules: &Rules) {
    rpc::write_rss(regs, rss);
    rpc::write_rss_rules(regs, rss);
    rules.write(regs, rss);
    rpc::open_rmi(regs);
}

/// Stops delivering frames to the host and invalidates the RSS and flow
/// rules (`fbnic_rpc_reset_valid_entries()`); the rules stay in `Rules`
/// for the next [`enable`].
pub(crate) fn disable(regs: &Regs) {
    rpc::close_rmi(regs);
    rpc::clear_rss_rules(regs);
    Rules::clear(regs);
    regs.wrfl();
}
