// SPDX-License-Identifier: GPL-2.0

//! Command line parsing.

use std::collections::HashSet;
use std::ffi::OsString;
use std::fmt;
use std::path::PathBuf;

use crate::bmc::BmcConfig;
use crate::control::{self, ControlOptions};
use crate::device::DeviceParams;
use crate::identity::{port_dsn, DEFAULT_DSN};

pub const USAGE: &str = "\
Usage: fbnic-emu --socket PATH [--socket PATH ...] [OPTIONS]
       fbnic-emu --ports N --socket-dir DIR [OPTIONS]
       fbnic-emu ctl CONTROL-SOCKET COMMAND...

Emulates fbnic NIC ports (PCI 1d9b:0013), one vfio-user server per port, for
QEMU's vfio-user-pci device. Each port gets its own socket and thread.

  --socket PATH      serve one port on the unix socket PATH (repeatable;
                     port i is the i-th --socket)
  --ports N          serve N ports on DIR/fbnic-port0.sock .. fbnic-port<N-1>.sock
  --socket-dir DIR   directory for --ports (created if missing)
  --dsn HEX          base PCIe Device Serial Number; port i gets HEX + i
                     (default 0x0200_5eff_fe00_1000: MAC 02:00:5e:00:10:<i>)
  --queues N         queue pairs per port, 1..=128 (default 8); the MSI-X
                     table has N + 3 vectors
  --queue-threads N  worker threads per port, 1..=queues (default 1): TX
                     queue q is served by thread q % N, received frames
                     are placed by the first
  --tap PORT=IFNAME  cable port PORT to the TAP interface IFNAME (created if
                     missing) instead of its default peer (repeatable)
  --pcap PORT=FILE   write every frame port PORT sends or receives to the
                     pcap file FILE (repeatable)
  --bmc PORT[=ITEM[,ITEM...]]
                     a BMC shares port PORT, with up to 4 MAC addresses
                     (default 02:00:5e:00:b0:<PORT>); the item all-multi
                     has it receive every multicast frame; the firmware
                     reports it (repeatable)
  -v, --verbose      more logging (twice: every register access)
  -h, --help         show this help

Ports 0 and 1 are cabled back to back (2 and 3, ... likewise): a frame one
sends, the other receives. A port without a peer or TAP sends into the void.

       fbnic-emu bench [--quick]

Measures the queue engines' cost per packet against in-process guest memory.

Prints `port I listening on PATH dsn 0x... mac ...` on stdout once each socket
is ready. Logs go to stderr. SIGINT/SIGTERM remove the sockets and exit.
";

/// Default queue pairs per port.
pub const DEFAULT_QUEUES: u16 = 8;
/// Upper bound on `--ports`, to catch typos rather than to limit anyone.
pub const MAX_PORTS: usize = 256;

/// A validated command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Socket of port i at index i.
    pub sockets: Vec<PathBuf>,
    /// Directory to create first (from `--socket-dir`).
    pub socket_dir: Option<PathBuf>,
    /// Base Device Serial Number.
    pub dsn: u64,
    pub queues: u16,
    /// Worker threads per port (`--queue-threads`).
    pub queue_threads: u16,
    /// 0: info, 1: debug, 2 or more: trace.
    pub verbosity: u8,
    /// Ports cabled to TAP interfaces: (port, interface name).
    pub taps: Vec<(usize, String)>,
    /// Ports with a packet capture: (port, pcap file).
    pub pcaps: Vec<(usize, PathBuf)>,
    /// Ports shared with a BMC.
    pub bmcs: Vec<(usize, BmcConfig)>,
    /// Link, sensors, control socket.
    pub control: ControlOptions,
}

impl Options {
    /// Parameters of port `index`. Valid for every index below
    /// `sockets.len()` once [`parse`] accepted the options.
    pub fn port_params(&self, index: usize) -> DeviceParams {
        DeviceParams {
            dsn: port_dsn(self.dsn, index).unwrap_or(self.dsn),
            queues: self.queues,
            queue_threads: self.queue_threads,
        }
    }
}

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Run(Options),
    Help,
    /// The engine benchmark; `true` for the quick variant.
    Bench {
        quick: bool,
    },
    /// `ctl SOCKET WORDS...`: send a command to a running emulator.
    Ctl(PathBuf, Vec<String>),
}

