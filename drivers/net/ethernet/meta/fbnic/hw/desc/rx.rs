// SPDX-License-Identifier: GPL-2.0

//! RX descriptors: the buffer descriptors (BD) the driver writes into the
//! header and payload buffer queues and the completions (RCD) the device
//! writes into an RCQ.

use super::{flag, put, put_addr, set_if, DescError, Field64, L3Type, L4Type};

/// RX buffer descriptors (BD), written by the driver into the header (HPQ)
/// and payload (PPQ) buffer queues.
///
/// The device works on 4 KiB fragments. With larger pages the driver posts
/// `FRAG_COUNT = page_size / 4096` consecutive descriptors per page whose
/// address and ID both step by one fragment, so the low `log2(FRAG_COUNT)`
/// bits of the ID name the fragment and the rest the page; see
/// [`RxBufDesc::fragment`].
pub mod bd {
    use super::Field64;

    /// Buffer address bits (4 KiB aligned).
    pub const DESC_ADDR_MASK: Field64 = Field64::new(45, 12);
    /// Buffer ID, echoed in the RX completion.
    pub const DESC_ID_MASK: Field64 = Field64::new(63, 48);
    /// Bytes per fragment (`FBNIC_BD_FRAG_SIZE`).
    pub const FRAG_SIZE: u64 = 1 << 12;

    /// Fragments per page (`FBNIC_BD_FRAG_COUNT`); at least 1.
    pub const fn frag_count(page_size: u64) -> u64 {
        let n = page_size / FRAG_SIZE;
        if n == 0 {
            1
        } else {
            n
        }
    }

    /// The device's placement granule in a buffer: headers start, and
    /// payload pieces that do not finish a buffer take room, in whole
    /// units of 128 bytes (the `ALIGN(..., 128)` of `fbnic_hdr_pg_start()`,
    /// `fbnic_hdr_pg_end()` and `fbnic_add_rx_frag()`).
    pub const ALIGN: u32 = 128;

    /// `n` rounded up to the granule ([`ALIGN`]); saturates at the
    /// largest whole granule.
    pub const fn align(n: u32) -> u32 {
        n.saturating_add(ALIGN - 1) & !(ALIGN - 1)
    }

    /// Where the device places the first header of a fresh header buffer:
    /// the head room `hroom` (`RDE_CTL0.MIN_HROOM`), rounded up to the
    /// granule.
    pub const fn hdr_first_off(hroom: u32) -> u32 {
        align(hroom)
    }

    /// Where the device places the data of the header after one of `len`
    /// bytes at `off`: past its tail room `troom` (`RDE_CTL0.MIN_TROOM`)
    /// and the next one's head room, rounded up to the granule. Less
    /// `hroom`, it is where the previous buffer ends (`fbnic_hdr_pg_end()`).
    pub const fn hdr_next_off(off: u32, len: u32, hroom: u32, troom: u32) -> u32 {
        align(
            off.saturating_add(len)
                .saturating_add(troom)
                .saturating_add(hroom),
        )
    }
}

/// An RX buffer descriptor: one 4 KiB fragment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RxBufDesc {
    /// Bus address of the fragment (4 KiB aligned, below 2^46).
    pub addr: u64,
    /// Buffer ID the device reports back in [`RxAddrLen::buff_id`].
    pub id: u16,
}

impl RxBufDesc {
    /// Descriptor for fragment `frag` of the page at `page_addr` with page
    /// number `page_id`, on a system whose pages hold `frag_count`
    /// fragments (a power of two). Out-of-range inputs wrap in the 16-bit
    /// ID and are caught by [`RxBufDesc::encode`] for the address.
    pub const fn fragment(page_addr: u64, page_id: u16, frag: u16, frag_count: u16) -> Self {
        Self {
            addr: page_addr.wrapping_add(frag as u64 * bd::FRAG_SIZE),
            id: page_id.wrapping_mul(frag_count).wrapping_add(frag),
        }
    }

    /// The raw descriptor.
    pub const fn encode(&self) -> Result<u64, DescError> {
        match put_addr(bd::DESC_ADDR_MASK, "DESC_ADDR", self.addr) {
            Ok(addr) => Ok(addr | bd::DESC_ID_MASK.prep(self.id as u64)),
            Err(e) => Err(e),
        }
    }

    /// The descriptor in `raw` (reserved bits ignored).
    pub const fn decode(raw: u64) -> Self {
        Self {
            addr: raw & bd::DESC_ADDR_MASK.mask(),
            id: bd::DESC_ID_MASK.get(raw) as u16,
        }
    }
}

