// SPDX-License-Identifier: GPL-2.0

//! What the host makes of the firmware: the capabilities it reports, the
//! link configuration they imply and how the PCS shows that link, and the
//! index bookkeeping of the two mailbox rings.
//!
//! This is the policy half of the mailbox: [`super::tlv`] decides whether a
//! message is well formed, this module decides whether its content is
//! acceptable. Everything here is pure and total, so the driver's decisions
//! (reject old firmware, refuse a BMC without addresses, which PCS lanes
//! must be locked) are tested on the host.

use core::fmt;

use super::{
    csr,
    tlv::{
        self,
        cap_resp,
        cap_resp::FwVersion,
        Message,
        TlvError,
        MAC_LEN, //
    }, //
};

/// Why a capabilities response (`FW_CAP_RESP`) was rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CapsError {
    /// Not a `FW_CAP_RESP` message at all.
    WrongMessage(u16),
    /// The message is malformed.
    Tlv(TlvError),
    /// No running firmware version, or version 0.
    NoVersion,
    /// The firmware is older than the driver supports.
    TooOld(FwVersion),
    /// The firmware reports a BMC but not the BMC's MAC addresses.
    BmcWithoutAddresses,
    /// More BMC addresses than the driver has room for.
    TooManyBmcAddresses(usize),
}

impl From<TlvError> for CapsError {
    fn from(e: TlvError) -> Self {
        Self::Tlv(e)
    }
}

impl fmt::Display for CapsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::WrongMessage(id) => write!(f, "message {id:#x} is not a capabilities response"),
            Self::Tlv(e) => write!(f, "malformed capabilities response: {e}"),
            Self::NoVersion => f.write_str("capabilities response without a firmware version"),
            Self::TooOld(v) => write!(
                f,
                "firmware {} is older than the minimum {}",
                VersionStr::new(*v, b""),
                VersionStr::new(cap_resp::MIN_FW_VER_CODE, b"")
            ),
            Self::BmcWithoutAddresses => f.write_str("BMC present but no BMC MAC addresses"),
            Self::TooManyBmcAddresses(n) => write!(f, "{n} BMC MAC addresses, at most {BMC_ADDRS}"),
        }
    }
}

/// BMC MAC addresses the driver keeps (the C driver's array size).
pub const BMC_ADDRS: usize = 4;

/// Longest commit string kept, without its NUL.
const COMMIT_LEN: usize = cap_resp::COMMIT_MAX_SIZE as usize - 1;

/// A firmware version with the commit it was built from, shown the way the
/// C driver shows it (`ethtool -i`): `MM.mm.pp-bbb_commit`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VersionStr {
    version: FwVersion,
    commit: [u8; COMMIT_LEN],
    commit_len: usize,
}

impl VersionStr {
    /// `version` with `commit` (truncated to what a capabilities response
    /// may carry).
    pub fn new(version: FwVersion, commit: &[u8]) -> Self {
        let mut s = Self {
            version,
            commit: [0; COMMIT_LEN],
            commit_len: commit.len().min(COMMIT_LEN),
        };
        s.commit[..s.commit_len].copy_from_slice(&commit[..s.commit_len]);
        s
    }

    /// The version word.
    pub fn version(&self) -> FwVersion {
        self.version
    }

    /// The version alone, `MM.mm.pp-bbb` (`fbnic_mk_fw_ver_str()`): what
    /// devlink reports under a version's name.
    pub fn number(&self) -> impl fmt::Display {
        Number(self.version)
    }

    /// The commit, if the firmware reported one: what devlink reports
    /// under the version's name plus `.commit`. Bytes that are not
    /// printable ASCII are shown as '?'.
    pub fn commit(&self) -> Option<impl fmt::Display + '_> {
        (self.commit_len > 0).then(|| Commit(&self.commit[..self.commit_len]))
    }
}

/// A version word shown as `MM.mm.pp-bbb`.
struct Number(FwVersion);

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = self.0;
        write!(
            f,
            "{:02}.{:02}.{:02}-{:03}",
            v.major(),
            v.minor(),
            v.patch(),
            v.build()
        )
    }
}

/// A commit string from the firmware, shown printable.
struct Commit<'a>(&'a [u8]);

