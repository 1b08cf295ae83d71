// SPDX-License-Identifier: GPL-2.0

//! Port configuration from the command line, and the control socket that
//! changes the emulated world at run time (link flaps, sensor values,
//! firmware faults).
//!
//! # Control protocol
//!
//! A unix stream socket (`--control PATH`). The client sends one command
//! per line; the server answers each with one line, `ok` (optionally
//! followed by text) or `error: <reason>`. Commands:
//!
//! ```text
//! status [PORT]                 one line per port: link, sensors, faults, counters
//!                               (mailbox; rx-split: frames received split into
//!                               header and payload buffers; tx-doorbells:
//!                               TWQ tail doorbell writes; tx-runts: host
//!                               frames under the 60-byte minimum)
//! link up|down PORT             plug or unplug the port's cable
//! link flap PORT SECONDS        down now, up again after SECONDS (fractions ok)
//! temp PORT MILLIDEGREES        temperature the firmware reports
//! volt PORT MILLIVOLTS          voltage the firmware reports
//! sensor-error PORT ERRNO|off   make sensor reads fail with -ERRNO
//! fault PORT drop-response [N]  handle the next N requests, send no answer
//! fault PORT corrupt-message [N] corrupt the next N messages to the host
//! fault PORT fw-err [N]         complete the next N requests with FW_ERR
//! fault PORT heartbeat stop|start
//! fault PORT tx-stall [Q|all]   hang TX queue Q (or every queue): it takes no
//!                               descriptor and writes no completion until the
//!                               queue is reset (TWQ0/TWQ1/TCQ_CTL.RESET) or
//!                               the faults cleared; without Q, lists the hung
//!                               queues (`tx-stalled 0,3` or `none`)
//! fault PORT rx-cmpl KIND [N]   malform the header completion of the next N
//!                               received frames: bad-id (buffer 0xffff),
//!                               stale-id (the previous frame's released
//!                               buffer), long (8191 bytes), bad-type (a
//!                               payload completion first)
//! fault PORT tx-cmpl KIND [N]   malform the next N TWQ head completions:
//!                               past-tail (a head the driver never posted),
//!                               repeat (written twice); `fault PORT rx-cmpl`
//!                               or `tx-cmpl` alone counts what was written
//! fault PORT tlv attr-overrun|nest-overrun [N]  send N messages with
//!                               inconsistent TLV lengths (`fw/hostile.rs`)
//! fault PORT flood start|stop   unsolicited firmware messages without end
//! fault PORT silence start|stop the firmware answers nothing (no heartbeat)
//! fault PORT flash-crash [CHUNKS [SECONDS]]  the firmware crashes after
//!                               CHUNKS chunks (2) of the next flash, and
//!                               reboots SECONDS (3) later
//! fault PORT fw                 reports those: `fw flood on|off flooded N
//!                               silent on|off down on|off crash armed|off
//!                               crashes N malformed N`
//! fault PORT dma [fail [N]]     the buffer DMA of the next N packets
//!                               fails (`queues/dma_fault.rs`)
//! fault PORT clear              all faults off
//! bmc PORT stats                what the port's BMC received and sent, and
//!                               the host's last MAC sync (`--bmc`)
//! bmc PORT send DST [N [LEN]]   the BMC sends N frames of LEN bytes to DST
//! reg PORT REGISTER[INDEX]      a BAR0 register's value (name as in hw/csr)
//! monitor HMP-COMMAND...        run one of QEMU's monitor commands through
//!                               its QMP socket (`--qmp`): ok and its output
//! device-del ID | device-add PORT ID BUS
//!                               unplug QEMU device ID, plug port PORT's
//!                               function in again (crate::hotplug)
//! fault PORT mmio|irq ...       the device gone, interrupt storms and lost
//!                               interrupts (crate::hostile)
//! ```
//!
//! `fbnic-emu ctl PATH COMMAND...` sends one command and prints the answer
//! (exit status 1 on `error:`).

use std::io::{self, BufRead, BufReader, Read, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use log::{info, warn};

use fbnic_hw::csr;

use crate::device::FbnicDevice;
use crate::link::{FecMode, FlapPlan, LinkConfig, LinkSpeed};
use crate::qmp;
use crate::queues::{DescFault, TsFault};
use crate::stats;

/// Options of the control plane, shared by all ports.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ControlOptions {
    pub link: LinkConfig,
    /// Flap planned after the first ownership, on every port.
    pub flap: Option<FlapPlan>,
    /// Initial temperature (millidegrees C).
    pub temp: Option<i32>,
    /// Initial voltage (millivolts).
    pub volt: Option<i32>,
    /// Control socket path.
    pub control: Option<PathBuf>,
    /// QEMU's QMP socket, for `monitor`.
    pub qmp: Option<PathBuf>,
}