/// RX completion descriptors (RCD), written by the device into an RCQ.
///
/// A packet is `HDR_AL`, zero or more `PAY_AL`, an optional `OPT_META` and a
/// final `META` (at most [`MAX_PKT_DESC`](rcd::MAX_PKT_DESC) in all).
pub mod rcd {
    use super::Field64;

    /// Most completions of one packet (`FBNIC_MAX_RX_PKT_DESC`).
    pub const MAX_PKT_DESC: u32 = 7;

    /// Completion type.
    pub const TYPE_MASK: Field64 = Field64::new(62, 61);
    /// Header buffer address/length.
    pub const TYPE_HDR_AL: u64 = 0;
    /// Payload buffer address/length.
    pub const TYPE_PAY_AL: u64 = 1;
    /// Optional metadata (timestamp, action).
    pub const TYPE_OPT_META: u64 = 2;
    /// Metadata; ends the packet.
    pub const TYPE_META: u64 = 3;
    /// Written-this-lap marker (see [`done_for_position`](super::super::done_for_position)).
    pub const DONE: u64 = 1 << 63;

    /// AL: buffer ID from the BD (page and fragment).
    pub const AL_BUFF_ID_MASK: Field64 = Field64::new(15, 0);
    /// AL: bytes written.
    pub const AL_BUFF_LEN_MASK: Field64 = Field64::new(28, 16);
    /// AL: offset of the data within the 4 KiB fragment.
    pub const AL_BUFF_OFF_MASK: Field64 = Field64::new(43, 32);
    /// AL: the device is done with this buffer (no more data will land in
    /// it).
    pub const AL_PAGE_FIN: u64 = 1 << 60;
    /// HDR_AL: the header did not fit the header buffer.
    pub const HDR_AL_OVERFLOW: u64 = 1 << 53;
    /// HDR_AL: how far the parser got (`HDR_AL_DMA_HINT_*` bits).
    pub const HDR_AL_DMA_HINT_MASK: Field64 = Field64::new(59, 54);
    /// DMA hint: none.
    pub const HDR_AL_DMA_HINT_NONE: u64 = 0;
    /// DMA hint: L2.
    pub const HDR_AL_DMA_HINT_L2: u64 = 1;
    /// DMA hint: L3.
    pub const HDR_AL_DMA_HINT_L3: u64 = 2;
    /// DMA hint: L4.
    pub const HDR_AL_DMA_HINT_L4: u64 = 4;

    /// OPT_META: 40-bit RX timestamp.
    pub const OPT_META_TS_MASK: Field64 = Field64::new(39, 0);
    /// OPT_META: action (ntuple rule) index.
    pub const OPT_META_ACTION_MASK: Field64 = Field64::new(45, 40);
    /// OPT_META: `ACTION` is valid.
    pub const OPT_META_ACTION: u64 = 1 << 57;
    /// OPT_META: `TS` is valid.
    pub const OPT_META_TS: u64 = 1 << 58;
    /// OPT_META: sub-type.
    pub const OPT_META_TYPE_MASK: Field64 = Field64::new(60, 59);

    /// META: Toeplitz hash.
    pub const META_RSS_HASH_MASK: Field64 = Field64::new(31, 0);
    /// META: ones' complement sum of the frame after the L2 header
    /// (CHECKSUM_COMPLETE).
    pub const META_L2_CSUM_MASK: Field64 = Field64::new(47, 32);
    /// META: L3 type.
    pub const META_L3_TYPE_MASK: Field64 = Field64::new(49, 48);
    /// META: L4 type.
    pub const META_L4_TYPE_MASK: Field64 = Field64::new(51, 50);
    /// META: the L4 checksum was verified.
    pub const META_L4_CSUM_UNNECESSARY: u64 = 1 << 52;
    /// META: the MAC flagged an error at end of packet.
    pub const META_ERR_MAC_EOP: u64 = 1 << 53;
    /// META: the frame was truncated.
    pub const META_ERR_TRUNCATED_FRAME: u64 = 1 << 54;
    /// META: the parser hit an error.
    pub const META_ERR_PARSER: u64 = 1 << 55;
    /// META: errors that make the driver drop the frame.
    pub const META_UNCORRECTABLE_ERR_MASK: u64 = META_ERR_MAC_EOP | META_ERR_TRUNCATED_FRAME;
    /// META: ECN congestion experienced.
    pub const META_ECN: u64 = 1 << 60;
}

