// SPDX-License-Identifier: GPL-2.0

//! Plugging a port's PCI function into QEMU and pulling it out again,
//! from the control socket, for surprise-removal tests:
//!
//! * `device-del ID`: QMP `device_del` of QEMU device `ID` (an orderly
//!   unplug request: the guest's hotplug driver is asked to let go);
//! * `device-add PORT ID BUS`: QMP `device_add` of a `vfio-user-pci`
//!   device named `ID` on bus `BUS` (a PCIe root port) that connects to
//!   port `PORT`'s socket again.
//!
//! The guest cannot name the socket (a host path), hence the port number.
//! Between the two, the port's server sees its client leave (the device
//! is reset, [`crate::vfio::serve`]) and waits for the next one.

use std::path::{Path, PathBuf};

use crate::qmp;

/// The QMP message of a control line starting with `device-add` or
/// `device-del`, or why the line is wrong. `sockets[i]` is port i's
/// vfio-user socket.
pub fn message(sockets: &[PathBuf], line: &str) -> Result<String, String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let name = |s: &str| {
        if !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            Ok(qmp::quote(s))
        } else {
            Err(format!("'{s}' is not a QEMU id"))
        }
    };
    match words.as_slice() {
        ["device-del", id] => Ok(format!(
            "{{\"execute\": \"device_del\", \"arguments\": {{\"id\": {}}}}}",
            name(id)?
        )),
        ["device-add", port, id, bus] => {
            let socket = port
                .parse::<usize>()
                .ok()
                .and_then(|p| sockets.get(p))
                .ok_or_else(|| format!("no port '{port}'"))?;
            let socket = socket
                .to_str()
                .ok_or_else(|| format!("socket path {} is not UTF-8", socket.display()))?;
            Ok(format!(
                "{{\"execute\": \"device_add\", \"arguments\": {{\"driver\": \"vfio-user-pci\", \
                 \"id\": {}, \"bus\": {}, \"socket\": {{\"type\": \"unix\", \"path\": {}}}}}}}",
                name(id)?,
                name(bus)?,
                qmp::quote(socket)
            ))
        }
        ["device-del", ..] => Err("device-del ID".into()),
        _ => Err("device-add PORT ID BUS".into()),
    }
}

/// Runs a `device-add` or `device-del` control line against QEMU's QMP
/// socket `qmp`; the control answer ("ok" or "error: ...").
pub fn command(qmp: Option<&Path>, sockets: &[PathBuf], line: &str) -> String {
    let Some(path) = qmp else {
        return "error: no QMP socket (--qmp)".into();
    };
    match message(sockets, line).and_then(|m| qmp::execute(path, &m)) {
        Ok(_) => {
            log::info!("control: {line}");
            "ok".into()
        }
        Err(e) => format!("error: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages() {
        let sockets = [
            PathBuf::from("/run/p0.sock"),
            PathBuf::from("/run/p\"1.sock"),
        ];
        assert_eq!(
            message(&sockets, "device-del fbnic1").unwrap(),
            "{\"execute\": \"device_del\", \"arguments\": {\"id\": \"fbnic1\"}}"
        );
        assert_eq!(
            message(&sockets, "device-add 1 fbnic1 fbnic-rp1").unwrap(),
            "{\"execute\": \"device_add\", \"arguments\": {\"driver\": \"vfio-user-pci\", \
             \"id\": \"fbnic1\", \"bus\": \"fbnic-rp1\", \"socket\": {\"type\": \"unix\", \
             \"path\": \"/run/p\\\"1.sock\"}}}"
        );
        for bad in [
            "device-add 2 fbnic2 rp2",
            "device-add x fbnic2 rp2",
            "device-add 0 fbnic0",
            "device-add 0 a\"b rp0",
            "device-del",
            "device-del a b",
            "device-del a,b",
        ] {
            assert!(message(&sockets, bad).is_err(), "{bad} accepted");
        }
        assert_eq!(
            command(None, &sockets, "device-del fbnic0"),
            "error: no QMP socket (--qmp)"
        );
        let e = command(
            Some(Path::new("/nonexistent/qmp")),
            &sockets,
            "device-del x",
        );
        assert!(e.starts_with("error: QMP socket"), "{e}");
    }
}
