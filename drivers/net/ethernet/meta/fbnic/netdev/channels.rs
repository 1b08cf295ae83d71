// SPDX-License-Identifier: GPL-2.0

//! The queue counts and their NAPI instances, as the C driver has them:
//! the counts `ethtool -L` may set (`fbnic_set_channels()`), what
//! `ethtool -l` reports (`fbnic_get_channels()`), the counts at probe
//! (`fbnic_reset_queues()`), and which NAPI instance (queue vector)
//! services each queue (`fbnic_alloc_napi_vectors()`).
//!
//! Up to 128 RX and 128 TX queues share the queue vectors the device got
//! (one per CPU). Combined channels are spread over the vectors, queue `q`
//! on vector `q % napis`; RX-only and TX-only channels without combined
//! ones each get a vector of their own, TX queues first.
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
    /// RX-only, TX-only and combined channels all at once: RX-only and
    /// TX-only queues go with combined ones or stand alone, not both.
    Mixed,
    /// RX-only or TX-only queues, with the combined ones, need a vector
    /// each and there are not that many.
    Vectors,
    /// More RX or TX queues than the device has.
    Range,
}

/// The queue counts in use and the NAPI instances servicing them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Layout {
    /// RX queues.
    pub(crate) rx: u32,
    /// TX queues.
    pub(crate) tx: u32,
    /// NAPI instances, the first `napis` queue vectors.
    pub(crate) napis: u32,
}

/// The bits of a count in [`Layout::pack`].
const PACK_BITS: u32 = 10;
const PACK_MASK: u32 = (1 << PACK_BITS) - 1;

impl Layout {
    /// The counts at probe (`fbnic_reset_queues()`): `default` queues each
    /// way (the kernel's default RSS queue count), at most `max_queues`
    /// and at most one per queue vector, on one vector each.
    pub(crate) fn initial(default: u32, max_queues: u32, max_napis: u32) -> Self {
        let n = default.min(max_queues).min(max_napis).max(1);
        Self {
            rx: n,
            tx: n,
            napis: n,
        }
    }

    /// The counts for `req` on a device with `max_queues` queues each way,
    /// `max_napis` queue vectors and `other` fixed other channels
    /// (`fbnic_set_channels()`; the core has already refused a request
    /// with no RX or no TX queue).
    pub(crate) fn for_request(
        req: Request,
        max_queues: u32,
        max_napis: u32,
        other: u32,
    ) -> Result<Self, ChannelsError> {
        if req.other != other {
            return Err(ChannelsError::Other);
        }
        if req.rx != 0 && req.tx != 0 && req.combined != 0 {
            return Err(ChannelsError::Mixed);
        }
        let (Some(rx), Some(tx)) = (
            req.rx.checked_add(req.combined),
            req.tx.checked_add(req.combined),
        ) else {
            return Err(ChannelsError::Range);
        };
        // At most one of `req.rx` and `req.tx` is set with `combined`.
        let Some(all) = req
            .rx
            .checked_add(req.tx)
            .and_then(|s| s.checked_add(req.combined))
        else {
            return Err(ChannelsError::Range);
        };
        let standalone = req.rx + req.tx;
        if standalone != 0 && all > max_napis {
            return Err(ChannelsError::Vectors);
        }
        if rx > max_queues || tx > max_queues || rx == 0 || tx == 0 {
            return Err(ChannelsError::Range);
        }
        Ok(Self {
            rx,
            tx,
            napis: all.min(max_napis),
        })
    }

    /// The queue pairs in use: those with an RX queue, a TX queue or both.
    pub(crate) fn pairs(&self) -> u32 {
        self.rx.max(self.tx)
    }

    /// Whether every queue has a NAPI instance of its own (RX-only and
    /// TX-only channels alone), TX queues on the first ones.
    fn standalone(&self) -> bool {
        self.napis == self.tx + self.rx
    }

    /// The NAPI instance servicing TX queue `q`.
    pub(crate) fn tx_napi(&self, q: u32) -> u32 {
        if self.standalone() {
            q
        } else {
            q % self.napis.max(1)
        }
    }

    /// The NAPI instance servicing RX queue `q`.
    pub(crate) fn rx_napi(&self, q: u32) -> u32 {
        if self.standalone() {
            self.tx + q
        } else {
            q % self.napis.max(1)
        }
    }

    /// The NAPI instance servicing the TX completions of queue pair `q`:
    /// its TX queue's, or for a pair with an RX queue only (whose TX ring
    /// carries only the XDP TX queue's completions) its RX queue's.
    pub(crate) fn tcq_napi(&self, q: u32) -> u32 {
        if q < self.tx {
            self.tx_napi(q)
        } else {
            self.rx_napi(q)
        }
    }

    /// The combined, RX-only and TX-only channel counts `ethtool -l`
    /// reports (`fbnic_get_channels()`).
    pub(crate) fn channels(&self) -> (u32, u32, u32) {
        let combined = if self.rx > self.napis || self.tx > self.napis {
            self.rx.min(self.tx)
        } else {
            (self.rx + self.tx).saturating_sub(self.napis)
        };
        (
            combined,
            self.rx.saturating_sub(combined),
            self.tx.saturating_sub(combined),
        )
    }

