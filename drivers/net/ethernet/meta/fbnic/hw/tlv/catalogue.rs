// SPDX-License-Identifier: GPL-2.0

//! The message catalogue: the ID of every message and, per message, the
//! IDs and schemas of its attributes, with the parser tables that map a
//! message ID to its schema.

use super::{
    AttrSpec,
    Schema, //
};

/// Message IDs (`FBNIC_TLV_MSG_ID_*`). `REQ` messages go host to firmware
/// and `RESP` back, except where noted.
pub mod msg {
    /// Codec self-test: the host sends [`super::test`] data, the firmware
    /// echoes it back.
    pub const TEST: u16 = 0x00;
    /// Host asks for capabilities (no attributes); answered by `FW_CAP_RESP`.
    pub const HOST_CAP_REQ: u16 = 0x10;
    /// Firmware capabilities ([`super::cap_resp`]).
    pub const FW_CAP_RESP: u16 = 0x11;
    /// Host takes (flag set) or releases ownership ([`super::ownership`]).
    pub const OWNERSHIP_REQ: u16 = 0x12;
    /// Ownership acknowledged.
    pub const OWNERSHIP_RESP: u16 = 0x13;
    /// Host liveness probe (no attributes).
    pub const HEARTBEAT_REQ: u16 = 0x14;
    /// Firmware liveness answer ([`super::heartbeat`]).
    pub const HEARTBEAT_RESP: u16 = 0x15;
    /// Ask whether a coredump exists ([`super::coredump_info`]).
    pub const COREDUMP_GET_INFO_REQ: u16 = 0x18;
    /// Coredump availability and size.
    pub const COREDUMP_GET_INFO_RESP: u16 = 0x19;
    /// Read a piece of the coredump ([`super::coredump_read`]).
    pub const COREDUMP_READ_REQ: u16 = 0x20;
    /// A piece of the coredump.
    pub const COREDUMP_READ_RESP: u16 = 0x21;
    /// Begin a flash update ([`super::start_upgrade`]).
    pub const FW_START_UPGRADE_REQ: u16 = 0x22;
    /// Flash update accepted or refused.
    pub const FW_START_UPGRADE_RESP: u16 = 0x23;
    /// **Firmware to host**: send me this chunk of the image
    /// ([`super::write_chunk`]).
    pub const FW_WRITE_CHUNK_REQ: u16 = 0x24;
    /// **Host to firmware**: the chunk (or an error cancelling the update).
    pub const FW_WRITE_CHUNK_RESP: u16 = 0x25;
    /// **Firmware to host**: the update finished ([`super::finish_upgrade`]).
    pub const FW_FINISH_UPGRADE_REQ: u16 = 0x28;
    /// Host acknowledgment of the finish (unused by the C driver).
    pub const FW_FINISH_UPGRADE_RESP: u16 = 0x29;
    /// Read module EEPROM ([`super::qsfp`]).
    pub const QSFP_READ_REQ: u16 = 0x38;
    /// Module EEPROM data.
    pub const QSFP_READ_RESP: u16 = 0x39;
    /// Read temperature and voltage (no attributes).
    pub const TSENE_READ_REQ: u16 = 0x3c;
    /// Sensor readings ([`super::tsene`]).
    pub const TSENE_READ_RESP: u16 = 0x3d;
    /// Enable/disable firmware log forwarding ([`super::send_logs`]).
    pub const LOG_SEND_LOGS_REQ: u16 = 0x43;
    /// **Firmware to host**: log lines ([`super::log_msg`]).
    pub const LOG_MSG_REQ: u16 = 0x44;
    /// Host acknowledgment of log lines (unused by the C driver).
    pub const LOG_MSG_RESP: u16 = 0x45;
    /// Host tells the firmware its RX filter set ([`super::rpc_mac_sync`]).
    pub const RPC_MAC_SYNC_REQ: u16 = 0x46;
}

