// SPDX-License-Identifier: GPL-2.0

//! A QMP client for the control socket's `monitor` command: it runs one of
//! QEMU's human monitor (HMP) commands (`human-monitor-command`) on the
//! QMP socket QEMU serves (`-qmp unix:PATH,server=on,wait=off`, given to
//! the emulator as `--qmp PATH`). The lab uses it to inject PCIe errors
//! (`pcie_aer_inject_error`) from a guest test, which reaches nothing of
//! QEMU but the emulator's control channel. [`execute`] runs a QMP
//! command itself (the control socket's `device-add` and `device-del`,
//! [`crate::hotplug`]).
//!
//! One connection per command: the greeting, `qmp_capabilities`, the
//! command, its answer. Events QEMU sends meanwhile are skipped.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::Duration;

/// How long QEMU may take to answer one message.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Runs HMP `command` through the QMP socket at `path`; the monitor's
/// output, lines joined by " | " (a command's complaint is output too,
/// for the caller to judge), or why QMP failed: no socket, a QMP error.
pub fn human_command(path: &Path, command: &str) -> Result<String, String> {
    let output = execute(
        path,
        &format!(
            "{{\"execute\": \"human-monitor-command\", \"arguments\": {{\"command-line\": {}}}}}",
            quote(command)
        ),
    )?;
    // HMP reports what went wrong in its output: the caller judges it.
    Ok(output.trim().replace("\r\n", "\n").replace('\n', " | "))
}

/// Runs one QMP command, `message` (a JSON object on one line), through
/// the QMP socket at `path`: its `return` value (a string unquoted,
/// anything else as QEMU wrote it), or the QMP error's description.
pub fn execute(path: &Path, message: &str) -> Result<String, String> {
    let err = |e: std::io::Error| format!("QMP socket {}: {e}", path.display());
    if message.contains('\n') {
        return Err("a QMP message is one line".into());
    }
    let stream = UnixStream::connect(path).map_err(err)?;
    stream.set_read_timeout(Some(TIMEOUT)).map_err(err)?;
    let mut out = stream.try_clone().map_err(err)?;
    let mut lines = BufReader::new(stream.take(1 << 20));
    let greeting = next_message(&mut lines).map_err(err)?;
    if !greeting.contains("\"QMP\"") {
        return Err(format!("not a QMP greeting: {greeting}"));
    }
    writeln!(out, "{{\"execute\": \"qmp_capabilities\"}}").map_err(err)?;
    answer(&next_message(&mut lines).map_err(err)?)?;
    writeln!(out, "{message}").map_err(err)?;
    answer(&next_message(&mut lines).map_err(err)?)
}

/// The next message that is not an event.
fn next_message(lines: &mut impl BufRead) -> std::io::Result<String> {
    loop {
        let mut line = String::new();
        if lines.read_line(&mut line)? == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "QEMU closed the QMP connection",
            ));
        }
        let line = line.trim();
        if !line.is_empty() && !line.starts_with("{\"event\"") {
            return Ok(line.to_string());
        }
    }
}

/// The value of a `{"return": ...}` message as a string (a JSON string
/// unquoted, anything else as it is), or the `{"error": ...}`'s
/// description.
fn answer(msg: &str) -> Result<String, String> {
    let field = |name: &str| {
        let key = format!("\"{name}\":");
        msg.find(&key).map(|at| msg[at + key.len()..].trim_start())
    };
    if let Some(v) = field("return") {
        return Ok(match v.strip_prefix('"') {
            Some(s) => unquote(s).ok_or_else(|| format!("bad QMP string: {msg}"))?,
            None => v.strip_suffix('}').unwrap_or(v).trim().to_string(),
        });
    }
    if let Some(desc) = field("desc") {
        let desc = desc.strip_prefix('"').and_then(unquote);
        return Err(format!("QMP error: {}", desc.as_deref().unwrap_or(msg)));
    }
    Err(format!("unexpected QMP message: {msg}"))
}

/// `s` as a JSON string.
pub fn quote(s: &str) -> String {
    let mut q = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            c if (c as u32) < 0x20 => q.push_str(&format!("\\u{:04x}", c as u32)),
            c => q.push(c),
        }
    }
    q.push('"');
    q
}

