//! The exhibition: exhibits as data, the default exhibition, and the ingest of uploads.
//!
//! - [`glb`]: the one GLB form exhibits are stored and served in.
//! - [`shapes`], [`defaults`]: the generated default exhibition; [`printable_defaults`]: its
//!   printable models.
//! - [`ingest`]: validating and optimising uploads; [`panel_images`]: pictures for the panel;
//!   [`image_codec`]: PNG/JPEG in, PNG out, for both.
//! - [`catalog`]: submitting, approving, hiding; news for the game loop; [`seeding`]: the
//!   lab's own exhibition on the first start.

pub mod catalog;
pub mod defaults;
pub mod glb;
pub mod image_codec;
pub mod ingest;
pub mod ingest_queue;
pub mod panel_images;
pub mod printable_defaults;
pub mod seeding;
pub mod shapes;