/// Attributes of `FW_CAP_RESP` and firmware version helpers.
pub mod cap_resp {
    use super::AttrSpec;

    /// Running management firmware version (u32, see [`FwVersion`]); 0 or
    /// below [`MIN_FW_VER_CODE`] fails probe.
    pub const VERSION: u16 = 0x0;
    /// A BMC is present (flag).
    pub const BMC_PRESENT: u16 = 0x1;
    /// BMC MAC address (element of `BMC_MAC_ARRAY`).
    pub const BMC_MAC_ADDR: u16 = 0x2;
    /// Up to 4 BMC MAC addresses (array of `BMC_MAC_ADDR`), required when
    /// `BMC_PRESENT`.
    pub const BMC_MAC_ARRAY: u16 = 0x3;
    /// Stored (next boot) management firmware version.
    pub const STORED_VERSION: u16 = 0x4;
    /// Active flash slot.
    pub const ACTIVE_FW_SLOT: u16 = 0x5;
    /// Running firmware commit (string).
    pub const VERSION_COMMIT_STR: u16 = 0x6;
    /// The BMC wants all multicast (u32).
    pub const BMC_ALL_MULTI: u16 = 0x8;
    /// Firmware state (not parsed by the C driver).
    pub const FW_STATE: u16 = 0x9;
    /// Link mode ([`LINK_MODE_25CR`] ..).
    pub const FW_LINK_SPEED: u16 = 0xa;
    /// FEC mode ([`LINK_FEC_NONE`] ..).
    pub const FW_LINK_FEC: u16 = 0xb;
    /// Stored firmware commit.
    pub const STORED_COMMIT_STR: u16 = 0xc;
    /// Running bootloader (CMRT) version.
    pub const CMRT_VERSION: u16 = 0xd;
    /// Stored bootloader version.
    pub const STORED_CMRT_VERSION: u16 = 0xe;
    /// Running bootloader commit.
    pub const CMRT_COMMIT_STR: u16 = 0xf;
    /// Stored bootloader commit.
    pub const STORED_CMRT_COMMIT_STR: u16 = 0x10;
    /// UEFI driver (UNDI) version.
    pub const UEFI_VERSION: u16 = 0x11;
    /// UEFI driver commit.
    pub const UEFI_COMMIT_STR: u16 = 0x12;
    /// Anti-rollback version.
    pub const ANTI_ROLLBACK_VERSION: u16 = 0x15;

    /// 25GBASE-CR, one lane.
    pub const LINK_MODE_25CR: u32 = 1;
    /// 50GBASE-CR2 (LAUI-2).
    pub const LINK_MODE_50CR2: u32 = 2;
    /// 50GBASE-CR, one lane.
    pub const LINK_MODE_50CR: u32 = 3;
    /// 100GBASE-CR2.
    pub const LINK_MODE_100CR2: u32 = 4;
    /// No FEC.
    pub const LINK_FEC_NONE: u32 = 1;
    /// Reed-Solomon FEC.
    pub const LINK_FEC_RS: u32 = 2;
    /// BASE-R (Fire Code) FEC.
    pub const LINK_FEC_BASER: u32 = 3;

    /// Room for a version string (`FBNIC_FW_VER_MAX_SIZE`, = ethtool's).
    pub const FW_VER_MAX_SIZE: u16 = 32;
    /// Largest commit string, NUL included: what is left of a version
    /// string after "XX.YY.ZZ_RRR_" (`FBNIC_FW_CAP_RESP_COMMIT_MAX_SIZE`).
    pub const COMMIT_MAX_SIZE: u16 = FW_VER_MAX_SIZE - 13;