/// Options this module parses, all taking a value.
pub const CLI_OPTIONS: &[&str] = &[
    "--link-speed",
    "--fec",
    "--link-flap",
    "--temp",
    "--volt",
    "--control",
    "--qmp",
];

/// Help text for these options (appended to the program's usage).
pub const USAGE: &str = "\
\x20 --link-speed S     port speed: 25, 50, 50r2 (two lanes) or 100 (default)
  --fec F            FEC: rs (default), baser or none (25G/50r2 only)
  --link-flap A,D    A seconds after the host first opens a port, drop its
                     link for D seconds (once per port)
  --temp MC          temperature the firmware reports, millidegrees C
                     (default 45000)
  --volt MV          voltage the firmware reports, millivolts (default 750)
  --control PATH     control socket (see 'fbnic-emu ctl PATH help')
  --qmp PATH         QEMU's QMP socket, for the control command 'monitor'
";

fn seconds(s: &str) -> Result<Duration, String> {
    s.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v >= 0.0 && *v < 1e6)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| format!("'{s}' is not a number of seconds"))
}

impl ControlOptions {
    /// Applies one `--option value`.
    pub fn parse_option(&mut self, name: &str, value: &str) -> Result<(), String> {
        match name {
            "--link-speed" => self.link.speed = value.parse::<LinkSpeed>()?,
            "--fec" => self.link.fec = value.parse::<FecMode>()?,
            "--link-flap" => {
                let (a, d) = value.split_once(',').ok_or_else(|| {
                    format!("--link-flap wants AFTER,DOWN seconds, not '{value}'")
                })?;
                self.flap = Some(FlapPlan {
                    after: seconds(a)?,
                    down_for: seconds(d)?,
                });
            }
            "--temp" => {
                self.temp = Some(
                    value
                        .parse()
                        .map_err(|_| format!("--temp: '{value}' is not millidegrees"))?,
                )
            }
            "--volt" => {
                self.volt = Some(
                    value
                        .parse()
                        .map_err(|_| format!("--volt: '{value}' is not millivolts"))?,
                )
            }
            "--control" if value.is_empty() => return Err("--control needs a path".into()),
            "--control" => self.control = Some(PathBuf::from(value)),
            "--qmp" if value.is_empty() => return Err("--qmp needs a path".into()),
            "--qmp" => self.qmp = Some(PathBuf::from(value)),
            other => return Err(format!("unknown option '{other}'")),
        }
        Ok(())
    }

    /// Checks the combination (after all options are parsed).
    pub fn validate(&self) -> Result<(), String> {
        self.link.validate()
    }

    /// Applies the start-up sensor values to a new device.
    pub fn apply(&self, dev: &FbnicDevice) {
        dev.firmware().set_sensors(|s| {
            if let Some(t) = self.temp {
                s.millidegrees = t;
            }
            if let Some(v) = self.volt {
                s.millivolts = v;
            }
        });
    }
}

/// Executes one command line against `ports`; the answer line.
pub fn execute(ports: &[Arc<FbnicDevice>], line: &str) -> String {
    match run_command(ports, line) {
        Ok(s) if s.is_empty() => "ok".into(),
        Ok(s) => format!("ok {s}"),
        Err(e) => format!("error: {e}"),
    }
}

fn port<'a>(
    ports: &'a [Arc<FbnicDevice>],
    arg: Option<&str>,
) -> Result<&'a Arc<FbnicDevice>, String> {
    let a = arg.ok_or("missing port number")?;
    let i: usize = a
        .parse()
        .map_err(|_| format!("'{a}' is not a port number"))?;
    ports
        .get(i)
        .ok_or_else(|| format!("no port {i} (there are {})", ports.len()))
}

fn count(arg: Option<&str>) -> Result<u32, String> {
    arg.map_or(Ok(1), |a| {
        a.parse().map_err(|_| format!("'{a}' is not a count"))
    })
}

