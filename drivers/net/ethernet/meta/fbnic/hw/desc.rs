// SPDX-License-Identifier: GPL-2.0

//! DMA descriptor formats: TX work (TWD), TX completion (TCD), RX buffer
//! (BD), RX completion (RCD) and firmware mailbox descriptors.
//!
//! Every descriptor is one little-endian `u64` in host memory (the mailbox
//! descriptor is a pair of BAR4 dwords instead). Each format has its raw
//! fields as [`Field64`] constants, named after the C `FBNIC_*_MASK` macros,
//! plus a typed view with `encode`/`decode`:
//!
//! - `decode` is total: every 64-bit pattern decodes to *something* (2-bit
//!   type codes have a variant for each value), so a device or driver fed
//!   garbage never panics; values that are undefined rather than merely
//!   unusual surface as [`DescError`].
//! - `encode` checks that lengths and addresses fit their fields and are
//!   suitably aligned and returns [`DescError`] otherwise, rather than
//!   silently truncating a DMA address.
//!
//! Lengths in the typed views are in bytes even where the hardware counts
//! 2- or 4-byte units; the conversion (and its alignment rule) lives here.

use super::field::Field64;

/// Why a descriptor could not be encoded or decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DescError {
    /// A value does not fit in its field.
    Overflow {
        /// Field name, as in the C mask macro without prefix.
        field: &'static str,
        /// The value that was rejected.
        value: u64,
    },
    /// A value is not a multiple of the unit its field counts in.
    Misaligned {
        /// Field name.
        field: &'static str,
        /// The value that was rejected.
        value: u64,
        /// Required alignment in bytes.
        align: u64,
    },
    /// The descriptor's type field says it is another kind of descriptor.
    WrongType {
        /// Type code found in the descriptor.
        found: u8,
    },
}

impl core::fmt::Display for DescError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match *self {
            Self::Overflow { field, value } => write!(f, "{field} value {value:#x} does not fit"),
            Self::Misaligned {
                field,
                value,
                align,
            } => {
                write!(f, "{field} value {value:#x} is not a multiple of {align}")
            }
            Self::WrongType { found } => write!(f, "descriptor has type {found}"),
        }
    }
}

/// Places `value` (already in field units) into `field`, or reports
/// overflow.
const fn put(field: Field64, name: &'static str, value: u64) -> Result<u64, DescError> {
    if field.fits(value) {
        Ok(field.prep(value))
    } else {
        Err(DescError::Overflow { field: name, value })
    }
}

/// Places a byte count into a field that counts `unit`-byte units.
const fn put_units(
    field: Field64,
    name: &'static str,
    bytes: u64,
    unit: u64,
) -> Result<u64, DescError> {
    // checked_* rather than `%` and `/`: no panic path for a zero unit, which
    // the kernel's objtool would otherwise flag as unreachable code.
    match (bytes.checked_rem(unit), bytes.checked_div(unit)) {
        (Some(0), Some(units)) => put(field, name, units),
        _ => Err(DescError::Misaligned {
            field: name,
            value: bytes,
            align: unit,
        }),
    }
}

/// Places an address into a field that keeps bits `hi:lo` of it in place.
const fn put_addr(field: Field64, name: &'static str, addr: u64) -> Result<u64, DescError> {
    let align = 1u64 << field.shift();
    if addr % align != 0 {
        return Err(DescError::Misaligned {
            field: name,
            value: addr,
            align,
        });
    }
    if addr & !field.mask() != 0 {
        return Err(DescError::Overflow {
            field: name,
            value: addr,
        });
    }
    Ok(addr)
}

const fn flag(raw: u64, bit: u64) -> bool {
    raw & bit != 0
}

const fn set_if(cond: bool, bit: u64) -> u64 {
    if cond {
        bit
    } else {
        0
    }
}

/// The DONE bit a completion written on ring position `head` carries.
///
/// Completion rings are zeroed before use and the device flips the DONE
/// bit it writes on every lap, so software can tell fresh entries from
/// stale ones without clearing them: DONE is 1 on even laps and 0 on odd
/// laps. `head` is a free-running position counted modulo `2 * ring_size`
/// and `ring_size` is a power of two.
pub const fn done_for_position(head: u32, ring_size: u32) -> bool {
    head & ring_size == 0
}

/// L3 header kind, as used by TX metadata and RX completions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum L3Type {
    /// Not IP, or not parsed.
    #[default]
    Other = 0,
    /// IPv4.
    Ipv4 = 1,
    /// IPv6.
    Ipv6 = 2,
    /// IPv6 tunnelled in IPv6 (outer and inner headers).
    V6InV6 = 3,
}