/// A command line error, for a one-line message and exit status 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError(pub String);

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CliError {}

fn err<T>(msg: impl Into<String>) -> Result<T, CliError> {
    Err(CliError(msg.into()))
}

/// Parses a hexadecimal u64, with optional `0x` and `_` separators.
fn parse_hex(s: &str) -> Option<u64> {
    let digits: String = s
        .strip_prefix("0x")
        .or_else(|| s.strip_prefix("0X"))
        .unwrap_or(s)
        .chars()
        .filter(|&c| c != '_')
        .collect();
    if digits.is_empty() {
        return None;
    }
    u64::from_str_radix(&digits, 16).ok()
}

fn parse_count(opt: &str, val: &str, max: usize) -> Result<usize, CliError> {
    match val.parse::<usize>() {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        _ => err(format!("{opt} wants a number in 1..={max}, not '{val}'")),
    }
}

/// Splits `PORT=VALUE`.
fn port_and_value(opt: &str, v: &str) -> Result<(usize, String), CliError> {
    match v.split_once('=') {
        Some((p, val)) if !val.is_empty() => match p.parse::<usize>() {
            Ok(port) => Ok((port, val.to_owned())),
            Err(_) => err(format!("{opt} wants PORT=VALUE, not '{v}'")),
        },
        _ => err(format!("{opt} wants PORT=VALUE, not '{v}'")),
    }
}