fn status_line(i: usize, dev: &FbnicDevice) -> String {
    let flashed: Vec<String> = dev
        .firmware()
        .flashed()
        .iter()
        .map(|f| format!("section{}:{}B:{:#x}", f.section, f.size, f.fnv1a))
        .collect();
    let s = dev.firmware().sensors();
    let f = dev.firmware().faults();
    let st = dev.firmware().stats();
    format!(
        "port {i}: link {} {} changes {} host {} temp {} volt {} faults drop-response={} corrupt-message={} fw-err={} heartbeat={} mailbox requests {} errors {} messages {} dropped {} flashed {} rx-split {} tx-doorbells {} tx-runts {} {}",
        if dev.link().carrier() { "up" } else { "down" },
        dev.link().config(),
        dev.link().changes(),
        if dev.firmware().owned() { "owner" } else { "not-owner" },
        s.millidegrees,
        s.millivolts,
        f.drop_responses,
        f.corrupt_messages,
        f.fw_err_requests,
        if f.heartbeat_stopped { "stopped" } else { "on" },
        st.requests,
        st.request_errors,
        st.messages,
        st.messages_dropped,
        if flashed.is_empty() {
            "none".to_string()
        } else {
            flashed.join(",")
        },
        dev.datapath().rx_split(),
        dev.datapath().tx_doorbells(),
        dev.datapath().tx_runts(),
        dev.activity(),
    )
}

