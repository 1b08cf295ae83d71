// SPDX-License-Identifier: GPL-2.0

//! The Ethernet link: whether the PCS reports it up, the wait for link
//! training after it comes back, and the MAC enabled while it is up.
//!
//! The firmware picks the link mode (speed, lanes, FEC) and reports it in
//! its capabilities; the driver only watches it. The PCS signals changes on
//! interrupt vector 1 (cause `SIG_PCS_INTR_STS`, routed through
//! `INTR_MSIX_CTRL`), and the service task looks once a second as well, to
//! notice the end of training. Both end up in [`Link::update`].

#![forbid(unsafe_code)]

use kernel::{
    new_mutex,
    prelude::*,
    sync::Mutex,
    time::{
        Delta,
        Instant,
        Monotonic, //
    }, //
};

use crate::hw::reg::RegisterIo;
use crate::{
    hw::{
        csr::{
            intr,
            mac,
            sig, //
        },
        fw::{
            Fec,
            LinkConfig, //
        }, //
    },
    regs::Regs, //
};

/// How long the link must stay locked after it came back before it counts
/// as up: the time the physical layer needs for link training (the C
/// driver's PMD state machine).
const TRAINING: Delta = Delta::from_secs(4);

/// Where the physical layer is (`FBNIC_PMD_*`).
#[derive(Clone, Copy)]
enum Pmd {
    /// Passing data: the state at load, so that a link that is already up
    /// is used at once.
    SendData,
    /// No signal; training starts when it comes.
    Initialize,
    /// Signal since the given time; up once [`TRAINING`] has passed.
    Training(Instant<Monotonic>),
}

/// What the link changed to in [`Link::update`].
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Change {
    /// Nothing.
    None,
    /// It came up.
    Up,
    /// It went down.
    Down,
}

struct State {
    pmd: Pmd,
    /// Whether the link is reported up (carrier on, MAC enabled).
    up: bool,
    /// Whether the interface is open, so that link changes matter.
    open: bool,
}

/// The link of one port.
#[pin_data]
pub(crate) struct Link {
    config: LinkConfig,
    #[pin]
    state: Mutex<State>,
}

impl Link {
    /// A link in the configuration the firmware reported.
    pub(crate) fn new(config: LinkConfig) -> impl PinInit<Self> {
        pin_init!(Self {
            config,
            state <- new_mutex!(State {
                pmd: Pmd::SendData,
                up: false,
                open: false,
            }),
        })
    }

    /// The configuration.
    pub(crate) fn config(&self) -> LinkConfig {
        self.config
    }

    /// Whether the link is reported up.
    pub(crate) fn is_up(&self) -> bool {
        self.state.lock().up
    }

    /// Whether the interface is open (between [`Link::start`] and
    /// [`Link::stop`]).
    pub(crate) fn is_open(&self) -> bool {
        self.state.lock().open
    }

    /// Starts watching the link when the interface opens: routes the PCS
    /// cause to vector 1, clears stale events and checks the link once
    /// (`fbnic_mac_request_irq()`, `fbnic_mac_prepare()`).
    pub(crate) fn start(&self, regs: &Regs) -> Change {
        regs.write(
            intr::MSIX_CTRL::at(intr::PCS_SOURCE),
            intr::MSIX_CTRL::zeroed()
                .with(intr::MSIX_CTRL::VECTOR, intr::PCS_VECTOR.get())
                .set(intr::MSIX_CTRL::ENABLE),
        );
        regs.write_raw(intr::MSIX_CTRL::at(intr::RXB_SOURCE), 0);
        regs.write_raw(sig::PCS_INTR_MASK::AT, !0);
        regs.write_raw(sig::PCS_INTR_STS::AT, !0);

        let mut st = self.state.lock();
        if !self.pcs_link_up(regs) {
            st.pmd = Pmd::Initialize;
        }
        st.open = true;
        drop(st);
        self.update(regs)
    }

    /// Stops watching the link when the interface closes: unroutes and
    /// masks the PCS cause and disables the MAC (`fbnic_mac_free_irq()`,
    /// link down). Returns [`Change::Down`] if the link was up.
    pub(crate) fn stop(&self, regs: &Regs) -> Change {
        let mut st = self.state.lock();
        let change = if st.up { Change::Down } else { Change::None };
        st.open = false;
        st.up = false;
        regs.write(
            intr::MSIX_CTRL::at(intr::PCS_SOURCE),
            intr::MSIX_CTRL::zeroed().with(intr::MSIX_CTRL::VECTOR, intr::PCS_VECTOR.get()),
        );
        regs.write_raw(sig::PCS_INTR_MASK::AT, !0);
        let (word, bit) = intr::vector_bit(intr::PCS_VECTOR);
        regs.write_raw(intr::MASK_SET::at(word), bit);
        regs.wrfl();
        self.mac_down(regs);
        change
    }

