//! dyad's data model: the types every other crate speaks.
//!
//! - [`Article`]: one news story as read from input (the contract's input record).
//! - [`Event`]: one coded event as written to output (the contract's output record), with
//!   its [`EventActor`]s, [`CameoInfo`], [`PloverInfo`], [`AcledInfo`], [`Location`],
//!   [`Quantity`]s and [`Evidence`].
//! - [`cameo`]: our own table of CAMEO 1.1b3 event codes (label, Goldstein, QuadClass, PLOVER).
//!
//! This crate does no I/O; it only defines types and their serde form, which is the wire form
//! of `../shared/docs/event-contract.md`.
//!
//! ```
//! let code = dyad_model::cameo::lookup("195").unwrap();
//! assert_eq!(code.root(), "19");
//! assert_eq!(code.quad_class, 4);
//! ```

pub mod acled;
pub mod cameo;
mod event;

pub use event::*;