/// Parses the arguments after the program name.
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Action, CliError> {
    let mut sockets: Vec<PathBuf> = Vec::new();
    let mut ports: Option<usize> = None;
    let mut socket_dir: Option<PathBuf> = None;
    let mut dsn = DEFAULT_DSN;
    let mut queues = DEFAULT_QUEUES;
    let mut queue_threads: Option<usize> = None;
    let mut verbosity = 0u8;
    let mut taps: Vec<(usize, String)> = Vec::new();
    let mut pcaps: Vec<(usize, PathBuf)> = Vec::new();
    let mut bmcs: Vec<(usize, BmcConfig)> = Vec::new();
    let mut ctl = ControlOptions::default();

    let mut args = args.into_iter().peekable();
    if args.peek().and_then(|a| a.to_str()) == Some("bench") {
        args.next();
        return match args.next() {
            None => Ok(Action::Bench { quick: false }),
            Some(a) if a == "--quick" && args.next().is_none() => Ok(Action::Bench { quick: true }),
            Some(a) => err(format!("bench: unexpected argument {a:?}")),
        };
    }
    if args.peek().is_some_and(|a| a == "ctl") {
        let rest: Vec<String> = args
            .skip(1)
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        return match rest.split_first() {
            Some((path, words)) if !words.is_empty() => {
                Ok(Action::Ctl(PathBuf::from(path), words.to_vec()))
            }
            _ => err("usage: fbnic-emu ctl CONTROL-SOCKET COMMAND..."),
        };
    }
    while let Some(arg) = args.next() {
        let Some(arg) = arg.to_str().map(str::to_owned) else {
            return err(format!("unexpected argument {arg:?}"));
        };
        // Accept both `--opt value` and `--opt=value`.
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_owned(), Some(OsString::from(v))),
            _ => (arg.clone(), None),
        };
        let takes_value = matches!(
            name.as_str(),
            "--socket"
                | "--ports"
                | "--socket-dir"
                | "--dsn"
                | "--queues"
                | "--queue-threads"
                | "--tap"
                | "--pcap"
                | "--bmc"
        ) || control::CLI_OPTIONS.contains(&name.as_str());
        if inline.is_some() && !takes_value {
            return err(format!("{name} takes no value"));
        }
        let value = if takes_value {
            match inline.or_else(|| args.next()) {
                Some(v) => Some(v),
                None => return err(format!("{name} needs a value")),
            }
        } else {
            None
        };
        let text = |v: &OsString| -> Result<String, CliError> {
            v.to_str()
                .map(str::to_owned)
                .ok_or_else(|| CliError(format!("{name}: {v:?} is not valid UTF-8")))
        };
        match (name.as_str(), value) {
            ("-h" | "--help", _) => return Ok(Action::Help),
            ("-v" | "--verbose", _) => verbosity = verbosity.saturating_add(1),
            ("--socket", Some(v)) => {
                if v.is_empty() {
                    return err("--socket needs a non-empty path");
                }
                sockets.push(PathBuf::from(v));
            }
            ("--socket-dir", Some(v)) => {
                if v.is_empty() {
                    return err("--socket-dir needs a non-empty path");
                }
                socket_dir = Some(PathBuf::from(v));
            }
            ("--ports", Some(v)) => ports = Some(parse_count("--ports", &text(&v)?, MAX_PORTS)?),
            ("--queues", Some(v)) => {
                let max = usize::from(DeviceParams::MAX_QUEUES);
                // Bounded by MAX_QUEUES, so it fits in u16.
                queues = parse_count("--queues", &text(&v)?, max)? as u16;
            }
            ("--queue-threads", Some(v)) => {
                let max = usize::from(DeviceParams::MAX_QUEUES);
                queue_threads = Some(parse_count("--queue-threads", &text(&v)?, max)?);
            }
            ("--dsn", Some(v)) => {
                let t = text(&v)?;
                dsn = parse_hex(&t).ok_or_else(|| {
                    CliError(format!("--dsn wants a 64-bit hex number, not '{t}'"))
                })?;
            }
            ("--tap", Some(v)) => {
                let (port, name) = port_and_value("--tap", &text(&v)?)?;
                if name.len() >= libc::IFNAMSIZ {
                    return err(format!("--tap: interface name '{name}' is too long"));
                }
                taps.push((port, name));
            }
            ("--pcap", Some(v)) => {
                let (port, file) = port_and_value("--pcap", &text(&v)?)?;
                pcaps.push((port, PathBuf::from(file)));
            }
            ("--bmc", Some(v)) => {
                let t = text(&v)?;
                let (p, macs) = match t.split_once('=') {
                    Some((p, macs)) => (p, Some(macs)),
                    None => (t.as_str(), None),
                };
                let port: usize = p
                    .parse()
                    .map_err(|_| CliError(format!("--bmc wants PORT[=MAC,...], not '{t}'")))?;
                let config = match macs {
                    Some(m) => BmcConfig::parse(port, m).map_err(CliError)?,
                    None => BmcConfig::default_for(port),
                };
                bmcs.push((port, config));
            }
            (n, Some(v)) if control::CLI_OPTIONS.contains(&n) => {
                ctl.parse_option(n, &text(&v)?).map_err(CliError)?;
            }
            (other, _) => return err(format!("unknown option '{other}'")),
        }
    }

    match (ports, &socket_dir) {
        (Some(_), Some(_)) if !sockets.is_empty() => {
            return err("use either --socket or --ports/--socket-dir, not both");
        }
        (Some(n), Some(dir)) => {
            sockets = (0..n)
                .map(|i| dir.join(format!("fbnic-port{i}.sock")))
                .collect();
        }
        (Some(_), None) => return err("--ports needs --socket-dir"),
        (None, Some(_)) => return err("--socket-dir needs --ports"),
        (None, None) => {}
    }
    if sockets.is_empty() {
        return err("no ports: give --socket PATH or --ports N --socket-dir DIR");
    }
    if sockets.len() > MAX_PORTS {
        return err(format!("at most {MAX_PORTS} ports"));
    }
    let mut seen = HashSet::new();
    for s in &sockets {
        if !seen.insert(s) {
            return err(format!("socket {} given twice", s.display()));
        }
    }

    for port in taps
        .iter()
        .map(|t| t.0)
        .chain(pcaps.iter().map(|p| p.0))
        .chain(bmcs.iter().map(|b| b.0))
    {
        if port >= sockets.len() {
            return err(format!(
                "port {port} does not exist (ports 0..{})",
                sockets.len()
            ));
        }
    }
    let mut tapped = HashSet::new();
    for (port, _) in &taps {
        if !tapped.insert(*port) {
            return err(format!("port {port} has two --tap"));
        }
    }
    let mut shared = HashSet::new();
    for (port, _) in &bmcs {
        if !shared.insert(*port) {
            return err(format!("port {port} has two --bmc"));
        }
    }
    let queue_threads = match queue_threads {
        None => 1,
        // At most `queues`, which fits in u16.
        Some(n) if n <= usize::from(queues) => n as u16,
        Some(n) => {
            return err(format!(
                "--queue-threads {n} is more than the {queues} queues a port has"
            ))
        }
    };
    let opts = Options {
        sockets,
        socket_dir,
        dsn,
        queues,
        queue_threads,
        verbosity,
        taps,
        pcaps,
        bmcs,
        control: ctl,
    };
    opts.control.validate().map_err(CliError)?;
    for i in 0..opts.sockets.len() {
        if port_dsn(dsn, i).is_none() {
            return err(format!("--dsn {dsn:#x} + port {i} overflows 64 bits"));
        }
        opts.port_params(i)
            .validate()
            .map_err(|e| CliError(format!("port {i}: {e}")))?;
    }
    Ok(Action::Run(opts))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<Options, CliError> {
        match parse(args.iter().map(OsString::from))? {
            Action::Run(o) => Ok(o),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn ctl_subcommand_and_link_options() {
        let a = parse(["ctl", "/tmp/c.sock", "link", "down", "0"].map(OsString::from)).unwrap();
        assert_eq!(
            a,
            Action::Ctl(
                PathBuf::from("/tmp/c.sock"),
                vec!["link".into(), "down".into(), "0".into()]
            )
        );
        assert!(parse(["ctl", "/tmp/c.sock"].map(OsString::from)).is_err());
        let o = run(&[
            "--socket",
            "/a",
            "--link-speed",
            "25",
            "--fec=none",
            "--control",
            "/c",
            "--qmp=/q",
        ])
        .unwrap();
        assert_eq!(o.control.link.speed, crate::link::LinkSpeed::G25);
        assert_eq!(o.control.control, Some(PathBuf::from("/c")));
        assert_eq!(o.control.qmp, Some(PathBuf::from("/q")));
        assert!(run(&["--socket", "/a", "--link-speed", "100", "--fec", "none"]).is_err());
    }

    #[test]
    fn sockets_and_defaults() {
        let o = run(&["--socket", "/tmp/a.sock", "--socket=/tmp/b.sock"]).unwrap();
        assert_eq!(
            o.sockets,
            vec![PathBuf::from("/tmp/a.sock"), PathBuf::from("/tmp/b.sock")]
        );
        assert_eq!(o.dsn, DEFAULT_DSN);
        assert_eq!(o.queues, DEFAULT_QUEUES);
        assert_eq!(o.verbosity, 0);
        assert_eq!(o.port_params(1).dsn, DEFAULT_DSN + 1);
        assert_eq!(o.port_params(1).mac().to_string(), "02:00:5e:00:10:01");
    }

    #[test]
    fn ports_in_a_directory() {
        let o = run(&["--ports", "3", "--socket-dir", "/run/x", "-v", "--verbose"]).unwrap();
        assert_eq!(o.sockets.len(), 3);
        assert_eq!(o.sockets[2], PathBuf::from("/run/x/fbnic-port2.sock"));
        assert_eq!(o.socket_dir, Some(PathBuf::from("/run/x")));
        assert_eq!(o.verbosity, 2);
    }

    #[test]
    fn dsn_and_queues() {
        let o = run(&[
            "--socket",
            "s",
            "--dsn",
            "0x0200_5eff_fe00_2000",
            "--queues",
            "4",
        ])
        .unwrap();
        assert_eq!(o.dsn, 0x0200_5eff_fe00_2000);
        assert_eq!(o.queues, 4);
        assert_eq!(o.queue_threads, 1);
        assert_eq!(o.port_params(0).queue_threads, 1);
        let o = run(&["--socket", "s", "--queues", "4", "--queue-threads", "2"]).unwrap();
        assert_eq!(o.port_params(0).queue_threads, 2);
        assert!(run(&["--socket", "s", "--queues", "4", "--queue-threads", "5"]).is_err());
        assert!(run(&["--socket", "s", "--queue-threads", "0"]).is_err());
        assert_eq!(
            run(&["--socket", "s", "--dsn=2005efffe003000"])
                .unwrap()
                .dsn,
            0x0200_5eff_fe00_3000
        );
    }

    #[test]
    fn taps_pcaps_and_bench() {
        let o = run(&[
            "--ports",
            "2",
            "--socket-dir",
            "/tmp/x",
            "--tap",
            "1=fbtap1",
            "--pcap=0=/tmp/p0.pcap",
        ])
        .unwrap();
        assert_eq!(o.taps, vec![(1, "fbtap1".to_owned())]);
        assert_eq!(o.pcaps, vec![(0, PathBuf::from("/tmp/p0.pcap"))]);
        assert_eq!(
            parse(["bench"].map(OsString::from)),
            Ok(Action::Bench { quick: false })
        );
        assert_eq!(
            parse(["bench", "--quick"].map(OsString::from)),
            Ok(Action::Bench { quick: true })
        );
        for bad in [
            &["--socket", "a", "--tap", "1=t"][..],
            &["--socket", "a", "--tap", "0="],
            &["--socket", "a", "--tap", "x=t"],
            &["--socket", "a", "--tap", "0=t", "--tap", "0=u"],
            &["--socket", "a", "--tap", "0=averyveryverylongname"],
            &["--socket", "a", "--pcap", "3=f"],
        ] {
            assert!(run(bad).is_err(), "{bad:?} accepted");
        }
        assert!(parse(["bench", "--slow"].map(OsString::from)).is_err());
    }

    #[test]
    fn bmc_ports() {
        let o = run(&["--ports", "2", "--socket-dir", "/d", "--bmc", "0"]).unwrap();
        assert_eq!(o.bmcs, vec![(0, BmcConfig::default_for(0))]);
        let o = run(&[
            "--ports",
            "2",
            "--socket-dir",
            "/d",
            "--bmc=1=02:00:00:00:00:07",
        ])
        .unwrap();
        assert_eq!(o.bmcs[0].0, 1);
        assert_eq!(o.bmcs[0].1.macs[0].0, [2, 0, 0, 0, 0, 7]);
        let o = run(&["--ports", "2", "--socket-dir", "/d", "--bmc", "1=all-multi"]).unwrap();
        assert!(o.bmcs[0].1.all_multi);
        assert_eq!(o.bmcs[0].1.macs, BmcConfig::default_for(1).macs);
        for bad in [
            &["--bmc", "2"][..],
            &["--bmc", "x"],
            &["--bmc", "0=02:00"],
            &["--bmc", "0", "--bmc", "0"],
        ] {
            let mut args = vec!["--ports", "2", "--socket-dir", "/d"];
            args.extend_from_slice(bad);
            assert!(run(&args).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn help() {
        assert_eq!(parse([OsString::from("--help")]), Ok(Action::Help));
        assert_eq!(
            parse(["--socket", "x", "-h"].map(OsString::from)),
            Ok(Action::Help)
        );
    }

    #[test]
    fn bad_command_lines() {
        for bad in [
            &[][..],
            &["--socket"],
            &["--socket", ""],
            &["--bogus"],
            &["positional"],
            &["--socket", "a", "--socket", "a"],
            &["--ports", "2"],
            &["--socket-dir", "/tmp"],
            &["--ports", "0", "--socket-dir", "/tmp"],
            &["--ports", "x", "--socket-dir", "/tmp"],
            &["--ports", "1", "--socket-dir", "/tmp", "--socket", "a"],
            &["--socket", "a", "--queues", "0"],
            &["--socket", "a", "--queues", "129"],
            &["--socket", "a", "--dsn", "xyz"],
            &["--socket", "a", "--dsn", "0x"],
            &["--socket", "a", "--dsn", "0x1_0000_0000_0000_0000"],
            &["--socket", "a", "--verbose=1"],
            // Multicast MAC (first byte odd).
            &["--socket", "a", "--dsn", "0x0100_00ff_fe00_0001"],
            // Port 1 would overflow.
            &[
                "--socket",
                "a",
                "--socket",
                "b",
                "--dsn",
                "0x02ff_ffff_ffff_ffff",
            ],
        ] {
            assert!(run(bad).is_err(), "{bad:?} accepted");
        }
    }
}