fn run_command(ports: &[Arc<FbnicDevice>], line: &str) -> Result<String, String> {
    let mut w = line.split_whitespace();
    let cmd = w.next().ok_or("empty command")?;
    let result = match cmd {
        "help" => Ok("commands: status [PORT] | fw-log PORT | mmio PORT [TOP|reset] | count PORT REGISTER[INDEX] N | link up|down PORT | link flap PORT SECONDS | temp PORT MC | volt PORT MV | sensor-error PORT ERRNO|off | fault PORT drop-response|corrupt-message|fw-err [N] | fault PORT heartbeat stop|start | fault PORT tx-ts drop|invalid|spurious [N] | fault PORT clear | bmc PORT stats | bmc PORT send DST [N [LEN]] | fault PORT tx-stall [Q|all] | fault PORT rx-cmpl [bad-id|stale-id|long|bad-type [N]] | fault PORT tx-cmpl [past-tail|repeat [N]] | fault PORT mmio [gone|back] | fault PORT irq [storm [SECONDS]|lost [N]|stop] | fault PORT tlv attr-overrun|nest-overrun [N] | fault PORT flood start|stop | fault PORT silence start|stop | fault PORT flash-crash [CHUNKS [SECONDS]] | fault PORT fw | fault PORT dma [fail [N]] | reg PORT REGISTER[INDEX] | monitor HMP-COMMAND | device-del ID | device-add PORT ID BUS".into()),
        "status" => match w.next() {
            Some(p) => {
                let dev = port(ports, Some(p))?;
                let i = ports.iter().position(|d| Arc::ptr_eq(d, dev)).unwrap_or(0);
                Ok(status_line(i, dev))
            }
            None => Ok(ports
                .iter()
                .enumerate()
                .map(|(i, d)| status_line(i, d))
                .collect::<Vec<_>>()
                .join(" | ")),
        },
        "fw-log" => {
            // One answer line: the firmware log's lines kept for the
            // history, oldest first, as INDEX:MSEC:TEXT separated by " || ".
            let dev = port(ports, w.next())?;
            Ok(dev
                .firmware()
                .log_lines()
                .iter()
                .map(|l| format!("{}:{}:{}", l.index, l.msec, l.text))
                .collect::<Vec<_>>()
                .join(" || "))
        }
        "mmio" => {
            let dev = port(ports, w.next())?;
            let i = ports.iter().position(|d| Arc::ptr_eq(d, dev)).unwrap_or(0);
            let top = match w.next() {
                Some("reset") => {
                    dev.mmio().reset();
                    return Ok(String::new());
                }
                Some(n) => n.parse().map_err(|_| format!("'{n}' is not a count"))?,
                None => 8,
            };
            Ok(format!("port {i}: {}", dev.mmio().report(top)))
        }
        "link" => {
            let what = w.next().ok_or("link up|down|flap PORT")?;
            let dev = port(ports, w.next())?;
            match what {
                "up" => dev.link().set_carrier(dev, true),
                "down" => dev.link().set_carrier(dev, false),
                "flap" => {
                    let d = seconds(w.next().ok_or("link flap PORT SECONDS")?)?;
                    dev.link().set_carrier(dev, false);
                    dev.link().schedule(d, true);
                }
                other => return Err(format!("link {other}: want up, down or flap")),
            }
            Ok(String::new())
        }
        "temp" | "volt" => {
            let dev = port(ports, w.next())?;
            let v: i32 = w
                .next()
                .ok_or("missing value")?
                .parse()
                .map_err(|_| "value is not an integer".to_string())?;
            dev.firmware().set_sensors(|s| {
                if cmd == "temp" {
                    s.millidegrees = v;
                } else {
                    s.millivolts = v;
                }
            });
            Ok(String::new())
        }
        "sensor-error" => {
            let dev = port(ports, w.next())?;
            let e = match w.next().ok_or("sensor-error PORT ERRNO|off")? {
                "off" => None,
                n => Some(
                    n.parse::<i32>()
                        .ok()
                        .filter(|&e| e > 0)
                        .ok_or("errno must be a positive number")?,
                ),
            };
            dev.firmware().set_sensors(|s| s.error = e);
            Ok(String::new())
        }
        "fault" => {
            let dev = port(ports, w.next())?;
            let kind = w.next().ok_or("fault PORT KIND")?;
            let arg = w.next();
            let fw = dev.firmware();
            match kind {
                "drop-response" => {
                    let n = count(arg)?;
                    fw.set_faults(|f| f.drop_responses = n);
                }
                "corrupt-message" => {
                    let n = count(arg)?;
                    fw.set_faults(|f| f.corrupt_messages = n);
                }
                "fw-err" => {
                    let n = count(arg)?;
                    fw.set_faults(|f| f.fw_err_requests = n);
                }
                "heartbeat" => {
                    let stop = match arg {
                        Some("stop") => true,
                        Some("start") => false,
                        _ => return Err("fault PORT heartbeat stop|start".into()),
                    };
                    fw.set_faults(|f| f.heartbeat_stopped = stop);
                }
                "tx-ts" => {
                    let fault = arg
                        .ok_or("fault PORT tx-ts drop|invalid|spurious [N]")?
                        .parse::<TsFault>()?;
                    dev.datapath().set_ts_fault(fault, count(w.next())?);
                }
                "rx-cmpl" | "tx-cmpl" => {
                    let dp = dev.datapath();
                    let Some(arg) = arg else {
                        return Ok(dp.desc_fault_report());
                    };
                    let fault = DescFault::parse(kind == "rx-cmpl", arg)?;
                    dp.set_desc_fault(fault, count(w.next())?);
                }
                "tx-stall" => {
                    let dp = dev.datapath();
                    let q = match arg {
                        None => {
                            let hung: Vec<String> =
                                dp.tx_stalled().iter().map(|q| q.to_string()).collect();
                            let hung = if hung.is_empty() {
                                "none".to_string()
                            } else {
                                hung.join(",")
                            };
                            return Ok(format!("tx-stalled {hung}"));
                        }
                        Some("all") => None,
                        Some(n) => Some(parse_u32(n).ok_or_else(|| format!("'{n}' is not a queue"))?),
                    };
                    if !dp.stall_tx(q) {
                        return Err(format!("port has no TX queue {}", arg.unwrap_or("")));
                    }
                }
                "mmio" | "irq" => return crate::hostile::control(dev, kind, arg, w.next()),
                "dma" => {
                    let dp = dev.datapath();
                    match arg {
                        None => return Ok(dp.dma_fault_report()),
                        Some("fail") => dp.set_dma_fault(count(w.next())?),
                        Some(other) => return Err(format!("'{other}': fault PORT dma [fail [N]]")),
                    }
                }
                "tlv" | "flood" | "silence" | "flash-crash" | "fw" => {
                    let args: Vec<&str> = arg.into_iter().chain(w.by_ref()).collect();
                    return crate::fw::hostile::control(dev, kind, &args);
                }
                "clear" => {
                    crate::hostile::clear(dev);
                    crate::fw::hostile::clear(dev);
                    fw.set_faults(|f| *f = Default::default());
                    dev.datapath().clear_ts_faults();
                    dev.datapath().clear_tx_stalls();
                    dev.datapath().clear_desc_faults();
                    dev.datapath().set_dma_fault(0);
                }
                other => return Err(format!("unknown fault '{other}'")),
            }
            Ok(String::new())
        }
        "bmc" => {
            let dev = port(ports, w.next())?;
            crate::bmc::control(dev, &w.by_ref().collect::<Vec<_>>())
        }
        "reg" => {
            let dev = port(ports, w.next())?;
            let (at, name) = counter(w.next().ok_or("reg PORT REGISTER[INDEX]")?)?;
            Ok(format!("{name} {:#x}", dev.csr_read(at)))
        }
        "count" => {
            let dev = port(ports, w.next())?;
            let usage = "count PORT REGISTER[INDEX] N";
            let (at, name) = counter(w.next().ok_or(usage)?)?;
            let n = w.next().ok_or(usage)?;
            let n = parse_u32(n).ok_or_else(|| format!("'{n}' is not a 32-bit count"))?;
            stats::add32(dev.csr(), at, n);
            Ok(format!("{name} {}", dev.csr_read(at)))
        }
        other => Err(format!("unknown command '{other}' (try help)")),
    };
    let query = cmd == "bmc" && line.split_whitespace().nth(2) == Some("stats");
    if result.is_ok() && !matches!(cmd, "status" | "mmio" | "help" | "reg") && !query {
        info!("control: {line}");
    }
    result
}

