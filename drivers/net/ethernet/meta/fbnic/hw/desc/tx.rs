// SPDX-License-Identifier: GPL-2.0

//! TX descriptors: the work descriptors (TWD) the driver writes into a TWQ
//! and the completions (TCD) the device writes into a TCQ.

use super::{flag, put, put_units, set_if, DescError, Field64, L3Type, L4Type};

/// The shortest frame the driver hands the device: shorter ones are padded
/// with zero bytes first (the C driver's `FBNIC_MIN_FRAME_LEN`); the
/// device does not pad to Ethernet's minimum itself.
pub const MIN_FRAME_LEN: u32 = 60;

/// TX work descriptors (TWD), written by the driver into a TWQ.
///
/// A packet is one META descriptor (TWQ0 only; TWQ1 frames use
/// [`QM_TWQ_DEFAULT_META`](super::super::csr::qm_tx::TWQ_DEFAULT_META_L)), an
/// optional OPT_META, then address/length descriptors of which the last is
/// LAST_AL. Bit 47 of the type distinguishes the AL kinds from metadata.
pub mod twd {
    use super::Field64;

    /// L2 header length in 2-byte units.
    pub const L2_HLEN_MASK: Field64 = Field64::new(5, 0);
    /// L3 type ([`L3Type`](super::L3Type) code).
    pub const L3_TYPE_MASK: Field64 = Field64::new(7, 6);
    /// Outer L3 header length in 2-byte units (tunnels).
    pub const L3_OHLEN_MASK: Field64 = Field64::new(15, 8);
    /// Inner L3 header length in 2-byte units.
    pub const L3_IHLEN_MASK: Field64 = Field64::new(23, 16);
    /// Checksum field offset from the L4 start, in 2-byte units.
    pub const CSUM_OFFSET_MASK: Field64 = Field64::new(27, 24);
    /// L4 header length in 4-byte units (LSO).
    pub const L4_HLEN_MASK: Field64 = Field64::new(31, 28);
    /// L4 type ([`L4Type`](super::L4Type) code).
    pub const L4_TYPE_MASK: Field64 = Field64::new(33, 32);
    /// Report a TX timestamp (type-1 TCD).
    pub const FLAG_REQ_TS: u64 = 1 << 34;
    /// Segment (TSO/USO) with `MSS`.
    pub const FLAG_REQ_LSO: u64 = 1 << 35;
    /// Insert the L4 checksum.
    pub const FLAG_REQ_CSO: u64 = 1 << 36;
    /// Write a completion once this packet is sent.
    pub const FLAG_REQ_COMPLETION: u64 = 1 << 37;
    /// Send to the network.
    pub const FLAG_DEST_MAC: u64 = 1 << 43;
    /// Send to the BMC.
    pub const FLAG_DEST_BMC: u64 = 1 << 44;
    /// Send to the firmware.
    pub const FLAG_DEST_FW: u64 = 1 << 45;
    /// Descriptor type (`TYPE_*`).
    pub const TYPE_MASK: Field64 = Field64::new(47, 46);
    /// Packet metadata.
    pub const TYPE_META: u64 = 0;
    /// Optional metadata (timestamp for departure time).
    pub const TYPE_OPT_META: u64 = 1;
    /// Address/length, more to follow.
    pub const TYPE_AL: u64 = 2;
    /// Last address/length of the packet.
    pub const TYPE_LAST_AL: u64 = 3;
    /// Segment size for LSO.
    pub const MSS_MASK: Field64 = Field64::new(61, 48);
    /// Timestamp of an OPT_META descriptor.
    pub const TS_MASK: Field64 = Field64::new(39, 0);
    /// Buffer DMA address of an AL descriptor.
    pub const ADDR_MASK: Field64 = Field64::new(45, 0);
    /// Buffer length of an AL descriptor.
    pub const LEN_MASK: Field64 = Field64::new(63, 48);
}

/// Kind of a TX work descriptor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TwdType {
    /// [`TxMeta`].
    Meta,
    /// Optional metadata.
    OptMeta,
    /// [`TxAddrLen`] with more to follow.
    Al,
    /// [`TxAddrLen`] ending the packet.
    LastAl,
}