/// The JSON string that `s` starts with (after its opening quote),
/// unescaped; None if it is not terminated or has a bad escape.
fn unquote(s: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = s.chars();
    loop {
        match chars.next()? {
            '"' => return Some(out),
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                'r' => out.push('\r'),
                't' => out.push('\t'),
                'b' => out.push('\u{8}'),
                'f' => out.push('\u{c}'),
                'u' => {
                    let hex: String = chars.by_ref().take(4).collect();
                    let c = u32::from_str_radix(&hex, 16).ok()?;
                    out.push(char::from_u32(c).unwrap_or('\u{fffd}'));
                }
                c => out.push(c),
            },
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::net::UnixListener;
    use std::thread;

    /// A QMP server for one connection: greets, answers capabilities,
    /// sends an event, then `reply` to the command; returns what the
    /// client sent.
    fn fake_qemu(path: &Path, reply: &'static str) -> thread::JoinHandle<Vec<String>> {
        let listener = UnixListener::bind(path).unwrap();
        thread::spawn(move || {
            let (s, _) = listener.accept().unwrap();
            let mut out = s.try_clone().unwrap();
            let mut lines = BufReader::new(s).lines();
            let mut got = Vec::new();
            writeln!(
                out,
                "{{\"QMP\": {{\"version\": {{}}, \"capabilities\": []}}}}"
            )
            .unwrap();
            got.push(lines.next().unwrap().unwrap());
            writeln!(out, "{{\"return\": {{}}}}").unwrap();
            got.push(lines.next().unwrap().unwrap());
            writeln!(out, "{{\"event\": \"RESET\", \"data\": {{}}}}").unwrap();
            writeln!(out, "{reply}").unwrap();
            got
        })
    }

    #[test]
    fn runs_a_human_monitor_command() {
        let dir = std::env::temp_dir().join(format!("fbnic-qmp-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        // One command against a fake QEMU answering reply: the result and
        // what the client sent.
        let exchange = |name: &str, reply: &'static str, command: &str| {
            let path = dir.join(name);
            let _ = std::fs::remove_file(&path);
            let server = fake_qemu(&path, reply);
            let got = human_command(&path, command);
            (got, server.join().unwrap())
        };
        let (out, sent) = exchange(
            "ok.sock",
            "{\"return\": \"\"}",
            "pcie_aer_inject_error -c rp \"x\"",
        );
        assert_eq!(out.unwrap(), "");
        assert_eq!(sent[0], "{\"execute\": \"qmp_capabilities\"}");
        assert_eq!(
            sent[1],
            "{\"execute\": \"human-monitor-command\", \"arguments\": \
             {\"command-line\": \"pcie_aer_inject_error -c rp \\\"x\\\"\"}}"
        );
        let (out, _) = exchange(
            "err.sock",
            "{\"return\": \"Device 'nope' not found\\r\\nline 2\\r\\n\"}",
            "pcie_aer_inject_error nope UNSUP",
        );
        assert_eq!(out.unwrap(), "Device 'nope' not found | line 2");
        let (e, _) = exchange(
            "qmperr.sock",
            "{\"error\": {\"class\": \"GenericError\", \"desc\": \"no \\\"such\\\"\"}}",
            "x",
        );
        assert_eq!(e.unwrap_err(), "QMP error: no \"such\"");

        let path = dir.join("raw.sock");
        let _ = std::fs::remove_file(&path);
        let server = fake_qemu(&path, "{\"return\": {}}");
        let msg = "{\"execute\": \"device_del\", \"arguments\": {\"id\": \"fbnic1\"}}";
        assert_eq!(execute(&path, msg).unwrap(), "{}");
        assert_eq!(server.join().unwrap()[1], msg);
        assert!(execute(&path, "{\n}").is_err());

        let e = human_command(&dir.join("none.sock"), "x").unwrap_err();
        assert!(e.starts_with("QMP socket "), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn json_strings() {
        assert_eq!(quote("a\"b\\c\n"), "\"a\\\"b\\\\c\\u000a\"");
        assert_eq!(unquote("a\\u0041\\n\" rest").as_deref(), Some("aA\n"));
        assert_eq!(unquote("unterminated"), None);
        assert_eq!(answer("{\"return\": {}}").unwrap(), "{}");
    }
}