    /// Attributes the host parses (`fbnic_fw_cap_resp_index`).
    pub const SCHEMA: &[AttrSpec] = &[
        AttrSpec::u32(VERSION),
        AttrSpec::flag(BMC_PRESENT),
        AttrSpec::mac(BMC_MAC_ADDR),
        AttrSpec::array(BMC_MAC_ARRAY),
        AttrSpec::u32(STORED_VERSION),
        AttrSpec::u32(ACTIVE_FW_SLOT),
        AttrSpec::string(VERSION_COMMIT_STR, COMMIT_MAX_SIZE),
        AttrSpec::u32(BMC_ALL_MULTI),
        AttrSpec::u32(FW_LINK_SPEED),
        AttrSpec::u32(FW_LINK_FEC),
        AttrSpec::string(STORED_COMMIT_STR, COMMIT_MAX_SIZE),
        AttrSpec::u32(CMRT_VERSION),
        AttrSpec::u32(STORED_CMRT_VERSION),
        AttrSpec::string(CMRT_COMMIT_STR, COMMIT_MAX_SIZE),
        AttrSpec::string(STORED_CMRT_COMMIT_STR, COMMIT_MAX_SIZE),
        AttrSpec::u32(UEFI_VERSION),
        AttrSpec::string(UEFI_COMMIT_STR, COMMIT_MAX_SIZE),
        AttrSpec::u32(ANTI_ROLLBACK_VERSION),
    ];

    /// A firmware version word: major 31:24, minor 23:16, patch 15:8,
    /// build 7:0, so versions compare as plain integers.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
    pub struct FwVersion(pub u32);

    impl FwVersion {
        /// The version word for `major.minor.patch-build` (`FW_VER_CODE`).
        pub const fn new(major: u8, minor: u8, patch: u8, build: u8) -> Self {
            Self((major as u32) << 24 | (minor as u32) << 16 | (patch as u32) << 8 | build as u32)
        }
        /// Major number.
        pub const fn major(self) -> u8 {
            (self.0 >> 24) as u8
        }
        /// Minor number.
        pub const fn minor(self) -> u8 {
            (self.0 >> 16) as u8
        }
        /// Patch number.
        pub const fn patch(self) -> u8 {
            (self.0 >> 8) as u8
        }
        /// Build number.
        pub const fn build(self) -> u8 {
            self.0 as u8
        }
    }

    /// Oldest firmware the driver accepts (`MIN_FW_VER_CODE`, 0.10.6-0).
    pub const MIN_FW_VER_CODE: FwVersion = FwVersion::new(0, 10, 6, 0);
    /// Oldest firmware with log forwarding (`MIN_FW_VER_CODE_LOG`, 0.12.9-0).
    pub const MIN_FW_VER_CODE_LOG: FwVersion = FwVersion::new(0, 12, 9, 0);
    /// Oldest firmware whose log history can be requested safely
    /// (`MIN_FW_VER_CODE_HIST`, 25.5.7-0).
    pub const MIN_FW_VER_CODE_HIST: FwVersion = FwVersion::new(25, 5, 7, 0);
}

/// Attributes of `OWNERSHIP_REQ` / `OWNERSHIP_RESP`.
pub mod ownership {
    use super::AttrSpec;
    /// Request: present to take ownership, absent to release it (flag).
    pub const FLAG: u16 = 0x0;
    /// Response: firmware time (u64), counted as a heartbeat.
    pub const TIME: u16 = 0x1;
    /// What the host sends.
    pub const REQ_SCHEMA: &[AttrSpec] = &[AttrSpec::flag(FLAG)];
    /// What the host parses (`fbnic_ownership_resp_index`).
    pub const RESP_SCHEMA: &[AttrSpec] = &[AttrSpec::u64(TIME)];
}

/// Attributes of `HEARTBEAT_RESP`.
pub mod heartbeat {
    use super::AttrSpec;
    /// Firmware uptime (u64); going backwards means the firmware restarted.
    pub const UPTIME: u16 = 0x0;
    /// Number of messages (not parsed by the C driver).
    pub const NUMBER_OF_MESSAGES: u16 = 0x1;
    /// What the host parses (`fbnic_heartbeat_resp_index`).
    pub const RESP_SCHEMA: &[AttrSpec] = &[AttrSpec::u64(UPTIME)];
}