impl TwdType {
    /// The type of raw descriptor `raw`.
    pub const fn of(raw: u64) -> Self {
        match twd::TYPE_MASK.get(raw) {
            twd::TYPE_META => Self::Meta,
            twd::TYPE_OPT_META => Self::OptMeta,
            twd::TYPE_AL => Self::Al,
            _ => Self::LastAl,
        }
    }

    /// Whether this is one of the address/length kinds.
    pub const fn is_al(self) -> bool {
        matches!(self, Self::Al | Self::LastAl)
    }
}

/// A TX META descriptor in natural units (lengths in bytes).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TxMeta {
    /// L2 header bytes (even, at most 126).
    pub l2_hlen: u16,
    /// L3 header kind.
    pub l3_type: L3Type,
    /// Outer L3 header bytes for tunnels (even, at most 510).
    pub l3_ohlen: u16,
    /// Inner (or only) L3 header bytes (even, at most 510).
    pub l3_ihlen: u16,
    /// Offset of the checksum field from the start of the L4 header
    /// (even, at most 30).
    pub csum_offset: u16,
    /// L4 header bytes for LSO (multiple of 4, at most 60).
    pub l4_hlen: u16,
    /// L4 header kind.
    pub l4_type: L4Type,
    /// Request a TX timestamp.
    pub req_ts: bool,
    /// Request segmentation.
    pub req_lso: bool,
    /// Request checksum insertion.
    pub req_cso: bool,
    /// Request a completion.
    pub req_completion: bool,
    /// Send to the network.
    pub dest_mac: bool,
    /// Send to the BMC.
    pub dest_bmc: bool,
    /// Send to the firmware.
    pub dest_fw: bool,
    /// LSO segment payload size (at most 16383).
    pub mss: u16,
}

/// Whether `bytes` is a whole number of 2^`shift`-byte units that fits
/// `field` (shifts: no division, so no panic path).
#[inline]
const fn units(field: Field64, bytes: u16, shift: u32) -> bool {
    bytes & ((1 << shift) - 1) == 0 && field.fits((bytes >> shift) as u64)
}

impl TxMeta {
    /// Where the checksum computation starts: after the L2 and both L3
    /// headers (CHECKSUM_PARTIAL's `csum_start`).
    pub const fn csum_start(&self) -> u32 {
        self.l2_hlen as u32 + self.l3_ohlen as u32 + self.l3_ihlen as u32
    }

    /// Whether [`TxMeta::encode`] succeeds for a META descriptor that asks
    /// for checksum insertion only: its L2 and L3 header lengths and
    /// checksum offset (the fields it sets besides flags and types) are
    /// whole 2-byte units that fit their fields.
    #[inline]
    pub const fn csum_fits(l2_hlen: u16, l3_ihlen: u16, csum_offset: u16) -> bool {
        units(twd::L2_HLEN_MASK, l2_hlen, 1)
            & units(twd::L3_IHLEN_MASK, l3_ihlen, 1)
            & units(twd::CSUM_OFFSET_MASK, csum_offset, 1)
    }

    /// Whether [`TxMeta::encode`] succeeds: every length is a whole number
    /// of its field's units and fits it. The lengths are checked together,
    /// with no branch per field.
    #[inline]
    pub const fn fits(&self) -> bool {
        units(twd::L2_HLEN_MASK, self.l2_hlen, 1)
            & units(twd::L3_OHLEN_MASK, self.l3_ohlen, 1)
            & units(twd::L3_IHLEN_MASK, self.l3_ihlen, 1)
            & units(twd::CSUM_OFFSET_MASK, self.csum_offset, 1)
            & units(twd::L4_HLEN_MASK, self.l4_hlen, 2)
            & twd::MSS_MASK.fits(self.mss as u64)
    }

