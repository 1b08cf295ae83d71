// SPDX-License-Identifier: GPL-2.0

//! Self-tests (`self_test`, `ethtool -t`).

use crate::kernel_ext::bindings;

/// One self-test run (`struct ethtool_test` and its result array): what
/// was asked, one result per name of the [`StringSet::Test`] set (0 means
/// passed), and whether the run failed.
///
/// [`StringSet::Test`]: super::StringSet::Test
pub struct SelfTest<'a> {
    flags: &'a mut u32,
    results: &'a mut [u64],
}

impl<'a> SelfTest<'a> {
    /// A run with flags `flags` and results `results`.
    pub(super) fn new(flags: &'a mut u32, results: &'a mut [u64]) -> Self {
        Self { flags, results }
    }

    /// Whether the offline tests were asked for too
    /// (`ETH_TEST_FL_OFFLINE`): they may take the interface down.
    pub fn offline(&self) -> bool {
        *self.flags & bindings::ethtool_test_flags_ETH_TEST_FL_OFFLINE != 0
    }

    /// Marks the run as failed (`ETH_TEST_FL_FAILED`).
    pub fn set_failed(&mut self) {
        *self.flags |= bindings::ethtool_test_flags_ETH_TEST_FL_FAILED;
    }

    /// Sets the result of test `index` (0: passed); marks the run failed
    /// if it is not 0. An index past the set is ignored.
    pub fn set_result(&mut self, index: usize, result: u64) {
        if let Some(slot) = self.results.get_mut(index) {
            *slot = result;
        }
        if result != 0 {
            self.set_failed();
        }
    }
}