/// Attributes of `COREDUMP_GET_INFO_REQ` / `_RESP`.
pub mod coredump_info {
    use super::AttrSpec;
    /// Request: create a coredump if none exists (flag).
    pub const REQ_CREATE: u16 = 0x0;
    /// Response: a coredump is available (flag).
    pub const AVAILABLE: u16 = 0x0;
    /// Response: its size in bytes (u32).
    pub const SIZE: u16 = 0x1;
    /// Response: error (s32, 0 = none).
    pub const ERROR: u16 = 0x2;
    /// What the host sends.
    pub const REQ_SCHEMA: &[AttrSpec] = &[AttrSpec::flag(REQ_CREATE)];
    /// What the host parses (`fbnic_coredump_info_resp_index`).
    pub const RESP_SCHEMA: &[AttrSpec] = &[
        AttrSpec::flag(AVAILABLE),
        AttrSpec::u32(SIZE),
        AttrSpec::s32(ERROR),
    ];
}

/// Attributes of `COREDUMP_READ_REQ` / `_RESP`.
pub mod coredump_read {
    use super::AttrSpec;
    /// Offset into the dump (u32; omitted when 0).
    pub const OFFSET: u16 = 0x0;
    /// Bytes wanted / sent (u32; omitted when 0 in the request).
    pub const LENGTH: u16 = 0x1;
    /// Response: the data (raw, at most [`super::super::RAW_DATA_MAX`]).
    pub const DATA: u16 = 0x2;
    /// Response: error (s32).
    pub const ERROR: u16 = 0x3;
    /// What the host sends.
    pub const REQ_SCHEMA: &[AttrSpec] = &[AttrSpec::u32(OFFSET), AttrSpec::u32(LENGTH)];
    /// What the host parses (`fbnic_coredump_resp_index`).
    pub const RESP_SCHEMA: &[AttrSpec] = &[
        AttrSpec::u32(OFFSET),
        AttrSpec::u32(LENGTH),
        AttrSpec::raw_data(DATA),
        AttrSpec::s32(ERROR),
    ];
}

/// Attributes of `FW_START_UPGRADE_REQ` / `_RESP`.
pub mod start_upgrade {
    use super::AttrSpec;
    /// Response: error (s32).
    pub const ERROR: u16 = 0x0;
    /// Request: flash section to write (u32, `QSPI_SECTION_*`).
    pub const SECTION: u16 = 0x1;
    /// Request: image length in bytes (u32, nonzero).
    pub const IMAGE_LENGTH: u16 = 0x2;
    /// Section: CMRT (bootloader).
    pub const QSPI_SECTION_CMRT: u32 = 0;
    /// Section: control firmware.
    pub const QSPI_SECTION_CONTROL_FW: u32 = 1;
    /// Section: microcode.
    pub const QSPI_SECTION_UCODE: u32 = 2;
    /// Section: option ROM.
    pub const QSPI_SECTION_OPTION_ROM: u32 = 3;
    /// Section: user data.
    pub const QSPI_SECTION_USER: u32 = 4;
    /// What the host sends.
    pub const REQ_SCHEMA: &[AttrSpec] = &[AttrSpec::u32(SECTION), AttrSpec::u32(IMAGE_LENGTH)];
    /// What the host parses (`fbnic_fw_start_upgrade_resp_index`).
    pub const RESP_SCHEMA: &[AttrSpec] = &[AttrSpec::s32(ERROR)];
}

