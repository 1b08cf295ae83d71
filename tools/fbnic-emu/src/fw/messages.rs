// SPDX-License-Identifier: GPL-2.0

//! The firmware's answers to host requests, message by message, as
//! fbnic_fw.c, fbnic_devlink.c, fbnic_hwmon.c and fbnic_ethtool.c expect
//! them. Every request is validated against the attribute schema the
//! driver sends ([`tlv::host_to_fw_schema`]); anything malformed, unknown
//! or out of range is an error, which the mailbox turns into a `FW_ERR`
//! completion.

use std::fmt;

use fbnic_hw::tlv::{
    self, cap_resp, coredump_info, coredump_read, finish_upgrade, heartbeat, msg, ownership, qsfp,
    rpc_mac_sync, send_logs, start_upgrade, tsene, write_chunk, BuildError, Message, MsgBuilder,
    TlvError,
};
use log::{debug, info, warn};

use super::fwlog::FwLog;
use super::{Firmware, PAGE_SIZE};
use crate::bmc::HostSync;
use crate::device::FbnicDevice;
use crate::identity::MacAddr;

/// Linux errno values the firmware reports in `ERROR` attributes.
const EINVAL: i32 = 22;
const EBUSY: i32 = 16;

/// Bytes of image the firmware asks for per `FW_WRITE_CHUNK_REQ`.
pub const UPGRADE_CHUNK: u32 = 3072;

/// Largest image the emulated flash takes (a 64 MiB QSPI part): a bigger
/// one is refused with `EINVAL` at the start, not buffered (a request for
/// 4 GiB made the emulator abort on the allocation; found by fuzzing).
pub const MAX_IMAGE: u32 = 64 << 20;
/// Size of the synthetic coredump.
pub const COREDUMP_SIZE: u32 = 3 * tlv::RAW_DATA_MAX as u32 + 1000;

/// Why a request could not be handled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MsgError {
    /// The message is not one the host sends.
    Unknown(u16),
    /// Its attributes break the schema.
    Tlv(TlvError),
    /// A well-formed request the firmware cannot act on.
    Invalid(String),
    /// An answer did not fit a page (a bug; logged).
    Build(BuildError),
}

impl fmt::Display for MsgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MsgError::Unknown(id) => write!(f, "unknown message id {id:#x}"),
            MsgError::Tlv(e) => write!(f, "bad attributes: {e}"),
            MsgError::Invalid(s) => f.write_str(s),
            MsgError::Build(e) => write!(f, "cannot build the answer: {e}"),
        }
    }
}

impl From<TlvError> for MsgError {
    fn from(e: TlvError) -> Self {
        MsgError::Tlv(e)
    }
}

impl From<BuildError> for MsgError {
    fn from(e: BuildError) -> Self {
        MsgError::Build(e)
    }
}

/// Firmware versions reported in `FW_CAP_RESP` (and so by
/// `devlink dev info`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FwVersions {
    /// Running management firmware (`fw`).
    pub running: u32,
    /// Its commit (`fw.commit`).
    pub commit: String,
    /// Management firmware in flash (`fw` stored).
    pub stored: u32,
    /// Running bootloader (`fw.bootloader`).
    pub cmrt: u32,
    /// Bootloader in flash.
    pub stored_cmrt: u32,
    /// UEFI driver in flash (`fw.undi` stored).
    pub uefi: u32,
}

impl Default for FwVersions {
    fn default() -> Self {
        let v = |a, b, c| cap_resp::FwVersion::new(a, b, c, 0).0;
        FwVersions {
            // Newer than every gate in the driver (logs: 0.12.9, log
            // history: 25.5.7).
            running: v(25, 6, 1),
            commit: "fbnic-emu".into(),
            stored: v(25, 6, 1),
            cmrt: v(25, 3, 0),
            stored_cmrt: v(25, 3, 0),
            uefi: v(1, 2, 0),
        }
    }
}

/// Sensor readings for `TSENE_READ_RESP`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sensors {
    /// Die temperature, millidegrees Celsius.
    pub millidegrees: i32,
    /// Core voltage, millivolts.
    pub millivolts: i32,
    /// If set, the read fails with this (positive) errno.
    pub error: Option<i32>,
}