    /// The raw descriptor.
    ///
    /// Every packet the driver sends has one: the lengths are checked
    /// together ([`TxMeta::fits`]), and the error is worked out only when
    /// one of them does not fit.
    #[inline]
    pub const fn encode(&self) -> Result<u64, DescError> {
        if !self.fits() {
            return self.encode_checked();
        }
        Ok(self.flags()
            | twd::L2_HLEN_MASK.prep((self.l2_hlen >> 1) as u64)
            | twd::L3_OHLEN_MASK.prep((self.l3_ohlen >> 1) as u64)
            | twd::L3_IHLEN_MASK.prep((self.l3_ihlen >> 1) as u64)
            | twd::CSUM_OFFSET_MASK.prep((self.csum_offset >> 1) as u64)
            | twd::L4_HLEN_MASK.prep((self.l4_hlen >> 2) as u64)
            | twd::MSS_MASK.prep(self.mss as u64))
    }

    /// The type, kinds and flags of the descriptor.
    #[inline]
    const fn flags(&self) -> u64 {
        twd::TYPE_MASK.prep(twd::TYPE_META)
            | twd::L3_TYPE_MASK.prep(self.l3_type as u64)
            | twd::L4_TYPE_MASK.prep(self.l4_type as u64)
            | set_if(self.req_ts, twd::FLAG_REQ_TS)
            | set_if(self.req_lso, twd::FLAG_REQ_LSO)
            | set_if(self.req_cso, twd::FLAG_REQ_CSO)
            | set_if(self.req_completion, twd::FLAG_REQ_COMPLETION)
            | set_if(self.dest_mac, twd::FLAG_DEST_MAC)
            | set_if(self.dest_bmc, twd::FLAG_DEST_BMC)
            | set_if(self.dest_fw, twd::FLAG_DEST_FW)
    }

    /// [`TxMeta::encode`] field by field, for the error of the first
    /// length that does not fit.
    #[cold]
    #[inline(never)]
    pub(super) const fn encode_checked(&self) -> Result<u64, DescError> {
        let mut raw = self.flags();
        // `?` is not usable in const fn; spell the early returns out.
        match put_units(twd::L2_HLEN_MASK, "L2_HLEN", self.l2_hlen as u64, 2) {
            Ok(v) => raw |= v,
            Err(e) => return Err(e),
        }
        match put_units(twd::L3_OHLEN_MASK, "L3_OHLEN", self.l3_ohlen as u64, 2) {
            Ok(v) => raw |= v,
            Err(e) => return Err(e),
        }
        match put_units(twd::L3_IHLEN_MASK, "L3_IHLEN", self.l3_ihlen as u64, 2) {
            Ok(v) => raw |= v,
            Err(e) => return Err(e),
        }
        match put_units(
            twd::CSUM_OFFSET_MASK,
            "CSUM_OFFSET",
            self.csum_offset as u64,
            2,
        ) {
            Ok(v) => raw |= v,
            Err(e) => return Err(e),
        }
        match put_units(twd::L4_HLEN_MASK, "L4_HLEN", self.l4_hlen as u64, 4) {
            Ok(v) => raw |= v,
            Err(e) => return Err(e),
        }
        match put(twd::MSS_MASK, "MSS", self.mss as u64) {
            Ok(v) => raw |= v,
            Err(e) => return Err(e),
        }
        Ok(raw)
    }

    /// The META descriptor `raw`, or [`DescError::WrongType`] if it is
    /// another kind.
    pub const fn decode(raw: u64) -> Result<Self, DescError> {
        let kind = twd::TYPE_MASK.get(raw);
        if kind != twd::TYPE_META {
            return Err(DescError::WrongType { found: kind as u8 });
        }
        Ok(Self {
            l2_hlen: (twd::L2_HLEN_MASK.get(raw) * 2) as u16,
            l3_type: L3Type::from_bits(twd::L3_TYPE_MASK.get(raw)),
            l3_ohlen: (twd::L3_OHLEN_MASK.get(raw) * 2) as u16,
            l3_ihlen: (twd::L3_IHLEN_MASK.get(raw) * 2) as u16,
            csum_offset: (twd::CSUM_OFFSET_MASK.get(raw) * 2) as u16,
            l4_hlen: (twd::L4_HLEN_MASK.get(raw) * 4) as u16,
            l4_type: L4Type::from_bits(twd::L4_TYPE_MASK.get(raw)),
            req_ts: flag(raw, twd::FLAG_REQ_TS),
            req_lso: flag(raw, twd::FLAG_REQ_LSO),
            req_cso: flag(raw, twd::FLAG_REQ_CSO),
            req_completion: flag(raw, twd::FLAG_REQ_COMPLETION),
            dest_mac: flag(raw, twd::FLAG_DEST_MAC),
            dest_bmc: flag(raw, twd::FLAG_DEST_BMC),
            dest_fw: flag(raw, twd::FLAG_DEST_FW),
            mss: twd::MSS_MASK.get(raw) as u16,
        })
    }
}