impl L3Type {
    /// The type for a 2-bit code (higher bits ignored).
    pub const fn from_bits(bits: u64) -> Self {
        match bits & 3 {
            0 => Self::Other,
            1 => Self::Ipv4,
            2 => Self::Ipv6,
            _ => Self::V6InV6,
        }
    }
}

/// L4 header kind, as used by TX metadata and RX completions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum L4Type {
    /// Neither TCP nor UDP.
    #[default]
    Other = 0,
    /// TCP.
    Tcp = 1,
    /// UDP.
    Udp = 2,
    /// Code 3, which the C driver never uses.
    Reserved = 3,
}

impl L4Type {
    /// The type for a 2-bit code (higher bits ignored).
    pub const fn from_bits(bits: u64) -> Self {
        match bits & 3 {
            0 => Self::Other,
            1 => Self::Tcp,
            2 => Self::Udp,
            _ => Self::Reserved,
        }
    }
}

/// TX work descriptors (TWD), written by the driver into a TWQ.
///
/// A packet is one META descriptor (TWQ0 only; TWQ1 frames use
/// [`QM_TWQ_DEFAULT_META`](super::csr::qm_tx::TWQ_DEFAULT_META_L)), an
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

impl TxMeta {
    /// Where the checksum computation starts: after the L2 and both L3
    /// headers (CHECKSUM_PARTIAL's `csum_start`).
    pub const fn csum_start(&self) -> u32 {
        self.l2_hlen as u32 + self.l3_ohlen as u32 + self.l3_ihlen as u32
    }

    /// The raw descriptor.
    pub const fn encode(&self) -> Result<u64, DescError> {
        let mut raw = twd::TYPE_MASK.prep(twd::TYPE_META)
            | twd::L3_TYPE_MASK.prep(self.l3_type as u64)
            | twd::L4_TYPE_MASK.prep(self.l4_type as u64)
            | set_if(self.req_ts, twd::FLAG_REQ_TS)
            | set_if(self.req_lso, twd::FLAG_REQ_LSO)
            | set_if(self.req_cso, twd::FLAG_REQ_CSO)
            | set_if(self.req_completion, twd::FLAG_REQ_COMPLETION)
            | set_if(self.dest_mac, twd::FLAG_DEST_MAC)
            | set_if(self.dest_bmc, twd::FLAG_DEST_BMC)
            | set_if(self.dest_fw, twd::FLAG_DEST_FW);
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
    /// Written-this-lap marker (see [`done_for_position`](super::done_for_position)).
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
}

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
/// final `META` (at most 7 descriptors in all).
pub mod rcd {
    use super::Field64;

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
    /// Written-this-lap marker (see [`done_for_position`](super::done_for_position)).
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

/// Firmware mailbox descriptors (BAR4, see
/// [`csr::mbx`](super::csr::mbx)).
///
/// Ownership moves with two bits: the host sets `HOST_CMPL` when it posts a
/// buffer and the firmware sets `FW_CMPL` when it is done with it. A
/// descriptor with both bits set and no buffer is a "skip" the firmware
/// steps over after a ring reset; an all-zero descriptor stops it.
pub mod mbx_desc {
    use super::Field64;

    /// Buffer length in bytes (host to FW: the message; FW to host: the
    /// buffer size when posted, the message size when completed).
    pub const LEN_MASK: Field64 = Field64::new(63, 48);
    /// End of message: set on every host-to-FW descriptor.
    pub const EOM: u64 = 1 << 46;
    /// Buffer bus address bits (8-byte aligned; the driver uses pages).
    pub const ADDR_MASK: Field64 = Field64::new(45, 3);
    /// With `FW_CMPL`: the firmware failed to process the descriptor and
    /// the buffer holds no valid data.
    pub const FW_ERR: u64 = 1 << 2;
    /// The firmware is done with the descriptor.
    pub const FW_CMPL: u64 = 1 << 1;
    /// The host posted the descriptor.
    pub const HOST_CMPL: u64 = 1 << 0;
    /// Low dword of a skip descriptor, written on ring reset to every slot
    /// but the first.
    pub const SKIP: u64 = FW_CMPL | HOST_CMPL;
}

/// A firmware mailbox descriptor.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MbxDesc {
    /// Buffer or message length in bytes.
    pub len: u16,
    /// End of message.
    pub eom: bool,
    /// Buffer bus address (8-byte aligned, below 2^46).
    pub addr: u64,
    /// The firmware reports an error.
    pub fw_err: bool,
    /// The firmware completed the descriptor.
    pub fw_cmpl: bool,
    /// The host posted the descriptor.
    pub host_cmpl: bool,
}

impl MbxDesc {
    /// The raw descriptor.
    pub const fn encode(&self) -> Result<u64, DescError> {
        match put_addr(mbx_desc::ADDR_MASK, "ADDR", self.addr) {
            Ok(addr) => Ok(addr
                | mbx_desc::LEN_MASK.prep(self.len as u64)
                | set_if(self.eom, mbx_desc::EOM)
                | set_if(self.fw_err, mbx_desc::FW_ERR)
                | set_if(self.fw_cmpl, mbx_desc::FW_CMPL)
                | set_if(self.host_cmpl, mbx_desc::HOST_CMPL)),
            Err(e) => Err(e),
        }
    }