/// A decimal or `0x` hexadecimal 32-bit number.
fn parse_u32(s: &str) -> Option<u32> {
    match s.strip_prefix("0x") {
        Some(hex) => u32::from_str_radix(hex, 16).ok(),
        None => s.parse().ok(),
    }
}

/// The BAR0 dword of counter `spec`, `NAME` or `NAME[INDEX]` with the
/// register's name in `hw/csr` (`RDE_BDQ_DROP_CNT[3]`), and the spec as
/// it is to be echoed.
fn counter(spec: &str) -> Result<(u32, String), String> {
    let (name, index) = match spec.split_once('[') {
        Some((name, rest)) => {
            let i = rest
                .strip_suffix(']')
                .and_then(parse_u32)
                .ok_or_else(|| format!("'{spec}': the index is not a number in brackets"))?;
            (name, Some(i))
        }
        None => (spec, None),
    };
    let mut found = csr::registers().filter(|r| r.name == name && r.bar == 0);
    let info = found
        .next()
        .ok_or_else(|| format!("no BAR0 register '{name}'"))?;
    if found.next().is_some() {
        return Err(format!("'{name}' names more than one register"));
    }
    let arrayed = info.count() > 1;
    let at = match (index, arrayed) {
        (Some(i), true) => info.index_of(i, 0),
        (None, false) => info.index_of(0, 0),
        (Some(_), false) => return Err(format!("'{name}' is not an array")),
        (None, true) => return Err(format!("'{name}' is an array: give an index")),
    }
    .ok_or_else(|| format!("'{spec}': index out of range"))?;
    Ok((at, spec.to_string()))
}

/// Binds the control socket (replacing a stale file) and serves it: an
/// accept thread, and a thread per client, since a client may stay
/// connected for good (QEMU relaying a guest serial port, say). `qmp` is
/// QEMU's QMP socket, which `monitor` commands go to.
pub fn serve(
    path: &Path,
    ports: Vec<Arc<FbnicDevice>>,
    qmp: Option<PathBuf>,
    sockets: Vec<PathBuf>,
) -> io::Result<()> {
    if path.exists() {
        match UnixStream::connect(path) {
            Ok(_) => {
                return Err(io::Error::new(
                    io::ErrorKind::AddrInUse,
                    format!("{} is in use", path.display()),
                ))
            }
            Err(_) => std::fs::remove_file(path)?,
        }
    }
    let listener = UnixListener::bind(path)?;
    let ports = Arc::new(ports);
    let sockets = Arc::new(sockets);
    thread::Builder::new()
        .name("control".into())
        .spawn(move || {
            for conn in listener.incoming() {
                let stream = match conn {
                    Ok(s) => s,
                    Err(e) => {
                        warn!("control socket accept: {e}");
                        continue;
                    }
                };
                let ports = Arc::clone(&ports);
                let qmp = qmp.clone();
                let sockets = Arc::clone(&sockets);
                let spawned =
                    thread::Builder::new()
                        .name("control-client".into())
                        .spawn(move || {
                            if let Err(e) = serve_client(stream, &ports, qmp.as_deref(), &sockets) {
                                warn!("control client: {e}");
                            }
                        });
                if let Err(e) = spawned {
                    warn!("cannot serve a control client: {e}");
                }
            }
        })?;
    Ok(())
}

