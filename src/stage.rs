//! The two stages of a certification audit, shared by `readiness` (which gates each stage
//! needs) and `pack` (what each stage's auditor receives).

use serde::{Serialize, Serializer};

/// A certification audit stage. Ordered: stage 1 comes before stage 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    /// Documentation review: approved documented information, scope, gap evaluation.
    One,
    /// Implementation: stage 1 plus the records of the audit period and their evidence.
    Two,
}

impl Stage {
    /// The stage as the command line and JSON outputs write it.
    pub fn number(self) -> u8 {
        match self {
            Stage::One => 1,
            Stage::Two => 2,
        }
    }

    /// `1` or `2`, as `--stage` takes it (clap already refuses other values).
    pub fn from_number(number: u8) -> Stage {
        if number <= 1 { Stage::One } else { Stage::Two }
    }
}

/// Serialised as its number, the shape of the readiness and pack JSON.
impl Serialize for Stage {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(self.number())
    }
}