/// The address/length part of an RX completion (header or payload).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RxAddrLen {
    /// Buffer ID from the [`RxBufDesc`].
    pub buff_id: u16,
    /// Bytes written (at most 8191).
    pub len: u16,
    /// Offset within the fragment (at most 4095).
    pub off: u16,
    /// The device will not write to this buffer again.
    pub page_fin: bool,
    /// HDR_AL only: the headers overflowed the header buffer.
    pub overflow: bool,
    /// HDR_AL only: parse depth hint (`rcd::HDR_AL_DMA_HINT_*`).
    pub dma_hint: u8,
}

impl RxAddrLen {
    /// Page number and fragment of `buff_id` for pages of `frag_count`
    /// fragments (a power of two; 0 is treated as 1).
    #[inline]
    pub const fn page_and_frag(&self, frag_count: u16) -> (u16, u16) {
        let count = if frag_count == 0 { 1 } else { frag_count };
        (self.buff_id / count, self.buff_id % count)
    }

    const fn encode_fields(&self) -> Result<u64, DescError> {
        let len = match put(rcd::AL_BUFF_LEN_MASK, "AL_BUFF_LEN", self.len as u64) {
            Ok(v) => v,
            Err(e) => return Err(e),
        };
        let off = match put(rcd::AL_BUFF_OFF_MASK, "AL_BUFF_OFF", self.off as u64) {
            Ok(v) => v,
            Err(e) => return Err(e),
        };
        let hint = match put(
            rcd::HDR_AL_DMA_HINT_MASK,
            "HDR_AL_DMA_HINT",
            self.dma_hint as u64,
        ) {
            Ok(v) => v,
            Err(e) => return Err(e),
        };
        Ok(rcd::AL_BUFF_ID_MASK.prep(self.buff_id as u64)
            | len
            | off
            | hint
            | set_if(self.page_fin, rcd::AL_PAGE_FIN)
            | set_if(self.overflow, rcd::HDR_AL_OVERFLOW))
    }

    #[inline(always)]
    const fn decode_fields(raw: u64, header: bool) -> Self {
        Self {
            buff_id: rcd::AL_BUFF_ID_MASK.get(raw) as u16,
            len: rcd::AL_BUFF_LEN_MASK.get(raw) as u16,
            off: rcd::AL_BUFF_OFF_MASK.get(raw) as u16,
            page_fin: flag(raw, rcd::AL_PAGE_FIN),
            overflow: header && flag(raw, rcd::HDR_AL_OVERFLOW),
            dma_hint: if header {
                rcd::HDR_AL_DMA_HINT_MASK.get(raw) as u8
            } else {
                0
            },
        }
    }
}

/// The optional metadata of an RX completion.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RxOptMeta {
    /// RX timestamp (low 40 bits of the PTP clock), if valid.
    pub ts: Option<u64>,
    /// Matching action (ntuple rule) index, if valid (at most 63).
    pub action: Option<u8>,
    /// Sub-type bits.
    pub opt_type: u8,
}

/// The closing metadata of an RX completion.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RxMeta {
    /// RSS hash.
    pub rss_hash: u32,
    /// Ones' complement sum for CHECKSUM_COMPLETE.
    pub l2_csum: u16,
    /// L3 type.
    pub l3_type: L3Type,
    /// L4 type.
    pub l4_type: L4Type,
    /// The L4 checksum was verified (CHECKSUM_UNNECESSARY).
    pub l4_csum_unnecessary: bool,
    /// MAC end-of-packet error.
    pub err_mac_eop: bool,
    /// Truncated frame.
    pub err_truncated: bool,
    /// Parser error.
    pub err_parser: bool,
    /// ECN congestion experienced.
    pub ecn: bool,
}

impl RxMeta {
    /// Whether the driver must drop the frame.
    pub const fn uncorrectable(&self) -> bool {
        self.err_mac_eop || self.err_truncated
    }
}

/// A decoded RX completion (the DONE bit is handled separately).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RxCompletion {
    /// Header buffer.
    HdrAl(RxAddrLen),
    /// Payload buffer.
    PayAl(RxAddrLen),
    /// Optional metadata.
    OptMeta(RxOptMeta),
    /// Closing metadata.
    Meta(RxMeta),
}