impl fmt::Display for Commit<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The schema only admits NUL-terminated strings; bytes that are not
        // printable ASCII are shown as '?' rather than trusted.
        for &b in self.0 {
            let c = if b.is_ascii_graphic() { b as char } else { '?' };
            fmt::Write::write_char(f, c)?;
        }
        Ok(())
    }
}

impl fmt::Display for VersionStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.number())?;
        if let Some(commit) = self.commit() {
            write!(f, "_{commit}")?;
        }
        Ok(())
    }
}

/// The firmware's capabilities, from a validated `FW_CAP_RESP`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Capabilities {
    /// The running management firmware and its commit.
    pub running: VersionStr,
    /// The management firmware stored in flash, the one the next boot
    /// runs (version 0 if not reported).
    pub stored: VersionStr,
    /// The running bootloader (CMRT) and its commit.
    pub running_bootloader: VersionStr,
    /// The bootloader stored in flash.
    pub stored_bootloader: VersionStr,
    /// The UEFI driver (UNDI) stored in flash; the host never runs it.
    pub stored_undi: VersionStr,
    /// The oldest firmware the device accepts (0 if not reported): a
    /// flash image below it is refused.
    pub anti_rollback: u32,
    /// The link the firmware configured, if it reported a known one.
    pub link: Option<LinkConfig>,
    /// Raw `FW_LINK_SPEED` value, for messages about unknown modes.
    pub link_speed_raw: u32,
    /// Whether a BMC shares the port.
    pub bmc_present: bool,
    /// The BMC's MAC addresses (the first `bmc_addr_count` are valid).
    pub bmc_addrs: [[u8; MAC_LEN]; BMC_ADDRS],
    /// Number of valid entries in `bmc_addrs`.
    pub bmc_addr_count: usize,
    /// Whether the BMC wants all multicast traffic.
    pub bmc_all_multi: bool,
}

impl Capabilities {
    /// Parses and checks a `FW_CAP_RESP` message.
    ///
    /// Everything `fbnic_fw_parse_cap_resp()` rejects is rejected here, with
    /// the reason: a malformed message, no version, firmware older than
    /// [`cap_resp::MIN_FW_VER_CODE`], a BMC without its address array.
    /// Unknown link modes are not an error here: the firmware works, but
    /// the driver cannot bring up a network interface (the C driver's
    /// "init failure mode"), which is the caller's decision.
    pub fn parse(msg: &Message<'_>) -> Result<Self, CapsError> {
        if msg.id() != tlv::msg::FW_CAP_RESP {
            return Err(CapsError::WrongMessage(msg.id()));
        }
        let attrs = msg.attrs(cap_resp::SCHEMA)?;

        let version = FwVersion(attrs.u32(cap_resp::VERSION).unwrap_or(0));
        if version.0 == 0 {
            return Err(CapsError::NoVersion);
        }
        if version < cap_resp::MIN_FW_VER_CODE {
            return Err(CapsError::TooOld(version));
        }
        let commit = attrs.cstr(cap_resp::VERSION_COMMIT_STR).unwrap_or(b"");

        let bmc_present = attrs.flag(cap_resp::BMC_PRESENT);
        let mut bmc_addrs = [[0; MAC_LEN]; BMC_ADDRS];
        let mut bmc_addr_count = 0;
        let mut bmc_all_multi = false;
        if bmc_present {
            let array = attrs
                .array(
                    cap_resp::BMC_MAC_ARRAY,
                    cap_resp::BMC_MAC_ADDR,
                    cap_resp::SCHEMA,
                )?
                .ok_or(CapsError::BmcWithoutAddresses)?;
            if array.len() > BMC_ADDRS {
                return Err(CapsError::TooManyBmcAddresses(array.len()));
            }
            for (slot, attr) in bmc_addrs.iter_mut().zip(array.iter()) {
                // The schema checked that each element is exactly 6 bytes.
                *slot = attr.mac().ok_or(CapsError::BmcWithoutAddresses)?;
                bmc_addr_count += 1;
            }
            bmc_all_multi = attrs.u32(cap_resp::BMC_ALL_MULTI).unwrap_or(0) != 0;
        }

        let link_speed_raw = attrs.u32(cap_resp::FW_LINK_SPEED).unwrap_or(0);
        let link = LinkConfig::from_fw(
            link_speed_raw,
            attrs.u32(cap_resp::FW_LINK_FEC).unwrap_or(0),
        );

        Ok(Self {
            running: VersionStr::new(version, commit),
            stored: version_str(
                &attrs,
                cap_resp::STORED_VERSION,
                cap_resp::STORED_COMMIT_STR,
            ),
            running_bootloader: version_str(
                &attrs,
                cap_resp::CMRT_VERSION,
                cap_resp::CMRT_COMMIT_STR,
            ),
            stored_bootloader: version_str(
                &attrs,
                cap_resp::STORED_CMRT_VERSION,
                cap_resp::STORED_CMRT_COMMIT_STR,
            ),
            stored_undi: version_str(&attrs, cap_resp::UEFI_VERSION, cap_resp::UEFI_COMMIT_STR),
            anti_rollback: attrs.u32(cap_resp::ANTI_ROLLBACK_VERSION).unwrap_or(0),
            link,
            link_speed_raw,
            bmc_present,
            bmc_addrs,
            bmc_addr_count,
            bmc_all_multi,
        })
    }
}