/// The metadata the device applies to every frame of a TWQ1 (XDP) queue,
/// which carries no META descriptor of its own: programmed once into
/// [`QM_TWQ_DEFAULT_META`](super::super::csr::qm_tx::TWQ_DEFAULT_META_L)
/// (`fbnic_mac_init_regs()`). An Ethernet header, no offloads, and a
/// completion for every frame, which returns its pages.
pub const TWQ1_DEFAULT_META: TxMeta = TxMeta {
    l2_hlen: 14,
    l3_type: L3Type::Other,
    l3_ohlen: 0,
    l3_ihlen: 0,
    csum_offset: 0,
    l4_hlen: 0,
    l4_type: L4Type::Other,
    req_ts: false,
    req_lso: false,
    req_cso: false,
    req_completion: true,
    dest_mac: false,
    dest_bmc: false,
    dest_fw: false,
    mss: 0,
};

/// The descriptor of one buffer of a frame sent from TWQ1: `len` bytes at
/// `addr`, LAST_AL for the frame's `last` buffer. A frame there is only
/// AL descriptors ([`TWQ1_DEFAULT_META`] stands for its META). The device
/// takes no empty buffer ([`DescError::Overflow`] of `LEN` for 0, as for
/// more than 65535 bytes).
pub const fn twq1_buffer(addr: u64, len: u32, last: bool) -> Result<u64, DescError> {
    if len == 0 || len > u16::MAX as u32 {
        return Err(DescError::Overflow {
            field: "LEN",
            value: len as u64,
        });
    }
    TxAddrLen {
        addr,
        len: len as u16,
        last,
    }
    .encode()
}

/// A TX address/length (AL or LAST_AL) descriptor: one DMA buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TxAddrLen {
    /// Bus address of the buffer (46 bits, any alignment).
    pub addr: u64,
    /// Buffer length in bytes.
    pub len: u16,
    /// Whether this buffer ends the packet (LAST_AL).
    pub last: bool,
}

impl TxAddrLen {
    /// The raw descriptor.
    pub const fn encode(&self) -> Result<u64, DescError> {
        let kind = if self.last {
            twd::TYPE_LAST_AL
        } else {
            twd::TYPE_AL
        };
        match put(twd::ADDR_MASK, "ADDR", self.addr) {
            Ok(addr) => Ok(addr | twd::LEN_MASK.prep(self.len as u64) | twd::TYPE_MASK.prep(kind)),
            Err(e) => Err(e),
        }
    }

    /// The AL descriptor `raw`, or [`DescError::WrongType`] for metadata.
    pub const fn decode(raw: u64) -> Result<Self, DescError> {
        let kind = twd::TYPE_MASK.get(raw);
        if kind != twd::TYPE_AL && kind != twd::TYPE_LAST_AL {
            return Err(DescError::WrongType { found: kind as u8 });
        }
        Ok(Self {
            addr: twd::ADDR_MASK.get(raw),
            len: twd::LEN_MASK.get(raw) as u16,
            last: kind == twd::TYPE_LAST_AL,
        })
    }
}

/// TX completion descriptors (TCD), written by the device into a TCQ.
pub mod tcd {
    use super::Field64;