impl Default for Sensors {
    fn default() -> Self {
        Sensors {
            millidegrees: 45_000,
            millivolts: 750,
            error: None,
        }
    }
}

/// An image being received through `FW_WRITE_CHUNK` messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Upgrade {
    /// Flash section (`QSPI_SECTION_*`).
    pub section: u32,
    /// Total image bytes.
    pub size: u32,
    /// The chunk last requested: (offset, length).
    pub requested: (u32, u32),
    /// The image so far.
    pub data: Vec<u8>,
}

/// A completed flash write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flashed {
    pub section: u32,
    pub size: u32,
    /// FNV-1a of the image, to tell images apart in logs and `status`.
    pub fnv1a: u64,
}

/// Mutable firmware state besides the rings.
pub(crate) struct FwState {
    pub(crate) versions: FwVersions,
    pub(crate) sensors: Sensors,
    pub(crate) owned: bool,
    pub(crate) ownership_takes: u64,
    /// The firmware's log, and whether the host gets it.
    pub(crate) log: FwLog,
    pub(crate) upgrade: Option<Upgrade>,
    pub(crate) flashed: Vec<Flashed>,
}

impl FwState {
    pub(crate) fn new() -> Self {
        let versions = FwVersions::default();
        let log = booted_log(&versions);
        FwState {
            versions,
            sensors: Sensors::default(),
            owned: false,
            ownership_takes: 0,
            log,
            upgrade: None,
            flashed: Vec::new(),
        }
    }

    /// Host-visible session state goes; configuration, sensors and the
    /// flash contents stay.
    pub(crate) fn reset(&mut self) {
        self.owned = false;
        self.log.enabled = false;
        self.upgrade = None;
    }

    /// Notes `text` in the firmware log at uptime `ms`, and adds the
    /// message that forwards it to `out` if the host gets the log.
    fn note(&mut self, ms: u64, text: String, out: &mut Vec<Vec<u8>>) -> Result<(), MsgError> {
        out.extend(self.log.note(ms, text)?);
        Ok(())
    }
}

/// The log at power-on: the boot lines.
fn booted_log(v: &FwVersions) -> FwLog {
    let mut log = FwLog::default();
    let version = |w| {
        let w = cap_resp::FwVersion(w);
        format!("{}.{}.{}", w.major(), w.minor(), w.patch())
    };
    // Cannot fail: forwarding is off, nothing is built.
    let _ = log.note(0, "fbnic-emu firmware booted".into());
    let _ = log.note(
        0,
        format!(
            "running firmware {} ({}), bootloader {}",
            version(v.running),
            v.commit,
            version(v.cmrt)
        ),
    );
    log
}