/// The version in attribute `version` with the commit in attribute
/// `commit` (version 0 and no commit where they are missing, as in C).
fn version_str(attrs: &tlv::Attrs<'_>, version: u16, commit: u16) -> VersionStr {
    VersionStr::new(
        FwVersion(attrs.u32(version).unwrap_or(0)),
        attrs.cstr(commit).unwrap_or(b""),
    )
}

/// The electrical interface (attachment unit interface) of the port.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Aui {
    /// 25GBASE-CR, one lane.
    Gaui25,
    /// 50GBASE-CR2, two 25G lanes (LAUI-2).
    Laui2,
    /// 50GBASE-CR, one 50G lane.
    Gaui50x1,
    /// 100GBASE-CR2, two 50G lanes.
    Gaui100x2,
}

/// Forward error correction on the link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fec {
    /// None.
    Off,
    /// Reed-Solomon (clause 91).
    Rs,
    /// BASE-R / FireCode (clause 74).
    BaseR,
}

/// The link configuration the firmware selected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LinkConfig {
    /// Interface type.
    pub aui: Aui,
    /// FEC mode.
    pub fec: Fec,
}

impl LinkConfig {
    /// The configuration for the firmware's `FW_LINK_SPEED` and
    /// `FW_LINK_FEC` values (`fbnic_mac_get_fw_settings()`): the 50G
    /// single-lane and 100G modes always use RS-FEC; the others take the
    /// reported FEC, RS when unknown. `None` for an unknown speed.
    pub const fn from_fw(speed: u32, fec: u32) -> Option<Self> {
        let aui = match speed {
            cap_resp::LINK_MODE_25CR => Aui::Gaui25,
            cap_resp::LINK_MODE_50CR2 => Aui::Laui2,
            cap_resp::LINK_MODE_50CR => {
                return Some(Self {
                    aui: Aui::Gaui50x1,
                    fec: Fec::Rs,
                })
            }
            cap_resp::LINK_MODE_100CR2 => {
                return Some(Self {
                    aui: Aui::Gaui100x2,
                    fec: Fec::Rs,
                })
            }
            _ => return None,
        };
        let fec = match fec {
            cap_resp::LINK_FEC_NONE => Fec::Off,
            cap_resp::LINK_FEC_BASER => Fec::BaseR,
            _ => Fec::Rs,
        };
        Some(Self { aui, fec })
    }

    /// Whether the firmware can select this configuration: the 50G
    /// single-lane and 100G modes run RS-FEC only ([`LinkConfig::from_fw`]).
    pub const fn is_valid(&self) -> bool {
        match (self.aui, self.fec) {
            (Aui::Gaui50x1 | Aui::Gaui100x2, Fec::Rs) => true,
            (Aui::Gaui50x1 | Aui::Gaui100x2, _) => false,
            (Aui::Gaui25 | Aui::Laui2, _) => true,
        }
    }

    /// The firmware's `FW_LINK_SPEED` and `FW_LINK_FEC` values for this
    /// configuration: what [`LinkConfig::from_fw`] turns back into it.
    pub const fn to_fw(&self) -> (u32, u32) {
        let speed = match self.aui {
            Aui::Gaui25 => cap_resp::LINK_MODE_25CR,
            Aui::Laui2 => cap_resp::LINK_MODE_50CR2,
            Aui::Gaui50x1 => cap_resp::LINK_MODE_50CR,
            Aui::Gaui100x2 => cap_resp::LINK_MODE_100CR2,
        };
        let fec = match self.fec {
            Fec::Off => cap_resp::LINK_FEC_NONE,
            Fec::Rs => cap_resp::LINK_FEC_RS,
            Fec::BaseR => cap_resp::LINK_FEC_BASER,
        };
        (speed, fec)
    }