    /// The descriptor in `raw` (reserved bits ignored).
    pub const fn decode(raw: u64) -> Self {
        Self {
            len: mbx_desc::LEN_MASK.get(raw) as u16,
            eom: flag(raw, mbx_desc::EOM),
            addr: raw & mbx_desc::ADDR_MASK.mask(),
            fw_err: flag(raw, mbx_desc::FW_ERR),
            fw_cmpl: flag(raw, mbx_desc::FW_CMPL),
            host_cmpl: flag(raw, mbx_desc::HOST_CMPL),
        }
    }

    /// Joins the two BAR4 dwords of a descriptor.
    pub const fn join(low: u32, high: u32) -> u64 {
        (high as u64) << 32 | low as u64
    }

    /// Splits a raw descriptor into its (low, high) BAR4 dwords.
    pub const fn split(raw: u64) -> (u32, u32) {
        (raw as u32, (raw >> 32) as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic stream of 64-bit patterns (xorshift) for total-decode
    /// tests.
    fn patterns() -> impl Iterator<Item = u64> {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let fixed = [
            0,
            u64::MAX,
            1 << 63,
            0x5555_5555_5555_5555,
            0xaaaa_aaaa_aaaa_aaaa,
        ];
        fixed
            .into_iter()
            .chain(core::iter::from_fn(move || {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                Some(x)
            }))
            .take(4096)
    }

    #[test]
    fn tx_meta_round_trip() {
        // A TSO'd TCP/IPv4 frame as fbnic_tx_offloads() describes it.
        let meta = TxMeta {
            l2_hlen: 14,
            l3_type: L3Type::Ipv4,
            l3_ihlen: 20,
            csum_offset: 16,
            l4_hlen: 32,
            l4_type: L4Type::Tcp,
            req_lso: true,
            req_completion: true,
            dest_mac: true,
            mss: 1448,
            ..TxMeta::default()
        };
        let raw = meta.encode().unwrap();
        assert_eq!(twd::L2_HLEN_MASK.get(raw), 7);
        assert_eq!(twd::L3_IHLEN_MASK.get(raw), 10);
        assert_eq!(twd::CSUM_OFFSET_MASK.get(raw), 8);
        assert_eq!(twd::L4_HLEN_MASK.get(raw), 8);
        assert_eq!(twd::MSS_MASK.get(raw), 1448);
        assert_eq!(TwdType::of(raw), TwdType::Meta);
        assert_eq!(TxMeta::decode(raw), Ok(meta));
        assert_eq!(meta.csum_start(), 34);
    }

    #[test]
    fn tx_meta_rejects_what_the_driver_would_not_offload() {
        let odd = TxMeta {
            l2_hlen: 15,
            ..TxMeta::default()
        };
        assert_eq!(
            odd.encode(),
            Err(DescError::Misaligned {
                field: "L2_HLEN",
                value: 15,
                align: 2
            })
        );
        let long = TxMeta {
            l2_hlen: 128,
            ..TxMeta::default()
        };
        assert_eq!(
            long.encode(),
            Err(DescError::Overflow {
                field: "L2_HLEN",
                value: 64
            })
        );
        let l4 = TxMeta {
            l4_hlen: 62,
            ..TxMeta::default()
        };
        assert!(matches!(
            l4.encode(),
            Err(DescError::Misaligned {
                field: "L4_HLEN",
                ..
            })
        ));
        let mss = TxMeta {
            mss: 0x4000,
            ..TxMeta::default()
        };
        assert!(matches!(
            mss.encode(),
            Err(DescError::Overflow { field: "MSS", .. })
        ));
        assert_eq!(
            TxMeta::decode(
                TxAddrLen {
                    addr: 0,
                    len: 1,
                    last: true
                }
                .encode()
                .unwrap()
            ),
            Err(DescError::WrongType { found: 3 })
        );
    }

    #[test]
    fn errors_display_their_context() {
        use std::string::ToString;
        let e = TxMeta {
            l2_hlen: 15,
            ..TxMeta::default()
        }
        .encode()
        .unwrap_err();
        assert_eq!(e.to_string(), "L2_HLEN value 0xf is not a multiple of 2");
    }

    #[test]
    fn tx_addr_len_round_trip() {
        let al = TxAddrLen {
            addr: 0x3fff_ffff_fffe,
            len: 0xffff,
            last: false,
        };
        let raw = al.encode().unwrap();
        assert_eq!(TwdType::of(raw), TwdType::Al);
        assert!(TwdType::of(raw).is_al());
        assert_eq!(TxAddrLen::decode(raw), Ok(al));
        let last = TxAddrLen { last: true, ..al };
        assert_eq!(TwdType::of(last.encode().unwrap()), TwdType::LastAl);
        assert!(matches!(
            TxAddrLen {
                addr: 1 << 46,
                len: 1,
                last: true
            }
            .encode(),
            Err(DescError::Overflow { field: "ADDR", .. })
        ));
        assert_eq!(TxAddrLen::decode(0), Err(DescError::WrongType { found: 0 }));
    }

    #[test]
    fn tcd_round_trip_and_layout() {
        for (c, done) in [
            (TxCompletion::Head0 { head: 0xabcd }, true),
            (TxCompletion::Head1 { head: 0x1234 }, false),
            (
                TxCompletion::Timestamp {
                    ts: 0xff_ffff_ffff,
                    status: 0x3,
                },
                true,
            ),
        ] {
            let raw = c.encode(done).unwrap();
            assert_eq!(TxCompletion::decode(raw), Ok(c));
            assert_eq!(TxCompletion::done(raw), done);
        }
        let raw = TxCompletion::Head1 { head: 5 }.encode(true).unwrap();
        assert_eq!(raw, 1 << 63 | 1 << 60 | 5 << 16);
        assert!(TxCompletion::Timestamp {
            ts: 1 << 40,
            status: 0
        }
        .encode(false)
        .is_err());
        assert!(TxCompletion::Timestamp {
            ts: 0,
            status: 0x1000
        }
        .encode(false)
        .is_err());
        assert_eq!(
            TxCompletion::decode(2 << 61),
            Err(DescError::WrongType { found: 2 })
        );
    }

    #[test]
    fn done_phase_flips_every_lap() {
        assert!(done_for_position(0, 1024));
        assert!(done_for_position(1023, 1024));
        assert!(!done_for_position(1024, 1024));
        assert!(!done_for_position(2047, 1024));
        assert!(done_for_position(2048, 1024));
    }

    #[test]
    fn rx_buffer_descriptor() {
        let bd = RxBufDesc {
            addr: 0x1234_5678_9000,
            id: 0xbeef,
        };
        let raw = bd.encode().unwrap();
        assert_eq!(raw, 0xbeef << 48 | 0x1234_5678_9000);
        assert_eq!(RxBufDesc::decode(raw), bd);
        assert!(matches!(
            RxBufDesc {
                addr: 0x1001,
                id: 0
            }
            .encode(),
            Err(DescError::Misaligned { align: 4096, .. })
        ));
        assert!(RxBufDesc {
            addr: 1 << 46,
            id: 0
        }
        .encode()
        .is_err());
        // 64 KiB pages: 16 fragments per page, IDs step with addresses.
        assert_eq!(bd::frag_count(65536), 16);
        assert_eq!(bd::frag_count(4096), 1);
        assert_eq!(bd::frag_count(0), 1);
        let f = RxBufDesc::fragment(0x10_0000, 3, 5, 16);
        assert_eq!(
            f,
            RxBufDesc {
                addr: 0x10_5000,
                id: 53
            }
        );
        let al = RxAddrLen {
            buff_id: f.id,
            ..RxAddrLen::default()
        };
        assert_eq!(al.page_and_frag(16), (3, 5));
        assert_eq!(al.page_and_frag(0), (53, 0));
    }

    #[test]
    fn rcd_round_trip() {
        let cases = [
            RxCompletion::HdrAl(RxAddrLen {
                buff_id: 7,
                len: 1514,
                off: 256,
                page_fin: true,
                overflow: true,
                dma_hint: 4,
            }),
            RxCompletion::PayAl(RxAddrLen {
                buff_id: 0xffff,
                len: 8191,
                off: 4095,
                page_fin: false,
                ..RxAddrLen::default()
            }),
            RxCompletion::OptMeta(RxOptMeta {
                ts: Some(0x12_3456_789a),
                action: Some(63),
                opt_type: 2,
            }),
            RxCompletion::OptMeta(RxOptMeta::default()),
            RxCompletion::Meta(RxMeta {
                rss_hash: 0xdead_beef,
                l2_csum: 0xffff,
                l3_type: L3Type::V6InV6,
                l4_type: L4Type::Udp,
                l4_csum_unnecessary: true,
                err_mac_eop: false,
                err_truncated: true,
                err_parser: true,
                ecn: true,
            }),
        ];
        for c in cases {
            for done in [false, true] {
                let raw = c.encode(done).unwrap();
                assert_eq!(RxCompletion::decode(raw), c);
                assert_eq!(RxCompletion::done(raw), done);
            }
        }
        let RxCompletion::Meta(m) = RxCompletion::decode(3 << 61 | rcd::META_ERR_TRUNCATED_FRAME)
        else {
            panic!("type 3 is META");
        };
        assert!(m.uncorrectable());
    }

    #[test]
    fn rcd_rejects_oversized_fields() {
        let too_long = RxAddrLen {
            len: 8192,
            ..RxAddrLen::default()
        };
        assert!(RxCompletion::HdrAl(too_long).encode(true).is_err());
        let bad_off = RxAddrLen {
            off: 4096,
            ..RxAddrLen::default()
        };
        assert!(RxCompletion::PayAl(bad_off).encode(true).is_err());
        let hint = RxAddrLen {
            dma_hint: 1,
            ..RxAddrLen::default()
        };
        assert!(RxCompletion::PayAl(hint).encode(true).is_err());
        assert!(RxCompletion::HdrAl(RxAddrLen {
            dma_hint: 64,
            ..RxAddrLen::default()
        })
        .encode(true)
        .is_err());
        let action = RxOptMeta {
            action: Some(64),
            ..RxOptMeta::default()
        };
        assert!(RxCompletion::OptMeta(action).encode(true).is_err());
    }

    #[test]
    fn mailbox_descriptor() {
        // A host-to-FW message of 9 dwords in the page at 0x1_2345_6000.
        let d = MbxDesc {
            len: 36,
            eom: true,
            addr: 0x1_2345_6000,
            host_cmpl: true,
            ..MbxDesc::default()
        };
        let raw = d.encode().unwrap();
        assert_eq!(raw, 36 << 48 | 1 << 46 | 0x1_2345_6000 | 1);
        assert_eq!(MbxDesc::decode(raw), d);
        let (lo, hi) = MbxDesc::split(raw);
        assert_eq!(MbxDesc::join(lo, hi), raw);
        assert_eq!(
            MbxDesc::decode(mbx_desc::SKIP),
            MbxDesc {
                fw_cmpl: true,
                host_cmpl: true,
                ..MbxDesc::default()
            }
        );
        assert!(MbxDesc {
            addr: 4,
            ..MbxDesc::default()
        }
        .encode()
        .is_err());
        assert!(MbxDesc {
            addr: 1 << 46,
            ..MbxDesc::default()
        }
        .encode()
        .is_err());
    }

    #[test]
    fn every_pattern_decodes_and_reencodes_stably() {
        for raw in patterns() {
            // RX completions: decode is total and encode(decode(x)) keeps
            // every defined bit.
            let c = RxCompletion::decode(raw);
            let again = c.encode(RxCompletion::done(raw)).unwrap();
            assert_eq!(RxCompletion::decode(again), c);
            // TX completions and descriptors: total decode, no panics.
            if let Ok(t) = TxCompletion::decode(raw) {
                assert_eq!(
                    TxCompletion::decode(t.encode(TxCompletion::done(raw)).unwrap()),
                    Ok(t)
                );
            }
            match TwdType::of(raw) {
                TwdType::Meta => {
                    let m = TxMeta::decode(raw).unwrap();
                    assert_eq!(TxMeta::decode(m.encode().unwrap()), Ok(m));
                }
                TwdType::Al | TwdType::LastAl => {
                    let al = TxAddrLen::decode(raw).unwrap();
                    assert_eq!(TxAddrLen::decode(al.encode().unwrap()), Ok(al));
                }
                TwdType::OptMeta => assert!(TxMeta::decode(raw).is_err()),
            }
            let bd = RxBufDesc::decode(raw);
            assert_eq!(RxBufDesc::decode(bd.encode().unwrap()), bd);
            let m = MbxDesc::decode(raw);
            assert_eq!(MbxDesc::decode(m.encode().unwrap()), m);
        }
    }
}