fn serve_client(
    stream: UnixStream,
    ports: &[Arc<FbnicDevice>],
    qmp: Option<&Path>,
    sockets: &[PathBuf],
) -> io::Result<()> {
    let mut out = stream.try_clone()?;
    // Bounded lines: a client cannot make the server buffer without end.
    for line in BufReader::new(stream.take(1 << 20)).lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let line = line.trim();
        let answer = match line.strip_prefix("monitor ") {
            Some(command) => monitor(qmp, command.trim()),
            None if line.starts_with("device-") => crate::hotplug::command(qmp, sockets, line),
            None => execute(ports, line),
        };
        writeln!(out, "{answer}")?;
    }
    Ok(())
}

/// `monitor HMP-COMMAND`: QEMU runs it; the answer line carries its
/// output, an error if HMP said "Error: ...". Logged, as it changes the
/// guest's world.
fn monitor(qmp: Option<&Path>, command: &str) -> String {
    let Some(path) = qmp else {
        return "error: no QMP socket (--qmp)".into();
    };
    match qmp::human_command(path, command) {
        // HMP's way of saying a command failed.
        Ok(output) if output.starts_with("Error: ") => format!("error: monitor: {output}"),
        Ok(output) => {
            info!("control: monitor {command}: {output}");
            if output.is_empty() {
                "ok".into()
            } else {
                format!("ok {output}")
            }
        }
        Err(e) => format!("error: {e}"),
    }
}