    /// Link speed in Mb/s.
    pub const fn speed_mbps(&self) -> u32 {
        match self.aui {
            Aui::Gaui25 => 25_000,
            Aui::Laui2 | Aui::Gaui50x1 => 50_000,
            Aui::Gaui100x2 => 100_000,
        }
    }

    /// Number of electrical lanes.
    pub const fn lanes(&self) -> u32 {
        match self.aui {
            Aui::Gaui25 | Aui::Gaui50x1 => 1,
            Aui::Laui2 | Aui::Gaui100x2 => 2,
        }
    }

    /// The lock bits that must all be set, and no others, for the link to
    /// count as up: which status field holds them depends on the FEC mode
    /// and how many of them on the lanes and FEC (`fbnic_mac_get_link_status()`).
    pub const fn lane_mask(&self) -> u32 {
        match (self.aui, self.fec) {
            (Aui::Gaui100x2, _) => 0xf,
            (Aui::Gaui50x1, _) => 0x3,
            (Aui::Laui2, Fec::Off) => 0x63,
            (Aui::Laui2, Fec::Rs) => 0x5,
            (Aui::Laui2, Fec::BaseR) => 0xf,
            (Aui::Gaui25, _) => 0x1,
        }
    }

    /// Whether the PCS reports this link up, from `SIG_PCS_OUT0` and
    /// `SIG_PCS_OUT1`: the link bit, and exactly the expected lanes locked
    /// (block lock without FEC, alignment-marker lock with RS-FEC, FEC
    /// lock with BASE-R).
    pub const fn pcs_link_up(&self, out0: u32, out1: u32) -> bool {
        if out0 & csr::sig::PCS_OUT0::LINK.mask() == 0 {
            return false;
        }
        let locked = match self.fec {
            Fec::Off => csr::sig::PCS_OUT0::BLOCK_LOCK.get(out0),
            Fec::Rs => csr::sig::PCS_OUT0::AMPS_LOCK.get(out0),
            Fec::BaseR => csr::sig::PCS_OUT1::FCFEC_LOCK.get(out1),
        };
        locked == self.lane_mask()
    }

    /// `SIG_PCS_OUT0` and `SIG_PCS_OUT1` of a trained link: the link bit
    /// and exactly [`LinkConfig::lane_mask`] locked in the field
    /// [`LinkConfig::pcs_link_up`] reads for the FEC mode.
    pub const fn pcs_out(&self) -> (u32, u32) {
        let link = csr::sig::PCS_OUT0::LINK.mask();
        let lanes = self.lane_mask();
        match self.fec {
            Fec::Off => (link | csr::sig::PCS_OUT0::BLOCK_LOCK.prep(lanes), 0),
            Fec::Rs => (link | csr::sig::PCS_OUT0::AMPS_LOCK.prep(lanes), 0),
            Fec::BaseR => (link, csr::sig::PCS_OUT1::FCFEC_LOCK.prep(lanes)),
        }
    }
}

/// Head and tail of one mailbox ring of [`csr::mbx::DESC_LEN`] descriptors.
///
/// The host owns the descriptors from `head` up to (not including) `tail`
/// that it posted and the firmware has not completed yet; one descriptor
/// always stays unused so that a full ring differs from an empty one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MbxRing {
    head: u32,
    tail: u32,
}

impl MbxRing {
    const MASK: u32 = csr::mbx::DESC_LEN - 1;

    /// An empty ring, as after a reset.
    pub const fn new() -> Self {
        Self { head: 0, tail: 0 }
    }

    /// The oldest posted descriptor.
    pub const fn head(&self) -> u32 {
        self.head
    }

    /// The next descriptor to post.
    pub const fn tail(&self) -> u32 {
        self.tail
    }

    /// Whether nothing is posted.
    pub const fn is_empty(&self) -> bool {
        self.head == self.tail
    }

    /// How many more descriptors can be posted.
    pub const fn free(&self) -> u32 {
        self.head.wrapping_sub(self.tail).wrapping_sub(1) & Self::MASK
    }