/// Attributes of `FW_WRITE_CHUNK_REQ` (firmware to host) and
/// `FW_WRITE_CHUNK_RESP` (host to firmware).
pub mod write_chunk {
    use super::AttrSpec;
    /// Image offset of the chunk (u32).
    pub const OFFSET: u16 = 0x0;
    /// Chunk length (u32; at most [`super::super::RAW_DATA_MAX`]).
    pub const LENGTH: u16 = 0x1;
    /// Host answer: the chunk bytes (raw).
    pub const DATA: u16 = 0x2;
    /// Host answer: nonzero errno cancels the update (s32).
    pub const ERROR: u16 = 0x3;
    /// What the firmware sends and the host parses
    /// (`fbnic_fw_write_chunk_req_index`).
    pub const REQ_SCHEMA: &[AttrSpec] = &[AttrSpec::u32(OFFSET), AttrSpec::u32(LENGTH)];
    /// What the host answers.
    pub const RESP_SCHEMA: &[AttrSpec] = &[
        AttrSpec::u32(OFFSET),
        AttrSpec::u32(LENGTH),
        AttrSpec::raw_data(DATA),
        AttrSpec::s32(ERROR),
    ];
}

/// Attributes of `FW_FINISH_UPGRADE_REQ` (firmware to host).
pub mod finish_upgrade {
    use super::AttrSpec;
    /// Result of the update (s32, 0 = success).
    pub const ERROR: u16 = 0x0;
    /// What the host parses (`fbnic_fw_finish_upgrade_req_index`).
    pub const REQ_SCHEMA: &[AttrSpec] = &[AttrSpec::s32(ERROR)];
}

/// Attributes of `QSFP_READ_REQ` / `_RESP`.
pub mod qsfp {
    use super::AttrSpec;
    /// EEPROM bank (u32); echoed.
    pub const BANK: u16 = 0x0;
    /// EEPROM page (u32); echoed.
    pub const PAGE: u16 = 0x1;
    /// Offset in the page (u32); echoed.
    pub const OFFSET: u16 = 0x2;
    /// Bytes (u32, 1..=[`super::super::RAW_DATA_MAX`]); echoed.
    pub const LENGTH: u16 = 0x3;
    /// Response: error (s32).
    pub const ERROR: u16 = 0x4;
    /// Response: the EEPROM bytes (raw).
    pub const DATA: u16 = 0x5;
    /// What the host sends.
    pub const REQ_SCHEMA: &[AttrSpec] = &[
        AttrSpec::u32(BANK),
        AttrSpec::u32(PAGE),
        AttrSpec::u32(OFFSET),
        AttrSpec::u32(LENGTH),
    ];
    /// What the host parses (`fbnic_qsfp_read_resp_index`).
    pub const RESP_SCHEMA: &[AttrSpec] = &[
        AttrSpec::u32(BANK),
        AttrSpec::u32(PAGE),
        AttrSpec::u32(OFFSET),
        AttrSpec::u32(LENGTH),
        AttrSpec::raw_data(DATA),
        AttrSpec::s32(ERROR),
    ];
}

/// Attributes of `TSENE_READ_RESP`.
pub mod tsene {
    use super::AttrSpec;
    /// Temperature in millidegrees Celsius (s32).
    pub const THERM: u16 = 0x0;
    /// Voltage in millivolts (s32).
    pub const VOLT: u16 = 0x1;
    /// Error (s32).
    pub const ERROR: u16 = 0x2;
    /// What the host parses (`fbnic_tsene_read_resp_index`).
    pub const RESP_SCHEMA: &[AttrSpec] = &[
        AttrSpec::s32(THERM),
        AttrSpec::s32(VOLT),
        AttrSpec::s32(ERROR),
    ];
}

/// Attributes of `LOG_SEND_LOGS_REQ`.
pub mod send_logs {
    use super::AttrSpec;
    /// Enable forwarding (flag; absent = disable).
    pub const SEND_LOGS: u16 = 0x0;
    /// Log format version wanted (u32, [`LOG_VERSION`]).
    pub const VERSION: u16 = 0x1;
    /// Also send the buffered history (flag).
    pub const HISTORY: u16 = 0x2;
    /// The log format the C driver asks for (`FBNIC_FW_LOG_VERSION`).
    pub const LOG_VERSION: u32 = 1;
    /// What the host sends.
    pub const REQ_SCHEMA: &[AttrSpec] = &[
        AttrSpec::flag(SEND_LOGS),
        AttrSpec::u32(VERSION),
        AttrSpec::flag(HISTORY),
    ];
}