    /// Type 0: new TWQ0 head (index after the last completed descriptor).
    pub const TYPE0_HEAD0_MASK: Field64 = Field64::new(15, 0);
    /// Type 0 with [`TWQ1`]: new TWQ1 head.
    pub const TYPE0_HEAD1_MASK: Field64 = Field64::new(31, 16);
    /// Type 1: 40-bit TX timestamp (low bits of the PTP nanosecond clock).
    pub const TYPE1_TS_MASK: Field64 = Field64::new(39, 0);
    /// Status bits.
    pub const STATUS_MASK: Field64 = Field64::new(59, 48);
    /// Status: the timestamp is not valid.
    pub const STATUS_TS_INVALID: u64 = 1 << 48;
    /// Status: the timestamp request was illegal.
    pub const STATUS_ILLEGAL_TS_REQ: u64 = 1 << 49;
    /// The completion is for TWQ1.
    pub const TWQ1: u64 = 1 << 60;
    /// Completion type.
    pub const TYPE_MASK: Field64 = Field64::new(62, 61);
    /// Head update.
    pub const TYPE_0: u64 = 0;
    /// Timestamp.
    pub const TYPE_1: u64 = 1;
    /// Written-this-lap marker (see [`done_for_position`](super::super::done_for_position)).
    pub const DONE: u64 = 1 << 63;
}

/// A decoded TX completion (the DONE bit is handled separately).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TxCompletion {
    /// TWQ0 consumed up to (not including) descriptor `head`.
    Head0 {
        /// New head.
        head: u16,
    },
    /// TWQ1 consumed up to descriptor `head`.
    Head1 {
        /// New head.
        head: u16,
    },
    /// TX timestamp of the oldest TWQ0 packet that requested one.
    Timestamp {
        /// Low 40 bits of the PTP clock in nanoseconds.
        ts: u64,
        /// 12 status bits (`tcd::STATUS_*` shifted down by 48).
        status: u16,
    },
}

impl TxCompletion {
    /// The raw descriptor with the given DONE phase.
    pub const fn encode(&self, done: bool) -> Result<u64, DescError> {
        let done = set_if(done, tcd::DONE);
        match *self {
            Self::Head0 { head } => Ok(done
                | tcd::TYPE_MASK.prep(tcd::TYPE_0)
                | tcd::TYPE0_HEAD0_MASK.prep(head as u64)),
            Self::Head1 { head } => Ok(done
                | tcd::TWQ1
                | tcd::TYPE_MASK.prep(tcd::TYPE_0)
                | tcd::TYPE0_HEAD1_MASK.prep(head as u64)),
            Self::Timestamp { ts, status } => {
                let ts = match put(tcd::TYPE1_TS_MASK, "TYPE1_TS", ts) {
                    Ok(v) => v,
                    Err(e) => return Err(e),
                };
                let status = match put(tcd::STATUS_MASK, "STATUS", status as u64) {
                    Ok(v) => v,
                    Err(e) => return Err(e),
                };
                Ok(done | tcd::TYPE_MASK.prep(tcd::TYPE_1) | ts | status)
            }
        }
    }

    /// The completion in `raw`; types 2 and 3 are undefined.
    pub const fn decode(raw: u64) -> Result<Self, DescError> {
        match tcd::TYPE_MASK.get(raw) {
            tcd::TYPE_0 if raw & tcd::TWQ1 != 0 => Ok(Self::Head1 {
                head: tcd::TYPE0_HEAD1_MASK.get(raw) as u16,
            }),
            tcd::TYPE_0 => Ok(Self::Head0 {
                head: tcd::TYPE0_HEAD0_MASK.get(raw) as u16,
            }),
            tcd::TYPE_1 => Ok(Self::Timestamp {
                ts: tcd::TYPE1_TS_MASK.get(raw),
                status: tcd::STATUS_MASK.get(raw) as u16,
            }),
            other => Err(DescError::WrongType { found: other as u8 }),
        }
    }

    /// The DONE bit of raw completion `raw`.
    pub const fn done(raw: u64) -> bool {
        raw & tcd::DONE != 0
    }

    /// Whether the status of a [`TxCompletion::Timestamp`] says its time
    /// stamp is not to be used: the device flagged it invalid, or the
    /// request illegal.
    pub const fn ts_failed(status: u16) -> bool {
        tcd::STATUS_MASK.prep(status as u64) & (tcd::STATUS_TS_INVALID | tcd::STATUS_ILLEGAL_TS_REQ)
            != 0
    }
}