/// Builds one message of at most a page.
pub(crate) fn build(
    id: u16,
    fill: impl FnOnce(&mut MsgBuilder<'_>) -> Result<(), BuildError>,
) -> Result<Vec<u8>, MsgError> {
    let mut buf = vec![0u8; PAGE_SIZE];
    let mut b = MsgBuilder::new(&mut buf, id)?;
    fill(&mut b)?;
    let len = b.len();
    buf.truncate(len);
    Ok(buf)
}

#[cfg(test)]
pub(crate) fn fnv1a_for_tests(data: &[u8]) -> u64 {
    fnv1a(data)
}

fn fnv1a(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The synthetic coredump: a recognisable header, then a byte pattern
/// derived from the offset so that a reassembly error shows.
pub fn coredump_bytes(offset: u32, len: u32) -> Vec<u8> {
    const HEADER: &[u8] = b"fbnic-emu firmware coredump v1\n";
    (offset..offset.saturating_add(len))
        .map(|i| {
            HEADER
                .get(i as usize)
                .copied()
                .unwrap_or((i.wrapping_mul(31) >> 3) as u8)
        })
        .collect()
}

/// Handles request `m`; returns the messages to send back (in order).
pub fn handle(fw: &Firmware, dev: &FbnicDevice, m: &Message<'_>) -> Result<Vec<Vec<u8>>, MsgError> {
    let id = m.id();
    let schema = tlv::host_to_fw_schema(id).ok_or(MsgError::Unknown(id))?;
    let attrs = m.attrs(schema)?;
    let mut st = super::lock(&fw.state);
    let reply = match id {
        msg::TEST => {
            // The driver checks the echoed attributes against what it
            // sent; the schema check above already validated them.
            vec![m.as_bytes().to_vec()]
        }
        msg::HOST_CAP_REQ => {
            let v = st.versions.clone();
            let link = dev.link().config();
            vec![build(msg::FW_CAP_RESP, |b| {
                b.put_u32(cap_resp::VERSION, v.running)?;
                b.put_string(cap_resp::VERSION_COMMIT_STR, v.commit.as_bytes())?;
                b.put_u32(cap_resp::STORED_VERSION, v.stored)?;
                b.put_u32(cap_resp::ACTIVE_FW_SLOT, 0)?;
                let (speed, fec) = link.hw().to_fw();
                b.put_u32(cap_resp::FW_LINK_SPEED, speed)?;
                b.put_u32(cap_resp::FW_LINK_FEC, fec)?;
                b.put_string(cap_resp::STORED_COMMIT_STR, v.commit.as_bytes())?;
                b.put_u32(cap_resp::CMRT_VERSION, v.cmrt)?;
                b.put_u32(cap_resp::STORED_CMRT_VERSION, v.stored_cmrt)?;
                b.put_u32(cap_resp::UEFI_VERSION, v.uefi)?;
                if let Some(bmc) = dev.bmc() {
                    b.put_flag(cap_resp::BMC_PRESENT)?;
                    b.nested(cap_resp::BMC_MAC_ARRAY, |n| {
                        bmc.config()
                            .macs
                            .iter()
                            .try_for_each(|m| n.put_mac(cap_resp::BMC_MAC_ADDR, &m.0))
                    })?;
                    b.put_u32(cap_resp::BMC_ALL_MULTI, u32::from(bmc.config().all_multi))?;
                }
                Ok(())
            })?]
        }
        msg::OWNERSHIP_REQ => {
            let take = attrs.flag(ownership::FLAG);
            if take && !st.owned {
                st.ownership_takes += 1;
            }
            st.owned = take;
            info!("host {} ownership", if take { "takes" } else { "releases" });
            if take {
                // Lock order: firmware state, then link.
                dev.link().host_took_ownership(st.ownership_takes == 1);
            }
            let t = fw.uptime_ms();
            let mut out = vec![build(msg::OWNERSHIP_RESP, |b| {
                b.put_u64(ownership::TIME, t)
            })?];
            let what = if take { "took" } else { "released" };
            st.note(t, format!("host {what} ownership"), &mut out)?;
            out
        }
        msg::HEARTBEAT_REQ => {
            if fw.faults().heartbeat_stopped {
                debug!("heartbeat ignored (stopped by fault injection)");
                Vec::new()
            } else {
                let t = fw.uptime_ms();
                vec![build(msg::HEARTBEAT_RESP, |b| {
                    b.put_u64(heartbeat::UPTIME, t)
                })?]
            }
        }
        msg::LOG_SEND_LOGS_REQ => {
            let enable = attrs.flag(send_logs::SEND_LOGS);
            if enable {
                let version = attrs.u32(send_logs::VERSION).unwrap_or(0);
                if version != send_logs::LOG_VERSION {
                    return Err(MsgError::Invalid(format!(
                        "log format version {version} asked, firmware speaks {}",
                        send_logs::LOG_VERSION
                    )));
                }
            }
            if enable {
                // The lines kept so far, if asked for, then this one.
                let mut out = st.log.enable(attrs.flag(send_logs::HISTORY))?;
                let text = format!(
                    "fbnic-emu firmware: logging to the host enabled, link {}",
                    dev.link().config()
                );
                st.note(fw.uptime_ms(), text, &mut out)?;
                out
            } else {
                st.log.enabled = false;
                Vec::new()
            }
        }
        msg::TSENE_READ_REQ => {
            let s = st.sensors;
            vec![build(msg::TSENE_READ_RESP, |b| match s.error {
                Some(e) => b.put_s32(tsene::ERROR, -e),
                None => {
                    b.put_s32(tsene::THERM, s.millidegrees)?;
                    b.put_s32(tsene::VOLT, s.millivolts)
                }
            })?]
        }
        msg::QSFP_READ_REQ => {
            let get = |a| attrs.u32(a).unwrap_or(0);
            let (bank, page, offset, length) = (
                get(qsfp::BANK),
                get(qsfp::PAGE),
                get(qsfp::OFFSET),
                get(qsfp::LENGTH),
            );
            let data = super::qsfp::read(dev.link().config().speed, bank, page, offset, length);
            if let Err(e) = &data {
                debug!("QSFP read bank {bank} page {page} offset {offset} length {length}: {e}");
            }
            vec![build(msg::QSFP_READ_RESP, |b| {
                b.put_u32(qsfp::BANK, bank)?;
                b.put_u32(qsfp::PAGE, page)?;
                b.put_u32(qsfp::OFFSET, offset)?;
                b.put_u32(qsfp::LENGTH, length)?;
                match &data {
                    Ok(bytes) => b.put_bytes(qsfp::DATA, bytes),
                    Err(_) => b.put_s32(qsfp::ERROR, -EINVAL),
                }
            })?]
        }
        msg::COREDUMP_GET_INFO_REQ => {
            vec![build(msg::COREDUMP_GET_INFO_RESP, |b| {
                b.put_flag(coredump_info::AVAILABLE)?;
                b.put_u32(coredump_info::SIZE, COREDUMP_SIZE)
            })?]
        }
        msg::COREDUMP_READ_REQ => {
            let offset = attrs.u32(coredump_read::OFFSET).unwrap_or(0);
            let length = attrs.u32(coredump_read::LENGTH).unwrap_or(0);
            let ok = length != 0
                && length <= u32::from(tlv::RAW_DATA_MAX)
                && offset
                    .checked_add(length)
                    .is_some_and(|end| end <= COREDUMP_SIZE);
            vec![build(msg::COREDUMP_READ_RESP, |b| {
                b.put_u32(coredump_read::OFFSET, offset)?;
                b.put_u32(coredump_read::LENGTH, length)?;
                if ok {
                    b.put_bytes(coredump_read::DATA, &coredump_bytes(offset, length))
                } else {
                    b.put_s32(coredump_read::ERROR, -EINVAL)
                }
            })?]
        }
        msg::FW_START_UPGRADE_REQ => {
            let section = attrs.u32(start_upgrade::SECTION);
            let size = attrs.u32(start_upgrade::IMAGE_LENGTH).unwrap_or(0);
            let err = match section {
                None => Some(EINVAL),
                Some(_) if size == 0 || size > MAX_IMAGE => Some(EINVAL),
                Some(s)
                    if ![
                        start_upgrade::QSPI_SECTION_CMRT,
                        start_upgrade::QSPI_SECTION_CONTROL_FW,
                        start_upgrade::QSPI_SECTION_OPTION_ROM,
                    ]
                    .contains(&s) =>
                {
                    Some(EINVAL)
                }
                Some(_) if st.upgrade.is_some() => Some(EBUSY),
                Some(_) => None,
            };
            let resp = build(msg::FW_START_UPGRADE_RESP, |b| {
                b.put_s32(start_upgrade::ERROR, -err.unwrap_or(0))
            })?;
            match (err, section) {
                (None, Some(section)) => {
                    let first = size.min(UPGRADE_CHUNK);
                    info!("firmware upgrade of section {section}: {size} bytes");
                    st.upgrade = Some(Upgrade {
                        section,
                        size,
                        requested: (0, first),
                        // Grows as the chunks come.
                        data: Vec::with_capacity(first as usize),
                    });
                    let mut out = vec![resp, chunk_request(0, first)?];
                    let text = format!("flash update of section {section}: {size} bytes");
                    st.note(fw.uptime_ms(), text, &mut out)?;
                    out
                }
                _ => {
                    warn!("refusing firmware upgrade (section {section:?}, {size} bytes)");
                    let mut out = vec![resp];
                    let text = format!("flash update of section {section:?} refused");
                    st.note(fw.uptime_ms(), text, &mut out)?;
                    out
                }
            }
        }
        msg::FW_WRITE_CHUNK_RESP => {
            let Some(up) = st.upgrade.as_mut() else {
                return Err(MsgError::Invalid("image chunk without an upgrade".into()));
            };
            if let Some(e) = attrs.s32(write_chunk::ERROR).filter(|&e| e != 0) {
                warn!("host cancelled the firmware upgrade: error {e}");
                st.upgrade = None;
                let mut out = Vec::new();
                let text = format!("flash update cancelled by the host: error {e}");
                st.note(fw.uptime_ms(), text, &mut out)?;
                return Ok(out);
            }
            let offset = attrs.u32(write_chunk::OFFSET);
            let length = attrs.u32(write_chunk::LENGTH);
            let data = attrs.get(write_chunk::DATA).map(|a| a.bytes());
            let (want_off, want_len) = up.requested;
            let valid = offset == Some(want_off)
                && length == Some(want_len)
                && data.is_some_and(|d| d.len() == want_len as usize);
            if !valid {
                // A protocol error: tell the host the update failed.
                warn!(
                    "chunk {offset:?}+{length:?} ({} bytes) does not answer the request {want_off}+{want_len}",
                    data.map_or(0, <[u8]>::len)
                );
                st.upgrade = None;
                return Ok(vec![build(msg::FW_FINISH_UPGRADE_REQ, |b| {
                    b.put_s32(finish_upgrade::ERROR, -EINVAL)
                })?]);
            }
            up.data.extend_from_slice(data.unwrap_or(&[]));
            let next = want_off + want_len;
            if next < up.size {
                let len = (up.size - next).min(UPGRADE_CHUNK);
                up.requested = (next, len);
                vec![chunk_request(next, len)?]
            } else {
                let f = Flashed {
                    section: up.section,
                    size: up.size,
                    fnv1a: fnv1a(&up.data),
                };
                info!(
                    "firmware upgrade of section {} complete: {} bytes, fnv1a {:#018x}",
                    f.section, f.size, f.fnv1a
                );
                let text = format!(
                    "flash update of section {} complete: {} bytes, fnv1a {:#018x}",
                    f.section, f.size, f.fnv1a
                );
                st.flashed.push(f);
                st.upgrade = None;
                let mut out = vec![build(msg::FW_FINISH_UPGRADE_REQ, |b| {
                    b.put_s32(finish_upgrade::ERROR, 0)
                })?];
                st.note(fw.uptime_ms(), text, &mut out)?;
                out
            }
        }
        msg::RPC_MAC_SYNC_REQ => {
            let list = |id: u16| -> Result<Vec<MacAddr>, MsgError> {
                let Some(array) =
                    attrs.array(id, rpc_mac_sync::MAC_ADDR, rpc_mac_sync::REQ_SCHEMA)?
                else {
                    return Ok(Vec::new());
                };
                // The schema checked that each element is a MAC address.
                Ok(array.iter().filter_map(|a| a.mac()).map(MacAddr).collect())
            };
            let sync = HostSync {
                uc: list(rpc_mac_sync::UC_ARRAY)?,
                mc: list(rpc_mac_sync::MC_ARRAY)?,
                flags: attrs.u32(rpc_mac_sync::RX_FLAGS).unwrap_or(0),
            };
            if sync.uc.len() > rpc_mac_sync::UC_ARRAY_SIZE
                || sync.mc.len() > rpc_mac_sync::MC_ARRAY_SIZE
            {
                return Err(MsgError::Invalid(format!(
                    "MAC sync with {} unicast and {} multicast addresses (at most {} each)",
                    sync.uc.len(),
                    sync.mc.len(),
                    rpc_mac_sync::UC_ARRAY_SIZE
                )));
            }
            match dev.bmc() {
                Some(bmc) => {
                    info!("host MAC sync: {sync}");
                    bmc.host_synced(sync);
                }
                None => debug!("host synced its MAC filters (no BMC here)"),
            }
            Vec::new()
        }
        other => return Err(MsgError::Unknown(other)),
    };
    drop(st);
    Ok(reply)
}

fn chunk_request(offset: u32, length: u32) -> Result<Vec<u8>, MsgError> {
    build(msg::FW_WRITE_CHUNK_REQ, |b| {
        b.put_u32(write_chunk::OFFSET, offset)?;
        b.put_u32(write_chunk::LENGTH, length)
    })
}