    /// Posts the descriptor at the tail: returns its index, or `None` when
    /// the ring is full.
    pub fn post(&mut self) -> Option<u32> {
        if self.free() == 0 {
            return None;
        }
        let slot = self.tail;
        self.tail = (self.tail + 1) & Self::MASK;
        Some(slot)
    }

    /// Retires the descriptor at the head: returns its index, or `None`
    /// when nothing is posted.
    pub fn retire(&mut self) -> Option<u32> {
        if self.is_empty() {
            return None;
        }
        let slot = self.head;
        self.head = (self.head + 1) & Self::MASK;
        Some(slot)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hw::tlv::MsgBuilder;
    use std::{
        format,
        string::ToString, //
    };

    const ALL: [LinkConfig; 12] = {
        let auis = [Aui::Gaui25, Aui::Laui2, Aui::Gaui50x1, Aui::Gaui100x2];
        let fecs = [Fec::Off, Fec::Rs, Fec::BaseR];
        let mut all = [LinkConfig {
            aui: Aui::Gaui25,
            fec: Fec::Off,
        }; 12];
        let mut i = 0;
        while i < 12 {
            all[i] = LinkConfig {
                aui: auis[i / 3],
                fec: fecs[i % 3],
            };
            i += 1;
        }
        all
    };

    #[test]
    fn link_configs_round_trip_through_the_firmware_encoding() {
        for c in ALL {
            let (speed, fec) = c.to_fw();
            let back = LinkConfig::from_fw(speed, fec);
            if c.is_valid() {
                assert_eq!(back, Some(c), "{c:?}");
            } else {
                // The PAM4 modes come back with the RS-FEC they force.
                assert_eq!(back.map(|b| (b.aui, b.fec)), Some((c.aui, Fec::Rs)));
            }
        }
        assert_eq!(ALL.iter().filter(|c| c.is_valid()).count(), 8);
    }

    #[test]
    fn pcs_out_is_what_pcs_link_up_accepts() {
        // fbnic_mac_get_link_status(): 100G 0xf, 50G-R1 0x3, 50G-R2 0x63 /
        // 0x5 / 0xf by FEC, 25G 0x1.
        let mask = |aui, fec| LinkConfig { aui, fec }.lane_mask();
        assert_eq!(mask(Aui::Gaui100x2, Fec::Rs), 0xf);
        assert_eq!(mask(Aui::Gaui50x1, Fec::Rs), 0x3);
        assert_eq!(mask(Aui::Laui2, Fec::Off), 0x63);
        assert_eq!(mask(Aui::Laui2, Fec::Rs), 0x5);
        assert_eq!(mask(Aui::Laui2, Fec::BaseR), 0xf);
        assert_eq!(mask(Aui::Gaui25, Fec::Rs), 0x1);
        for c in ALL.into_iter().filter(LinkConfig::is_valid) {
            let (out0, out1) = c.pcs_out();
            assert!(c.pcs_link_up(out0, out1), "{c:?}");
            assert!(!c.pcs_link_up(out0 & !csr::sig::PCS_OUT0::LINK.mask(), out1));
        }
        // The 100G RS-FEC status the emulator's PCS reports.
        let g100 = LinkConfig {
            aui: Aui::Gaui100x2,
            fec: Fec::Rs,
        };
        assert_eq!(g100.pcs_out(), (0x0800_001e, 0));
    }

    fn build(fill: impl FnOnce(&mut MsgBuilder<'_>)) -> std::vec::Vec<u8> {
        let mut buf = [0u8; 512];
        let mut b = MsgBuilder::new(&mut buf, tlv::msg::FW_CAP_RESP).unwrap();
        fill(&mut b);
        b.finish().to_vec()
    }

    #[test]
    fn parses_the_reference_example() {
        // The example FW_CAP_RESP of the hardware map: 100G, RS, "emu".
        let words: [u32; 8] = [
            0x0009_8011,
            0x0008_0000,
            0x000c_0900,
            0x0008_000a,
            4,
            0x0008_000b,
            2,
            0x0008_0006,
        ];
        let mut bytes: std::vec::Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
        bytes.extend_from_slice(b"emu\0");
        let msg = Message::parse(&bytes).unwrap();
        let caps = Capabilities::parse(&msg).unwrap();
        assert_eq!(caps.running.version(), FwVersion::new(0, 12, 9, 0));
        assert_eq!(caps.running.to_string(), "00.12.09-000_emu");
        assert_eq!(
            caps.link,
            Some(LinkConfig {
                aui: Aui::Gaui100x2,
                fec: Fec::Rs
            })
        );
        assert!(!caps.bmc_present);
    }

    #[test]
    fn parses_every_version_devlink_reports() {
        let bytes = build(|b| {
            b.put_u32(cap_resp::VERSION, FwVersion::new(25, 6, 1, 0).0)
                .unwrap();
            b.put_string(cap_resp::VERSION_COMMIT_STR, b"abc").unwrap();
            b.put_u32(cap_resp::STORED_VERSION, FwVersion::new(25, 6, 2, 7).0)
                .unwrap();
            b.put_u32(cap_resp::CMRT_VERSION, FwVersion::new(25, 3, 0, 0).0)
                .unwrap();
            b.put_string(cap_resp::STORED_CMRT_COMMIT_STR, b"boot")
                .unwrap();
            b.put_u32(cap_resp::UEFI_VERSION, FwVersion::new(1, 2, 0, 0).0)
                .unwrap();
            b.put_u32(cap_resp::ANTI_ROLLBACK_VERSION, 3).unwrap();
        });
        let msg = Message::parse(&bytes).unwrap();
        let caps = Capabilities::parse(&msg).unwrap();
        let commit = |v: &VersionStr| v.commit().map(|c| c.to_string());
        assert_eq!(caps.running.number().to_string(), "25.06.01-000");
        assert_eq!(commit(&caps.running).as_deref(), Some("abc"));
        assert_eq!(caps.stored.to_string(), "25.06.02-007");
        assert_eq!(commit(&caps.stored), None);
        assert_eq!(caps.running_bootloader.to_string(), "25.03.00-000");
        // Missing versions are 0, as in C; a commit may come without one.
        assert_eq!(caps.stored_bootloader.number().to_string(), "00.00.00-000");
        assert_eq!(commit(&caps.stored_bootloader).as_deref(), Some("boot"));
        assert_eq!(caps.stored_undi.to_string(), "01.02.00-000");
        assert_eq!(caps.anti_rollback, 3);
    }

    #[test]
    fn version_string_without_commit() {
        let v = VersionStr::new(FwVersion::new(1, 2, 3, 45), b"");
        assert_eq!(v.to_string(), "01.02.03-045");
    }

    #[test]
    fn rejects_missing_or_old_version() {
        let bytes = build(|b| b.put_u32(cap_resp::FW_LINK_SPEED, 1).unwrap());
        let msg = Message::parse(&bytes).unwrap();
        assert_eq!(Capabilities::parse(&msg), Err(CapsError::NoVersion));

        let old = FwVersion::new(0, 10, 5, 0);
        let bytes = build(|b| b.put_u32(cap_resp::VERSION, old.0).unwrap());
        let msg = Message::parse(&bytes).unwrap();
        let err = Capabilities::parse(&msg).unwrap_err();
        assert_eq!(err, CapsError::TooOld(old));
        assert_eq!(
            err.to_string(),
            "firmware 00.10.05-000 is older than the minimum 00.10.06-000"
        );
    }

    #[test]
    fn rejects_malformed_attributes() {
        // A commit string without its NUL is malformed: the whole message
        // is rejected, as in C.
        let bytes = build(|b| {
            b.put_u32(cap_resp::VERSION, FwVersion::new(1, 0, 0, 0).0)
                .unwrap();
            b.put_bytes(cap_resp::VERSION_COMMIT_STR, b"abcd").unwrap();
        });
        let msg = Message::parse(&bytes).unwrap();
        assert!(matches!(Capabilities::parse(&msg), Err(CapsError::Tlv(_))));
    }

    #[test]
    fn rejects_other_messages() {
        let mut buf = [0u8; 16];
        let b = MsgBuilder::new(&mut buf, tlv::msg::HEARTBEAT_RESP).unwrap();
        let bytes = b.finish().to_vec();
        let msg = Message::parse(&bytes).unwrap();
        assert_eq!(
            Capabilities::parse(&msg),
            Err(CapsError::WrongMessage(tlv::msg::HEARTBEAT_RESP))
        );
    }

    #[test]
    fn bmc_needs_its_addresses() {
        let v = FwVersion::new(1, 0, 0, 0).0;
        let bytes = build(|b| {
            b.put_u32(cap_resp::VERSION, v).unwrap();
            b.put_flag(cap_resp::BMC_PRESENT).unwrap();
        });
        let msg = Message::parse(&bytes).unwrap();
        assert_eq!(
            Capabilities::parse(&msg),
            Err(CapsError::BmcWithoutAddresses)
        );

        let mac = [0x02, 0, 0, 0, 0, 7];
        let bytes = build(|b| {
            b.put_u32(cap_resp::VERSION, v).unwrap();
            b.put_flag(cap_resp::BMC_PRESENT).unwrap();
            b.nested(cap_resp::BMC_MAC_ARRAY, |n| {
                n.put_mac(cap_resp::BMC_MAC_ADDR, &mac)
            })
            .unwrap();
        });
        let msg = Message::parse(&bytes).unwrap();
        let caps = Capabilities::parse(&msg).unwrap();
        assert_eq!(caps.bmc_addr_count, 1);
        assert_eq!(caps.bmc_addrs[0], mac);
        assert_eq!(caps.link, None);
    }

    #[test]
    fn odd_commit_bytes_are_not_printed() {
        let v = VersionStr::new(FwVersion::new(0, 12, 9, 0), b"a\nb");
        assert_eq!(format!("{v}"), "00.12.09-000_a?b");
    }

    #[test]
    fn link_config_from_firmware() {
        let c = LinkConfig::from_fw(cap_resp::LINK_MODE_50CR2, cap_resp::LINK_FEC_NONE).unwrap();
        assert_eq!(
            (c.aui, c.fec, c.speed_mbps(), c.lanes()),
            (Aui::Laui2, Fec::Off, 50_000, 2)
        );
        // 50CR and 100CR2 force RS whatever the FEC attribute says.
        let c = LinkConfig::from_fw(cap_resp::LINK_MODE_50CR, cap_resp::LINK_FEC_NONE).unwrap();
        assert_eq!(c.fec, Fec::Rs);
        // Unknown FEC means RS.
        let c = LinkConfig::from_fw(cap_resp::LINK_MODE_25CR, 9).unwrap();
        assert_eq!((c.speed_mbps(), c.fec), (25_000, Fec::Rs));
        assert_eq!(LinkConfig::from_fw(0, 2), None);
        assert_eq!(LinkConfig::from_fw(5, 2), None);
    }

    #[test]
    fn pcs_link_needs_exactly_the_expected_lanes() {
        let link = 1 << 27;
        let c100 = LinkConfig::from_fw(cap_resp::LINK_MODE_100CR2, 0).unwrap();
        assert!(c100.pcs_link_up(0x0800_001e, 0));
        // Link bit without all lanes, or lanes without the link bit.
        assert!(!c100.pcs_link_up(link | 0x0e, 0));
        assert!(!c100.pcs_link_up(0x1e, 0));

        let c25 = LinkConfig::from_fw(cap_resp::LINK_MODE_25CR, cap_resp::LINK_FEC_RS).unwrap();
        assert!(c25.pcs_link_up(0x0800_0002, 0));
        // An extra lane locked is a mismatch, not "more up".
        assert!(!c25.pcs_link_up(0x0800_0006, 0));

        let laui = LinkConfig::from_fw(cap_resp::LINK_MODE_50CR2, cap_resp::LINK_FEC_NONE).unwrap();
        assert!(laui.pcs_link_up(link | 0x63 << 5, 0));
        let baser =
            LinkConfig::from_fw(cap_resp::LINK_MODE_50CR2, cap_resp::LINK_FEC_BASER).unwrap();
        assert!(baser.pcs_link_up(link, 0xf << 8));
        assert!(!baser.pcs_link_up(link, 0x7 << 8));
    }

    #[test]
    fn ring_keeps_one_slot_free_and_wraps() {
        let mut r = MbxRing::new();
        assert!(r.is_empty());
        assert_eq!(r.free(), 15);
        assert_eq!(r.retire(), None);
        for i in 0..15 {
            assert_eq!(r.post(), Some(i));
        }
        assert_eq!(r.post(), None);
        assert_eq!(r.free(), 0);
        for i in 0..10 {
            assert_eq!(r.retire(), Some(i));
        }
        assert_eq!(r.free(), 10);
        for i in 15..25 {
            assert_eq!(r.post(), Some(i % 16));
        }
        assert_eq!(r.post(), None);
        assert_eq!((r.head(), r.tail()), (10, 9));
    }
}