/// Attributes of `LOG_MSG_REQ` (firmware to host): one log line in the
/// plain attributes, plus `LENGTH` more in the three parallel arrays.
pub mod log_msg {
    use super::AttrSpec;
    /// Milliseconds timestamp (u32).
    pub const MSEC: u16 = 0x0;
    /// Sequence number (u64).
    pub const INDEX: u16 = 0x1;
    /// Text (string of at most [`LOG_MAX_SIZE`]).
    pub const MSG: u16 = 0x2;
    /// Number of array entries (u32, below [`MAX_LOG_HISTORY`]).
    pub const LENGTH: u16 = 0x3;
    /// Array of `MSEC`.
    pub const MSEC_ARRAY: u16 = 0x4;
    /// Array of `INDEX`.
    pub const INDEX_ARRAY: u16 = 0x5;
    /// Array of `MSG`.
    pub const MSG_ARRAY: u16 = 0x6;
    /// Largest log line, NUL included (`FBNIC_FW_LOG_MAX_SIZE`).
    pub const LOG_MAX_SIZE: u16 = 256;
    /// Most log lines in one message (`FBNIC_FW_MAX_LOG_HISTORY`).
    pub const MAX_LOG_HISTORY: u32 = 14;
    /// What the host parses (`fbnic_fw_log_req_index`).
    pub const REQ_SCHEMA: &[AttrSpec] = &[
        AttrSpec::u32(MSEC),
        AttrSpec::u64(INDEX),
        AttrSpec::string(MSG, LOG_MAX_SIZE),
        AttrSpec::u32(LENGTH),
        AttrSpec::array(MSEC_ARRAY),
        AttrSpec::array(INDEX_ARRAY),
        AttrSpec::array(MSG_ARRAY),
    ];
}

/// Attributes of `RPC_MAC_SYNC_REQ` (host to firmware, sent when a BMC is
/// present).
pub mod rpc_mac_sync {
    use super::AttrSpec;
    /// `RX_FLAGS_*` bits (u32).
    pub const RX_FLAGS: u16 = 0x0;
    /// Unicast addresses (array of `MAC_ADDR`, at most 8).
    pub const UC_ARRAY: u16 = 0x1;
    /// Multicast addresses (array of `MAC_ADDR`, at most 8).
    pub const MC_ARRAY: u16 = 0x2;
    /// Array element.
    pub const MAC_ADDR: u16 = 0x3;
    /// Host is promiscuous.
    pub const RX_FLAGS_PROMISC: u32 = 1;
    /// Host wants all multicast.
    pub const RX_FLAGS_ALLMULTI: u32 = 2;
    /// Host wants broadcast.
    pub const RX_FLAGS_BROADCAST: u32 = 4;
    /// Most unicast addresses sent (more turn on `PROMISC`).
    pub const UC_ARRAY_SIZE: usize = 8;
    /// Most multicast addresses sent (more turn on `ALLMULTI`).
    pub const MC_ARRAY_SIZE: usize = 8;
    /// What the host sends.
    pub const REQ_SCHEMA: &[AttrSpec] = &[
        AttrSpec::u32(RX_FLAGS),
        AttrSpec::array(UC_ARRAY),
        AttrSpec::array(MC_ARRAY),
        AttrSpec::mac(MAC_ADDR),
    ];
}

