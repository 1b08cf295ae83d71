// SPDX-License-Identifier: GPL-2.0

//! Ring sizes and positions: the sizes `ethtool -G` may set, and a
//! position's slot on a ring.
//!
//! `core` only, like `hw/`: the host crate `fbnic-logic` compiles this file
//! too and runs its unit tests.

#![forbid(unsafe_code)]

use crate::hw::csr::queue;

/// The number of descriptors of each ring of a queue pair, as `ethtool -G`
/// sets them: `tx` the TWQ (and its TCQ, the same size, as in the C
/// driver), `rx` the RCQ, `rx-mini` the HPQ and `rx-jumbo` the PPQ. Each is
/// a power of two from [`RingSizes::MIN`] to [`RingSizes::MAX`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RingSizes {
    pub(crate) twq: u32,
    pub(crate) hpq: u32,
    pub(crate) ppq: u32,
    pub(crate) rcq: u32,
}

/// Why `ethtool -G` sizes are refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SizeError {
    /// A ring below [`RingSizes::MIN`] (0 included).
    TooSmall,
    /// A ring above [`RingSizes::MAX`], after rounding up.
    TooLarge,
}

impl RingSizes {
    /// Sizes at probe (`FBNIC_*_SIZE_DEFAULT`).
    pub(crate) const DEFAULT: Self = Self {
        twq: 1024,
        hpq: 256,
        ppq: 256,
        rcq: 1024,
    };
    /// Smallest ring (`FBNIC_QUEUE_SIZE_MIN`); it also holds the largest
    /// TX packet twice and the largest received packet's completions
    /// twice, the C driver's other lower bounds, and a page's descriptors.
    pub(crate) const MIN: u32 = queue::SIZE_MIN;
    /// Largest ring (`FBNIC_QUEUE_SIZE_MAX`): the `*_SIZE` registers encode
    /// 64K as 0.
    pub(crate) const MAX: u32 = queue::SIZE_MAX;

    /// The sizes for `ethtool -G tx T rx R rx-mini M rx-jumbo J`: each
    /// rounded up to a power of two, as in the C driver, then checked.
    pub(crate) fn requested(
        tx: u32,
        rx: u32,
        rx_mini: u32,
        rx_jumbo: u32,
    ) -> Result<Self, SizeError> {
        let mut small = false;
        let mut large = false;
        let mut size = |n: u32| {
            let up = n.checked_next_power_of_two();
            small |= n < Self::MIN;
            large |= up.is_none_or(|up| up > Self::MAX);
            up.unwrap_or(0)
        };
        let sizes = Self {
            twq: size(tx),
            hpq: size(rx_mini),
            ppq: size(rx_jumbo),
            rcq: size(rx),
        };
        if small {
            Err(SizeError::TooSmall)
        } else if large {
            Err(SizeError::TooLarge)
        } else {
            Ok(sizes)
        }
    }
}

/// Position `pos` on a ring of `size` entries, a power of two.
pub(crate) fn wrap(pos: u32, size: u32) -> u32 {
    pos & size.wrapping_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounded_up_to_powers_of_two() {
        assert_eq!(
            RingSizes::requested(1000, 64, 65, 65536),
            Ok(RingSizes {
                twq: 1024,
                rcq: 64,
                hpq: 128,
                ppq: 65536
            })
        );
    }

    #[test]
    fn defaults_are_valid() {
        let d = RingSizes::DEFAULT;
        assert_eq!(RingSizes::requested(d.twq, d.rcq, d.hpq, d.ppq), Ok(d));
    }

    #[test]
    fn out_of_range() {
        assert_eq!(
            RingSizes::requested(63, 64, 64, 64),
            Err(SizeError::TooSmall)
        );
        assert_eq!(
            RingSizes::requested(64, 0, 64, 64),
            Err(SizeError::TooSmall)
        );
        // 65537 rounds up to 128K.
        assert_eq!(
            RingSizes::requested(64, 64, 65537, 64),
            Err(SizeError::TooLarge)
        );
        // No power of two above it fits 32 bits: refused, not wrapped to 0.
        assert_eq!(
            RingSizes::requested(64, 64, 64, u32::MAX),
            Err(SizeError::TooLarge)
        );
        // Too small wins, as it is checked first.
        assert_eq!(
            RingSizes::requested(0, u32::MAX, 64, 64),
            Err(SizeError::TooSmall)
        );
    }

    #[test]
    fn positions_wrap() {
        assert_eq!(wrap(0, 64), 0);
        assert_eq!(wrap(63, 64), 63);
        assert_eq!(wrap(64, 64), 0);
        assert_eq!(wrap(u32::MAX, 65536), 65535);
        // A completion ring's position counts twice around (the done bit).
        assert_eq!(wrap(1023 + 1, 1024 << 1), 1024);
        assert_eq!(wrap(2047 + 1, 1024 << 1), 0);
    }
}
