// SPDX-License-Identifier: GPL-2.0

//! The queue counts `ethtool -L` may set (`fbnic_set_channels()`'s rules):
//! combined channels up to the queue vectors, plus RX-only or TX-only
//! queues that share the combined ones' vectors; the other channels
//! (mailbox and PCS) fixed.
//!
//! `core` only, like `hw/`: the host crate `fbnic-logic` compiles this file
//! too and runs its unit tests.

#![forbid(unsafe_code)]

/// A channel request, as `ethtool -L` gives it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Request {
    pub(crate) combined: u32,
    pub(crate) rx: u32,
    pub(crate) tx: u32,
    pub(crate) other: u32,
}

/// Why a channel request is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ChannelsError {
    /// The other channels are not the fixed count.
    Other,
    /// RX-only and TX-only channels together: a queue without the other
    /// needs a combined one to share a vector with, and RX-only and
    /// TX-only vectors are not supported.
    RxAndTxOnly,
    /// No combined channel, or more queues than vectors.
    Range,
}

/// The RX and TX queue counts for `req` on a port with `max` queue vectors
/// and `other` fixed other channels.
pub(crate) fn queue_counts(
    req: Request,
    max: u32,
    other: u32,
) -> Result<(u32, u32), ChannelsError> {
    if req.other != other {
        return Err(ChannelsError::Other);
    }
    if req.rx != 0 && req.tx != 0 {
        return Err(ChannelsError::RxAndTxOnly);
    }
    let rx = req.rx.checked_add(req.combined);
    let tx = req.tx.checked_add(req.combined);
    match (rx, tx) {
        (Some(rx), Some(tx)) if req.combined != 0 && rx <= max && tx <= max => Ok((rx, tx)),
        _ => Err(ChannelsError::Range),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(combined: u32, rx: u32, tx: u32) -> Request {
        Request {
            combined,
            rx,
            tx,
            other: 2,
        }
    }

    #[test]
    fn counts() {
        assert_eq!(queue_counts(req(1, 0, 0), 4, 2), Ok((1, 1)));
        assert_eq!(queue_counts(req(4, 0, 0), 4, 2), Ok((4, 4)));
        assert_eq!(queue_counts(req(2, 2, 0), 4, 2), Ok((4, 2)));
        assert_eq!(queue_counts(req(1, 0, 3), 4, 2), Ok((1, 4)));
    }

    #[test]
    fn refused() {
        let other = Request {
            other: 1,
            ..req(1, 0, 0)
        };
        assert_eq!(queue_counts(other, 4, 2), Err(ChannelsError::Other));
        assert_eq!(
            queue_counts(req(1, 1, 1), 4, 2),
            Err(ChannelsError::RxAndTxOnly)
        );
        // No combined channel: RX-only queues have no vector to share.
        assert_eq!(queue_counts(req(0, 2, 0), 4, 2), Err(ChannelsError::Range));
        assert_eq!(queue_counts(req(5, 0, 0), 4, 2), Err(ChannelsError::Range));
        assert_eq!(queue_counts(req(3, 2, 0), 4, 2), Err(ChannelsError::Range));
        // Counts that overflow are refused, not wrapped.
        assert_eq!(
            queue_counts(req(u32::MAX, 1, 0), u32::MAX, 2),
            Err(ChannelsError::Range)
        );
    }
}
