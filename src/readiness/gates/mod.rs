//! One module per readiness gate, in the order they are judged and shown: stage 1 gates
//! (documentation) first, then stage 2 gates (implementation). Each module has one `gate`
//! function reading the shared [`super::context::Ctx`].

pub(super) mod audit;
pub(super) mod corrective;
pub(super) mod errors;
pub(super) mod leadership;
pub(super) mod mandatory;
pub(super) mod operating;
pub(super) mod records;
pub(super) mod review;
pub(super) mod scope;