/// Attributes of the `TEST` message (`fbnic_tlv_test_index`): every type
/// once at the top level, again inside `NESTED`, and an array of MACs.
pub mod test {
    use super::AttrSpec;
    /// u64.
    pub const U64: u16 = 0;
    /// s64.
    pub const S64: u16 = 1;
    /// u32.
    pub const U32: u16 = 2;
    /// s32.
    pub const S32: u16 = 3;
    /// u16, sent as 4 bytes.
    pub const U16: u16 = 4;
    /// s16, sent as 4 bytes.
    pub const S16: u16 = 5;
    /// MAC address; also the element of `ARRAY`.
    pub const MAC_ADDR: u16 = 6;
    /// Flag that is sent.
    pub const FLAG_TRUE: u16 = 7;
    /// Flag that is not sent.
    pub const FLAG_FALSE: u16 = 8;
    /// String of at most [`STRING_LEN`] bytes.
    pub const STRING: u16 = 9;
    /// The same attributes again, nested.
    pub const NESTED: u16 = 10;
    /// Four MAC addresses.
    pub const ARRAY: u16 = 11;
    /// Size of the test string buffer, NUL included.
    pub const STRING_LEN: u16 = 32;
    /// The test message schema (used at top level and inside `NESTED`).
    pub const SCHEMA: &[AttrSpec] = &[
        AttrSpec::u64(U64),
        AttrSpec::s64(S64),
        AttrSpec::u32(U32),
        AttrSpec::s32(S32),
        AttrSpec::u32(U16),
        AttrSpec::s32(S16),
        AttrSpec::mac(MAC_ADDR),
        AttrSpec::flag(FLAG_TRUE),
        AttrSpec::flag(FLAG_FALSE),
        AttrSpec::string(STRING, STRING_LEN),
        AttrSpec::array(ARRAY),
        AttrSpec::nested(NESTED),
    ];
}

/// Schema the host uses for a firmware-to-host message, or `None` for a
/// message it does not handle (the C parser then fails with `-ENOENT`).
/// Mirrors `fbnic_fw_tlv_parser[]`.
pub fn fw_to_host_schema(msg_id: u16) -> Option<&'static Schema> {
    Some(match msg_id {
        msg::TEST => test::SCHEMA,
        msg::FW_CAP_RESP => cap_resp::SCHEMA,
        msg::OWNERSHIP_RESP => ownership::RESP_SCHEMA,
        msg::HEARTBEAT_RESP => heartbeat::RESP_SCHEMA,
        msg::COREDUMP_GET_INFO_RESP => coredump_info::RESP_SCHEMA,
        msg::COREDUMP_READ_RESP => coredump_read::RESP_SCHEMA,
        msg::FW_START_UPGRADE_RESP => start_upgrade::RESP_SCHEMA,
        msg::FW_WRITE_CHUNK_REQ => write_chunk::REQ_SCHEMA,
        msg::FW_FINISH_UPGRADE_REQ => finish_upgrade::REQ_SCHEMA,
        msg::QSFP_READ_RESP => qsfp::RESP_SCHEMA,
        msg::TSENE_READ_RESP => tsene::RESP_SCHEMA,
        msg::LOG_MSG_REQ => log_msg::REQ_SCHEMA,
        _ => return None,
    })
}

/// Schema of a host-to-firmware message as the C driver builds it, for a
/// firmware model; `None` for messages the host never sends.
pub fn host_to_fw_schema(msg_id: u16) -> Option<&'static Schema> {
    Some(match msg_id {
        msg::TEST => test::SCHEMA,
        msg::HOST_CAP_REQ | msg::HEARTBEAT_REQ | msg::TSENE_READ_REQ => &[],
        msg::OWNERSHIP_REQ => ownership::REQ_SCHEMA,
        msg::COREDUMP_GET_INFO_REQ => coredump_info::REQ_SCHEMA,
        msg::COREDUMP_READ_REQ => coredump_read::REQ_SCHEMA,
        msg::FW_START_UPGRADE_REQ => start_upgrade::REQ_SCHEMA,
        msg::FW_WRITE_CHUNK_RESP => write_chunk::RESP_SCHEMA,
        msg::QSFP_READ_REQ => qsfp::REQ_SCHEMA,
        msg::LOG_SEND_LOGS_REQ => send_logs::REQ_SCHEMA,
        msg::RPC_MAC_SYNC_REQ => rpc_mac_sync::REQ_SCHEMA,
        _ => return None,
    })
}
