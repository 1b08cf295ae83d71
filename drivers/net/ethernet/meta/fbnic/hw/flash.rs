// SPDX-License-Identifier: GPL-2.0

//! Firmware update and firmware log facts (`fbnic_devlink.c`,
//! `fbnic_fw_log.h`): the flash sections a PLDM package's components
//! name, what devlink calls them, the anti-rollback descriptor a package
//! record may carry, and how a firmware log line is shown.

use core::fmt;

use super::tlv::start_upgrade;

/// A flash section the firmware updates, named by a PLDM component's
/// identifier (`QSPI_SECTION_*`). The others (microcode, user data) are
/// not the host's to write: the C driver refuses them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// The bootloader (CMRT).
    Bootloader,
    /// The control (management) firmware.
    ControlFw,
    /// The option ROM with the UEFI driver.
    OptionRom,
}

impl Section {
    /// Every section the host may write, in the order `devlink dev info`
    /// lists their versions.
    pub const ALL: [Section; 3] = [Section::ControlFw, Section::Bootloader, Section::OptionRom];

    /// The section a PLDM component identifier names, if the host may
    /// write it.
    pub fn from_component(identifier: u16) -> Option<Self> {
        match u32::from(identifier) {
            start_upgrade::QSPI_SECTION_CMRT => Some(Self::Bootloader),
            start_upgrade::QSPI_SECTION_CONTROL_FW => Some(Self::ControlFw),
            start_upgrade::QSPI_SECTION_OPTION_ROM => Some(Self::OptionRom),
            _ => None,
        }
    }

    /// The section number for `FW_START_UPGRADE_REQ` (also the PLDM
    /// component identifier).
    pub fn id(self) -> u32 {
        match self {
            Self::Bootloader => start_upgrade::QSPI_SECTION_CMRT,
            Self::ControlFw => start_upgrade::QSPI_SECTION_CONTROL_FW,
            Self::OptionRom => start_upgrade::QSPI_SECTION_OPTION_ROM,
        }
    }

    /// The name the C driver gives the section in its progress messages.
    pub fn progress_name(self) -> &'static str {
        match self {
            Self::Bootloader => "boot1",
            Self::ControlFw => "boot2",
            Self::OptionRom => "option-rom",
        }
    }

    /// The devlink version the section holds (`fw`, `fw.bootloader`,
    /// `fw.undi`): the component name `devlink dev flash ... component`
    /// takes.
    pub fn devlink_name(self) -> &'static str {
        match self {
            Self::Bootloader => "fw.bootloader",
            Self::ControlFw => "fw",
            Self::OptionRom => "fw.undi",
        }
    }

    /// The section of devlink component `name`.
    pub fn from_devlink_name(name: &[u8]) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|s| s.devlink_name().as_bytes() == name)
    }
}

/// Seconds the firmware may take to accept an update, as the C driver
/// announces it ("Initializing").
pub const START_TIMEOUT_SECS: u64 = 15;

/// Title of the vendor-defined record descriptor that carries the
/// package's anti-rollback version.
const ANTI_ROLLBACK_TITLE: &[u8] = b"AntiRollbackVer";
/// Title string type of that descriptor: ASCII.
const TITLE_ASCII: u8 = 1;

/// The anti-rollback version in a vendor-defined record descriptor's data,
/// if the descriptor is the anti-rollback one: title type ASCII, title
/// length 15, "AntiRollbackVer", then the version, 32 bits little-endian
/// (`fbnic_pldm_match_record()`).
pub fn anti_rollback_version(data: &[u8]) -> Option<u32> {
    let title_len = ANTI_ROLLBACK_TITLE.len();
    let (&[kind, len], rest) = data.split_first_chunk::<2>()?;
    if kind != TITLE_ASCII || usize::from(len) != title_len {
        return None;
    }
    let (title, rest) = rest.split_at_checked(title_len)?;
    if title != ANTI_ROLLBACK_TITLE {
        return None;
    }
    let (version, _) = rest.split_first_chunk::<4>()?;
    Some(u32::from_le_bytes(*version))
}

/// Bytes of firmware log the host keeps (`FBNIC_FW_LOG_SIZE`): the oldest
/// lines go when the newest would not fit.
pub const LOG_SIZE: usize = 512 * 1024;

/// A firmware log line's timestamp, milliseconds since the firmware
/// started, shown as `DD:HH:MM:SS.mmm` like the C driver's debugfs file
/// (`FBNIC_FW_LOG_FMT`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LogTime(pub u32);

impl fmt::Display for LogTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.0;
        write!(
            f,
            "{:02}:{:02}:{:02}:{:02}.{:03}",
            ms / (1000 * 60 * 60 * 24),
            ms / (1000 * 60 * 60) % 24,
            ms / (1000 * 60) % 60,
            ms / 1000 % 60,
            ms % 1000
        )
    }
}

/// One line of the firmware log as the debugfs file shows it: index,
/// timestamp, text.
pub struct LogLine<'a> {
    /// The firmware's sequence number (0 for lines the driver adds).
    pub index: u64,
    /// When, in firmware milliseconds.
    pub msec: u32,
    /// The text, without its NUL.
    pub text: &'a str,
}

impl fmt::Display for LogLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "[{:5}] [{}] {}",
            self.index,
            LogTime(self.msec),
            self.text
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::{format, vec::Vec};

    #[test]
    fn sections() {
        for s in Section::ALL {
            assert_eq!(Section::from_component(s.id() as u16), Some(s));
            assert_eq!(
                Section::from_devlink_name(s.devlink_name().as_bytes()),
                Some(s)
            );
        }
        assert_eq!(Section::from_component(2), None, "microcode");
        assert_eq!(Section::from_component(4), None, "user data");
        assert_eq!(Section::from_devlink_name(b"fw.mgmt"), None);
    }

    #[test]
    fn anti_rollback() {
        let mut d: Vec<u8> = [1, 15].into();
        d.extend_from_slice(b"AntiRollbackVer");
        d.extend_from_slice(&7u32.to_le_bytes());
        assert_eq!(anti_rollback_version(&d), Some(7));
        assert_eq!(anti_rollback_version(&d[..20]), None, "short");
        d[0] = 2;
        assert_eq!(anti_rollback_version(&d), None, "not ASCII");
        assert_eq!(anti_rollback_version(&[]), None);
    }

    #[test]
    fn log_line() {
        let day = 24 * 3600 * 1000;
        let line = LogLine {
            index: 42,
            msec: day + 3_723_004,
            text: "hello",
        };
        assert_eq!(format!("{line}"), "[   42] [01:01:02:03.004] hello\n");
    }
}
