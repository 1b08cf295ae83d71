// SPDX-License-Identifier: GPL-2.0

//! The register dump (`ethtool -d`), in the C driver's layout
//! ([`csr::dump`]).

#![forbid(unsafe_code)]

use crate::{
    hw::{
        csr::dump::{
            self,
            Word, //
        },
        reg::Io32, //
    },
    kernel_ext::net::{
        self,
        ethtool::RegDump, //
    },
    netdev::Port, //
};

pub(super) fn get_regs_len(_dev: &net::Device<Port>) -> u32 {
    dump::LEN * 4
}

pub(super) fn get_regs(dev: &net::Device<Port>, out: &mut RegDump<'_>) {
    let regs = &dev.data().shared.regs;
    out.set_version(dump::VERSION);
    dump::walk(|word| {
        out.push(match word {
            Word::Bound(index) => index,
            Word::Reg(loc) => regs.read32(loc),
        })
    });
}