impl RxCompletion {
    /// The raw descriptor with the given DONE phase. Payload completions
    /// must not carry the header-only `overflow`/`dma_hint` fields.
    pub const fn encode(&self, done: bool) -> Result<u64, DescError> {
        let done = set_if(done, rcd::DONE);
        match *self {
            Self::HdrAl(al) => match al.encode_fields() {
                Ok(v) => Ok(done | rcd::TYPE_MASK.prep(rcd::TYPE_HDR_AL) | v),
                Err(e) => Err(e),
            },
            Self::PayAl(al) => {
                if al.overflow {
                    return Err(DescError::Overflow {
                        field: "HDR_AL_OVERFLOW",
                        value: 1,
                    });
                }
                if al.dma_hint != 0 {
                    return Err(DescError::Overflow {
                        field: "HDR_AL_DMA_HINT",
                        value: al.dma_hint as u64,
                    });
                }
                match al.encode_fields() {
                    Ok(v) => Ok(done | rcd::TYPE_MASK.prep(rcd::TYPE_PAY_AL) | v),
                    Err(e) => Err(e),
                }
            }
            Self::OptMeta(m) => {
                let mut raw = done | rcd::TYPE_MASK.prep(rcd::TYPE_OPT_META);
                if let Some(ts) = m.ts {
                    match put(rcd::OPT_META_TS_MASK, "OPT_META_TS", ts) {
                        Ok(v) => raw |= v | rcd::OPT_META_TS,
                        Err(e) => return Err(e),
                    }
                }
                if let Some(action) = m.action {
                    match put(rcd::OPT_META_ACTION_MASK, "OPT_META_ACTION", action as u64) {
                        Ok(v) => raw |= v | rcd::OPT_META_ACTION,
                        Err(e) => return Err(e),
                    }
                }
                match put(rcd::OPT_META_TYPE_MASK, "OPT_META_TYPE", m.opt_type as u64) {
                    Ok(v) => Ok(raw | v),
                    Err(e) => Err(e),
                }
            }
            Self::Meta(m) => Ok(done
                | rcd::TYPE_MASK.prep(rcd::TYPE_META)
                | rcd::META_RSS_HASH_MASK.prep(m.rss_hash as u64)
                | rcd::META_L2_CSUM_MASK.prep(m.l2_csum as u64)
                | rcd::META_L3_TYPE_MASK.prep(m.l3_type as u64)
                | rcd::META_L4_TYPE_MASK.prep(m.l4_type as u64)
                | set_if(m.l4_csum_unnecessary, rcd::META_L4_CSUM_UNNECESSARY)
                | set_if(m.err_mac_eop, rcd::META_ERR_MAC_EOP)
                | set_if(m.err_truncated, rcd::META_ERR_TRUNCATED_FRAME)
                | set_if(m.err_parser, rcd::META_ERR_PARSER)
                | set_if(m.ecn, rcd::META_ECN)),
        }
    }

    /// The completion in `raw`. Every pattern decodes; reserved bits are
    /// ignored. Inlined: the RX loop decodes every completion, and its
    /// match then works on registers instead of a copy in memory.
    #[inline(always)]
    pub const fn decode(raw: u64) -> Self {
        match rcd::TYPE_MASK.get(raw) {
            rcd::TYPE_HDR_AL => Self::HdrAl(RxAddrLen::decode_fields(raw, true)),
            rcd::TYPE_PAY_AL => Self::PayAl(RxAddrLen::decode_fields(raw, false)),
            rcd::TYPE_OPT_META => Self::OptMeta(RxOptMeta {
                ts: if flag(raw, rcd::OPT_META_TS) {
                    Some(rcd::OPT_META_TS_MASK.get(raw))
                } else {
                    None
                },
                action: if flag(raw, rcd::OPT_META_ACTION) {
                    Some(rcd::OPT_META_ACTION_MASK.get(raw) as u8)
                } else {
                    None
                },
                opt_type: rcd::OPT_META_TYPE_MASK.get(raw) as u8,
            }),
            _ => Self::Meta(RxMeta {
                rss_hash: rcd::META_RSS_HASH_MASK.get(raw) as u32,
                l2_csum: rcd::META_L2_CSUM_MASK.get(raw) as u16,
                l3_type: L3Type::from_bits(rcd::META_L3_TYPE_MASK.get(raw)),
                l4_type: L4Type::from_bits(rcd::META_L4_TYPE_MASK.get(raw)),
                l4_csum_unnecessary: flag(raw, rcd::META_L4_CSUM_UNNECESSARY),
                err_mac_eop: flag(raw, rcd::META_ERR_MAC_EOP),
                err_truncated: flag(raw, rcd::META_ERR_TRUNCATED_FRAME),
                err_parser: flag(raw, rcd::META_ERR_PARSER),
                ecn: flag(raw, rcd::META_ECN),
            }),
        }
    }

    /// The DONE bit of raw completion `raw`.
    pub const fn done(raw: u64) -> bool {
        raw & rcd::DONE != 0
    }
}
