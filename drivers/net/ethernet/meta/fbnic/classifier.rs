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
/// Frames of the flow classes in `ts_classes` (a bit per class) get a
/// receive time stamp.
pub(crate) fn enable(regs: &Regs, rss: &Rss, rules: &Rules, ts_classes: u32) {
    rpc::write_rss(regs, rss);
    write_rss_rules(regs, rss, rules, ts_classes);
    rpc::open_rmi(regs);
}

/// Rewrites the RSS rules, and the flow rules that spread by RSS hash as
/// their class does, after a change of the hash fields or of the classes
/// time stamped.
pub(crate) fn write_rss_rules(regs: &Regs, rss: &Rss, rules: &Rules, ts_classes: u32) {
    rpc::write_rss_rules(regs, rss, ts_classes);
    rules.write(regs, rss);
}

/// Stops delivering frames to the host and invalidates the RSS and flow
/// rules (`fbnic_rpc_reset_valid_entries()`); the rules stay in `Rules`
/// for the next [`enable`]. With a BMC (`keep_bmc`) the classifier stays
/// on and keeps the BMC's rules (`fbnic_clear_rules()`,
/// `fbnic_rss_disable_hw()`).
pub(crate) fn disable(regs: &Regs, keep_bmc: bool) {
    if !keep_bmc {
        rpc::close_rmi(regs);
    }
    rpc::clear_rss_rules(regs, keep_bmc);
    Rules::clear(regs);
    regs.wrfl();
}
