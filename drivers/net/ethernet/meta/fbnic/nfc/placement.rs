// SPDX-License-Identifier: GPL-2.0

//! Where a flow rule goes: the location ethtool asks for, or the one the
//! driver chooses when it leaves the choice open, as the C driver chooses.
//!
//! `core` only, like `hw/`: the host crate `fbnic-logic` compiles this file
//! too and runs its unit tests.

#![forbid(unsafe_code)]

/// The location a rule asks for (`RX_CLS_LOC_*` or a number).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Wanted {
    /// The first free location (highest priority).
    First,
    /// The last free location (lowest priority): also ethtool's "any".
    Last,
    /// Exactly this one.
    At(u32),
}

/// Why a rule gets no location.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PlaceError {
    /// The location asked for holds a rule.
    Busy,
    /// The location asked for is beyond the table.
    NoSuchLocation,
    /// Every location holds a rule.
    Full,
}

/// The location a rule asking for `wanted` gets in `table`, whose free
/// locations are `None`.
pub(crate) fn place<T>(table: &[Option<T>], wanted: Wanted) -> Result<u32, PlaceError> {
    let free = |i: &usize| table[*i].is_none();
    let found = match wanted {
        Wanted::Last => (0..table.len()).rev().find(free),
        Wanted::First => (0..table.len()).find(free),
        Wanted::At(l) => {
            return match table.get(l as usize) {
                None => Err(PlaceError::NoSuchLocation),
                Some(None) => Ok(l),
                Some(Some(_)) => Err(PlaceError::Busy),
            }
        }
    };
    found
        .and_then(|i| u32::try_from(i).ok())
        .ok_or(PlaceError::Full)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_takes_the_last_free() {
        let mut t = [None; 4];
        assert_eq!(place(&t, Wanted::Last), Ok(3));
        t[3] = Some(());
        assert_eq!(place(&t, Wanted::Last), Ok(2));
        assert_eq!(place(&t, Wanted::First), Ok(0));
        t[0] = Some(());
        assert_eq!(place(&t, Wanted::First), Ok(1));
    }

    #[test]
    fn chosen_location() {
        let mut t = [None; 4];
        t[1] = Some(());
        assert_eq!(place(&t, Wanted::At(2)), Ok(2));
        assert_eq!(place(&t, Wanted::At(1)), Err(PlaceError::Busy));
        assert_eq!(place(&t, Wanted::At(4)), Err(PlaceError::NoSuchLocation));
        assert_eq!(
            place(&t, Wanted::At(u32::MAX)),
            Err(PlaceError::NoSuchLocation)
        );
    }

    #[test]
    fn full() {
        let t = [Some(()); 4];
        for w in [Wanted::First, Wanted::Last] {
            assert_eq!(place(&t, w), Err(PlaceError::Full));
        }
        assert_eq!(place(&t, Wanted::At(0)), Err(PlaceError::Busy));
        let empty: [Option<()>; 0] = [];
        assert_eq!(place(&empty, Wanted::Last), Err(PlaceError::Full));
    }
}
