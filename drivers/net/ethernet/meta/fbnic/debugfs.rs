// SPDX-License-Identifier: GPL-2.0

//! The debugfs files of a PCI function (`fbnic_debugfs.c`): the module's
//! directory `fbnic`, made at module load, holds one directory per
//! function, named after it (`fbnic/0000:01:00.0/`), with
//!
//! - `fw_log`: the firmware's log, oldest line first, as
//!   `[index] [DD:HH:MM:SS.mmm] text` (see `fw/log.rs`).

#![forbid(unsafe_code)]

use kernel::{
    device,
    prelude::*,
    seq_file::SeqFile,
    sync::Arc, //
};

use crate::{
    kernel_ext::debugfs::{
        Dir,
        Show, //
    },
    shared::Shared, //
};

/// The module's directory at the top of debugfs.
pub(crate) const ROOT: &CStr = c"fbnic";

/// The `fw_log` file.
struct FwLog(Arc<Shared>);

impl Show for FwLog {
    fn show(&self, m: &SeqFile) -> Result {
        self.0.mbx.show_log(m);
        Ok(())
    }
}

/// Creates the function's directory and its files
/// (`fbnic_dbg_fbd_init()`); they go when the result is dropped. What
/// cannot be created is left out, with a warning.
pub(crate) fn create(dev: &device::Device, shared: &Arc<Shared>) -> Dir {
    let mut dir = Dir::new(ROOT, dev.name());
    let file = Arc::new(FwLog(shared.clone()), GFP_KERNEL)
        .map_err(Error::from)
        .and_then(|log| dir.show_file(c"fw_log", log));
    if let Err(e) = file {
        dev_warn!(dev, "no debugfs fw_log: {:?}\n", e);
    }
    dir
}
