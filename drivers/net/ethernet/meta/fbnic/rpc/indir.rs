// SPDX-License-Identifier: GPL-2.0

//! RSS indirection tables: entry `i` names the queue of hashes whose low
//! byte is `i`. The default spread, and a table ethtool gives checked
//! against the queues there are.
//!
//! `core` only, like `hw/`: the host crate `fbnic-logic` compiles this file
//! too and runs its unit tests.

#![forbid(unsafe_code)]

/// Entries of an indirection table.
// CAST: 256 fits.
pub(crate) const ENTRIES: usize = crate::hw::csr::rpc_ram::RSS_TBL_SIZE as usize;

/// An indirection table.
pub(crate) type Indir = [u8; ENTRIES];

/// Why a table ethtool gives is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IndirError {
    /// Not [`ENTRIES`] entries.
    Size,
    /// An entry names a queue that is not there.
    Queue,
}

/// The table spread round-robin over `queues` queues, at least one
/// (`ethtool_rxfh_indir_default()`).
pub(crate) fn spread(queues: u32) -> Indir {
    let queues = queues.max(1);
    let mut table = [0; ENTRIES];
    for (i, entry) in (0u32..).zip(table.iter_mut()) {
        // CAST: below 256, as `i` is.
        *entry = (i % queues) as u8;
    }
    table
}

/// The table `indir` for a port with `queues` RX queues.
pub(crate) fn checked(indir: &[u32], queues: u32) -> Result<Indir, IndirError> {
    if indir.len() != ENTRIES {
        return Err(IndirError::Size);
    }
    let mut table = [0; ENTRIES];
    for (dst, &q) in table.iter_mut().zip(indir) {
        if q >= queues {
            return Err(IndirError::Queue);
        }
        *dst = u8::try_from(q).map_err(|_| IndirError::Queue)?;
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_robin() {
        let t = spread(3);
        assert_eq!(t[..7], [0, 1, 2, 0, 1, 2, 0]);
        assert_eq!(t[255], 0);
        // No queue is one queue.
        assert_eq!(spread(0), [0; ENTRIES]);
        // More queues than entries: each entry its own.
        let t = spread(1000);
        assert_eq!((t[0], t[255]), (0, 255));
    }

    #[test]
    fn user_tables() {
        let mut indir = [1u32; ENTRIES];
        indir[7] = 3;
        let t = checked(&indir, 4).unwrap();
        assert_eq!((t[0], t[7], t[8]), (1, 3, 1));
        assert_eq!(checked(&indir, 3), Err(IndirError::Queue));
        assert_eq!(checked(&indir[..255], 4), Err(IndirError::Size));
        assert_eq!(checked(&[], 4), Err(IndirError::Size));
        // A queue number past what an entry holds is refused, not cut.
        indir[0] = 256;
        assert_eq!(checked(&indir, 1000), Err(IndirError::Queue));
    }
}