    /// Reads the link state and reports a change, enabling or disabling
    /// the MAC to match (`fbnic_mac_get_link()` and the MAC link up/down
    /// callbacks). Re-arms the link interrupt.
    pub(crate) fn update(&self, regs: &Regs) -> Change {
        let mut st = self.state.lock();
        if !st.open {
            // Acknowledge but leave the cause masked: nothing listens.
            regs.write_raw(
                sig::PCS_INTR_STS::AT,
                sig::PCS_INTR_LINK_DOWN | sig::PCS_INTR_LINK_UP,
            );
            return Change::None;
        }

        // The status bits latch; flush them so they show the present
        // state, then take the events that led here.
        regs.write_raw(
            sig::PCS_OUT0::AT,
            sig::PCS_OUT0::LINK.mask()
                | sig::PCS_OUT0::BLOCK_LOCK.mask()
                | sig::PCS_OUT0::AMPS_LOCK.mask(),
        );
        regs.write_raw(sig::PCS_OUT1::AT, sig::PCS_OUT1::FCFEC_LOCK.mask());
        regs.wrfl();
        regs.write_raw(
            sig::PCS_INTR_STS::AT,
            sig::PCS_INTR_LINK_DOWN | sig::PCS_INTR_LINK_UP,
        );

        let signal = self.pcs_link_up(regs);
        let link = match (signal, st.pmd) {
            (false, _) => {
                st.pmd = Pmd::Initialize;
                false
            }
            (true, Pmd::SendData) => true,
            (true, Pmd::Training(since)) if since.elapsed() >= TRAINING => {
                st.pmd = Pmd::SendData;
                true
            }
            (true, Pmd::Training(_)) => false,
            (true, Pmd::Initialize) => {
                st.pmd = Pmd::Training(Instant::now());
                false
            }
        };

        // Only changes of the link state interrupt from here on.
        regs.write_raw(
            sig::PCS_INTR_MASK::AT,
            !(sig::PCS_INTR_LINK_DOWN | sig::PCS_INTR_LINK_UP),
        );
        let (word, bit) = intr::vector_bit(intr::PCS_VECTOR);
        regs.write_raw(intr::MASK_CLEAR::at(word), bit);

        let change = match (st.up, link) {
            (false, true) => {
                self.mac_up(regs);
                Change::Up
            }
            (true, false) => {
                self.mac_down(regs);
                Change::Down
            }
            _ => Change::None,
        };
        st.up = link;
        change
    }

    fn pcs_link_up(&self, regs: &Regs) -> bool {
        let out0 = regs.read_raw(sig::PCS_OUT0::AT);
        let out1 = regs.read_raw(sig::PCS_OUT1::AT);
        self.config.pcs_link_up(out0, out1)
    }

    /// The `MAC_COMMAND_CONFIG` bits every state has: promiscuous (the RX
    /// parser filters, not the MAC), TX padding, no pause frames, and no
    /// fault handling without FEC.
    fn command_config(&self) -> u32 {
        let mut cfg = mac::COMMAND_CONFIG::TX_PAD_EN.mask()
            | mac::COMMAND_CONFIG::PROMISC_EN.mask()
            | mac::COMMAND_CONFIG::TX_PAUSE_DIS.mask()
            | mac::COMMAND_CONFIG::RX_PAUSE_DIS.mask();
        if self.config.fec == Fec::Off {
            cfg |= mac::COMMAND_CONFIG::FLT_HDL_DIS.mask();
        }
        cfg
    }

    const MAC_RESETS: u32 = sig::MAC_IN0::RESET_FF_TX_CLK.mask()
        | sig::MAC_IN0::RESET_TX_CLK.mask()
        | sig::MAC_IN0::RESET_FF_RX_CLK.mask()
        | sig::MAC_IN0::RESET_RX_CLK.mask();

    /// Takes the MAC out of reset and enables both directions.
    fn mac_up(&self, regs: &Regs) {
        regs.rmw_raw(sig::MAC_IN0::AT, Self::MAC_RESETS, 0);
        regs.write_raw(
            mac::COMMAND_CONFIG::AT,
            self.command_config()
                | mac::COMMAND_CONFIG::RX_ENA.mask()
                | mac::COMMAND_CONFIG::TX_ENA.mask(),
        );
    }

    /// Disables the MAC and holds it in reset.
    fn mac_down(&self, regs: &Regs) {
        regs.rmw_raw(sig::MAC_IN0::AT, 0, Self::MAC_RESETS);
        regs.write_raw(mac::COMMAND_CONFIG::AT, self.command_config());
    }
}