    /// The counts in one word, for readers in atomic context.
    pub(crate) fn pack(&self) -> u32 {
        (self.rx & PACK_MASK)
            | (self.tx & PACK_MASK) << PACK_BITS
            | (self.napis & PACK_MASK) << (2 * PACK_BITS)
    }

    /// The counts [`Layout::pack`] gave `word` for.
    pub(crate) fn unpack(word: u32) -> Self {
        Self {
            rx: word & PACK_MASK,
            tx: (word >> PACK_BITS) & PACK_MASK,
            napis: (word >> (2 * PACK_BITS)) & PACK_MASK,
        }
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

    fn layout(rx: u32, tx: u32, napis: u32) -> Layout {
        Layout { rx, tx, napis }
    }

    fn counts(r: Request, max_napis: u32) -> Result<Layout, ChannelsError> {
        Layout::for_request(r, 128, max_napis, 2)
    }

    #[test]
    fn accepted() {
        assert_eq!(counts(req(1, 0, 0), 2), Ok(layout(1, 1, 1)));
        assert_eq!(counts(req(2, 0, 0), 2), Ok(layout(2, 2, 2)));
        // More combined queues than vectors: they share them.
        assert_eq!(counts(req(128, 0, 0), 2), Ok(layout(128, 128, 2)));
        assert_eq!(counts(req(2, 2, 0), 4), Ok(layout(4, 2, 4)));
        assert_eq!(counts(req(1, 0, 3), 4), Ok(layout(1, 4, 4)));
        // RX-only and TX-only queues alone, a vector each.
        assert_eq!(counts(req(0, 1, 1), 2), Ok(layout(1, 1, 2)));
        assert_eq!(counts(req(0, 2, 1), 3), Ok(layout(2, 1, 3)));
    }

    #[test]
    fn refused() {
        let other = Request {
            other: 1,
            ..req(1, 0, 0)
        };
        assert_eq!(counts(other, 2), Err(ChannelsError::Other));
        assert_eq!(counts(req(1, 1, 1), 4), Err(ChannelsError::Mixed));
        assert_eq!(counts(req(0, 2, 1), 2), Err(ChannelsError::Vectors));
        assert_eq!(counts(req(2, 1, 0), 2), Err(ChannelsError::Vectors));
        assert_eq!(counts(req(129, 0, 0), 2), Err(ChannelsError::Range));
        // No RX or no TX queue (the core refuses it first).
        assert_eq!(counts(req(0, 1, 0), 2), Err(ChannelsError::Range));
        // Counts that overflow are refused, not wrapped.
        assert_eq!(
            Layout::for_request(req(u32::MAX, 1, 0), u32::MAX, u32::MAX, 2),
            Err(ChannelsError::Range)
        );
    }

    #[test]
    fn initial() {
        assert_eq!(Layout::initial(2, 128, 2), layout(2, 2, 2));
        assert_eq!(Layout::initial(8, 128, 2), layout(2, 2, 2));
        assert_eq!(Layout::initial(1, 128, 4), layout(1, 1, 1));
        assert_eq!(Layout::initial(0, 128, 4), layout(1, 1, 1));
    }

    #[test]
    fn napis() {
        // Combined queues striped over the vectors.
        let l = layout(5, 5, 2);
        for (q, napi) in [0, 1, 0, 1, 0].into_iter().enumerate() {
            let q = q as u32;
            assert_eq!((l.rx_napi(q), l.tx_napi(q)), (napi, napi));
        }
        // Alone: TX queues on the first vectors, RX queues after them.
        let l = layout(2, 1, 3);
        assert_eq!((l.tx_napi(0), l.rx_napi(0), l.rx_napi(1)), (0, 1, 2));
        assert_eq!((l.tcq_napi(0), l.tcq_napi(1)), (0, 2));
        // More RX than TX queues, combined: the RX-only pair's completions
        // go with its RX queue.
        let l = layout(2, 1, 2);
        assert_eq!((l.tcq_napi(0), l.tcq_napi(1)), (0, 1));
    }

    #[test]
    fn channels() {
        assert_eq!(layout(2, 2, 2).channels(), (2, 0, 0));
        assert_eq!(layout(128, 128, 2).channels(), (128, 0, 0));
        assert_eq!(layout(4, 2, 4).channels(), (2, 2, 0));
        assert_eq!(layout(1, 1, 2).channels(), (0, 1, 1));
        assert_eq!(layout(1, 4, 4).channels(), (1, 0, 3));
        // What a request sets is what is reported.
        for (c, r, t) in [(3, 0, 0), (0, 1, 1), (2, 2, 0), (2, 0, 2), (1, 0, 1)] {
            let l = counts(req(c, r, t), 4).unwrap();
            assert_eq!(l.channels(), (c, r, t), "{c} {r} {t}");
        }
    }

    #[test]
    fn pack() {
        for l in [layout(1, 1, 1), layout(128, 128, 2), layout(1, 128, 128)] {
            assert_eq!(Layout::unpack(l.pack()), l);
        }
    }
}