/// `fbnic-emu ctl PATH WORDS...`: sends one command, prints the answer.
/// Returns true if the answer was not an error.
pub fn client(path: &Path, words: &[String]) -> io::Result<bool> {
    let mut s = UnixStream::connect(path)?;
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    writeln!(s, "{}", words.join(" "))?;
    s.shutdown(std::net::Shutdown::Write)?;
    let mut line = String::new();
    BufReader::new(s).read_line(&mut line)?;
    print!("{line}");
    Ok(line.starts_with("ok"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::DeviceParams;
    use crate::identity::DEFAULT_DSN;
    use crate::pci;

    fn ports() -> Vec<Arc<FbnicDevice>> {
        (0..2)
            .map(|i| {
                Arc::new(FbnicDevice::new(DeviceParams {
                    dsn: DEFAULT_DSN + i,
                    queues: 2,
                    queue_threads: 1,
                }))
            })
            .collect()
    }

    #[test]
    fn options() {
        let mut o = ControlOptions::default();
        o.parse_option("--link-speed", "25").unwrap();
        o.parse_option("--fec", "baser").unwrap();
        o.parse_option("--link-flap", "10,2.5").unwrap();
        o.parse_option("--temp", "-5000").unwrap();
        assert!(o.validate().is_ok());
        assert_eq!(o.flap.unwrap().down_for, Duration::from_millis(2500));
        o.parse_option("--link-speed", "100").unwrap();
        assert!(o.validate().is_err(), "100G with BASE-R FEC");
        assert!(o.parse_option("--link-speed", "40").is_err());
        assert!(o.parse_option("--link-flap", "10").is_err());
        assert!(o.parse_option("--link-flap", "x,1").is_err());
        assert!(o.parse_option("--temp", "hot").is_err());
    }

    #[test]
    fn commands() {
        let p = ports();
        assert_eq!(execute(&p, "link down 1"), "ok");
        assert!(!p[1].link().carrier() && p[0].link().carrier());
        assert_eq!(execute(&p, "link up 1"), "ok");
        assert_eq!(execute(&p, "temp 0 81000"), "ok");
        assert_eq!(p[0].firmware().sensors().millidegrees, 81_000);
        assert_eq!(execute(&p, "sensor-error 0 5"), "ok");
        assert_eq!(p[0].firmware().sensors().error, Some(5));
        assert_eq!(execute(&p, "fault 1 drop-response 3"), "ok");
        assert_eq!(p[1].firmware().faults().drop_responses, 3);
        assert_eq!(execute(&p, "fault 1 heartbeat stop"), "ok");
        assert!(execute(&p, "status 1").contains("heartbeat=stopped"));
        assert_eq!(execute(&p, "fault 1 clear"), "ok");
        assert!(!p[1].firmware().faults().heartbeat_stopped);
        assert_eq!(execute(&p, "link flap 0 0"), "ok");
        p[0].link().tick(&p[0]);
        assert!(p[0].link().carrier());
        for bad in [
            "",
            "link sideways 0",
            "link up 7",
            "temp 0 warm",
            "fault 0 gremlins",
            "reboot",
        ] {
            assert!(execute(&p, bad).starts_with("error: "), "{bad:?}");
        }
    }

    #[test]
    fn tx_timestamp_faults() {
        let p = ports();
        assert_eq!(execute(&p, "fault 0 tx-ts drop 2"), "ok");
        assert_eq!(execute(&p, "fault 1 tx-ts spurious"), "ok");
        assert_eq!(execute(&p, "fault 0 clear"), "ok");
        assert_eq!(
            execute(&p, "fault 0 tx-ts late"),
            "error: tx-ts late: want drop, invalid or spurious"
        );
        assert!(execute(&p, "fault 0 tx-ts").starts_with("error: "));
    }

    #[test]
    fn malformed_completion_faults() {
        let p = ports();
        assert_eq!(execute(&p, "fault 0 rx-cmpl bad-id 3"), "ok");
        assert_eq!(execute(&p, "fault 0 tx-cmpl repeat"), "ok");
        assert_eq!(
            execute(&p, "fault 0 rx-cmpl"),
            "ok rx-bad-id 0/3 rx-stale-id 0/0 rx-long 0/0 rx-bad-type 0/0 \
             tx-past-tail 0/0 tx-repeat 0/1"
        );
        assert_eq!(
            execute(&p, "fault 0 tx-cmpl long"),
            "error: tx-cmpl long: want past-tail or repeat"
        );
        assert!(execute(&p, "fault 0 rx-cmpl bad-id many").starts_with("error: "));
        assert_eq!(execute(&p, "fault 0 clear"), "ok");
        assert!(execute(&p, "fault 0 tx-cmpl").ends_with("tx-past-tail 0/0 tx-repeat 0/0"));
    }

    #[test]
    fn count_adds_to_a_counter_and_wraps_at_32_bits() {
        use fbnic_hw::csr::{queue, tmi};
        let p = ports();
        let bdq3 = queue::RDE_BDQ_DROP_CNT::INFO.dword(3, 0);
        assert_eq!(
            execute(&p, "count 0 RDE_BDQ_DROP_CNT[3] 5"),
            "ok RDE_BDQ_DROP_CNT[3] 5"
        );
        assert_eq!(p[0].csr_read(bdq3), 5);
        assert_eq!(p[1].csr_read(bdq3), 0);
        assert_eq!(
            execute(&p, "count 0 DROP_PKTS 0xfffffff0"),
            "ok DROP_PKTS 4294967280"
        );
        assert_eq!(execute(&p, "count 0 DROP_PKTS 0x20"), "ok DROP_PKTS 16");
        assert_eq!(p[0].csr_read(tmi::DROP_PKTS::INFO.dword(0, 0)), 0x10);
        for bad in [
            "count 0",
            "count 0 RDE_BDQ_DROP_CNT 1",
            "count 0 RDE_BDQ_DROP_CNT[128] 1",
            "count 0 RDE_BDQ_DROP_CNT[x] 1",
            "count 0 DROP_PKTS[1] 1",
            "count 0 NO_SUCH_REG 1",
            "count 0 DROP_CTRL 1",
            "count 0 DROP_PKTS -1",
            "count 0 DROP_PKTS 0x100000000",
            "count 9 DROP_PKTS 1",
        ] {
            assert!(execute(&p, bad).starts_with("error: "), "{bad:?}");
        }
    }

    #[test]
    fn reg_reads_a_register() {
        use fbnic_hw::csr::queue;
        let p = ports();
        let at = queue::RDE_CTL0::INFO.dword(1, 0);
        p[0].csr().write(at, 0x4000_0000);
        assert_eq!(
            execute(&p, "reg 0 RDE_CTL0[1]"),
            "ok RDE_CTL0[1] 0x40000000"
        );
        assert_eq!(execute(&p, "reg 1 RDE_CTL0[1]"), "ok RDE_CTL0[1] 0x0");
        for bad in [
            "reg 0",
            "reg 0 RDE_CTL0",
            "reg 0 RDE_CTL0[128]",
            "reg 0 NO_SUCH_REG",
        ] {
            assert!(execute(&p, bad).starts_with("error: "), "{bad:?}");
        }
    }

    #[test]
    fn tx_stall_until_reset_or_clear() {
        use fbnic_hw::csr::queue;
        let p = ports();
        assert_eq!(execute(&p, "fault 0 tx-stall"), "ok tx-stalled none");
        assert_eq!(execute(&p, "fault 0 tx-stall 1"), "ok");
        assert_eq!(execute(&p, "fault 0 tx-stall"), "ok tx-stalled 1");
        assert_eq!(execute(&p, "fault 1 tx-stall"), "ok tx-stalled none");
        // A reset of the queue's TX rings ends the hang.
        let ctl = queue::TWQ0_CTL::INFO.dword(1, 0);
        p[0].csr_write(ctl, queue::TWQ0_CTL::RESET.mask());
        assert_eq!(execute(&p, "fault 0 tx-stall"), "ok tx-stalled none");
        assert_eq!(execute(&p, "fault 0 tx-stall all"), "ok");
        assert_eq!(execute(&p, "fault 0 tx-stall"), "ok tx-stalled 0,1");
        assert_eq!(execute(&p, "fault 0 clear"), "ok");
        assert_eq!(execute(&p, "fault 0 tx-stall"), "ok tx-stalled none");
        for bad in ["fault 0 tx-stall 2", "fault 0 tx-stall x"] {
            assert!(execute(&p, bad).starts_with("error: "), "{bad:?}");
        }
    }

    #[test]
    fn status_counts_tx_doorbells() {
        use fbnic_hw::csr::queue;
        let p = ports();
        assert!(execute(&p, "status 0").contains(" tx-doorbells 0 tx-runts 0 function-resets 0 "));
        // Two TWQ tail writes count; a TCQ head write is no doorbell.
        p[0].csr_write(queue::TWQ0_TAIL::INFO.dword(0, 0), 0);
        p[0].csr_write(queue::TWQ0_TAIL::INFO.dword(1, 0), 0);
        p[0].csr_write(queue::TCQ_HEAD::INFO.dword(0, 0), 0);
        assert!(execute(&p, "status 0").contains(" tx-doorbells 2 "));
        assert!(execute(&p, "status 1").contains(" tx-doorbells 0 "));
    }

    #[test]
    fn mmio_counts_guest_accesses() {
        use fbnic_hw::csr::queue;
        let p = ports();
        let twq0_tail = u64::from(queue::TWQ0_TAIL::INFO.dword(1, 0)) * 4;
        p[1].region_write(pci::BAR_CSR.index, twq0_tail, &[0; 4])
            .unwrap();
        let mut data = [0; 4];
        p[1].region_read(pci::BAR_FW.index, 0, &mut data).unwrap();
        // The device's own register use is no guest access.
        p[1].csr_write(queue::TWQ0_TAIL::INFO.dword(0, 0), 0);
        assert_eq!(
            execute(&p, "mmio 1"),
            "ok port 1: bar0-reads 0 bar0-writes 1 bar4-reads 1 bar4-writes 0 top w:q+0x002=1"
        );
        assert!(execute(&p, "mmio 0 0").ends_with("bar4-writes 0 top"));
        assert!(execute(&p, "mmio 0 many").starts_with("error: "));
        assert_eq!(execute(&p, "mmio 1 reset"), "ok");
        assert!(execute(&p, "mmio 1").starts_with("ok port 1: bar0-reads 0 bar0-writes 0 "));
        assert!(execute(&p, "mmio 2").starts_with("error: "));
    }

    #[test]
    fn socket_round_trip() {
        let dir = std::env::temp_dir().join(format!("fbnic-ctl-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("ctl.sock");
        let p = ports();
        serve(&path, p.clone(), Some(dir.join("no-qemu.sock")), Vec::new()).unwrap();
        assert!(client(&path, &["link".into(), "down".into(), "0".into()]).unwrap());
        // monitor goes to QEMU's QMP socket (tested in qmp.rs): none here.
        assert!(!client(&path, &["monitor".into(), "info".into(), "status".into()]).unwrap());
        assert!(!p[0].link().carrier());
        assert!(!client(&path, &["bogus".into()]).unwrap());
        // A client that stays connected does not block the others.
        let mut held = UnixStream::connect(&path).unwrap();
        writeln!(held, "link up 0").unwrap();
        assert!(client(&path, &["status".into(), "0".into()]).unwrap());
        let mut answer = String::new();
        BufReader::new(&held).read_line(&mut answer).unwrap();
        assert_eq!(answer, "ok\n");
        assert!(p[0].link().carrier());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
