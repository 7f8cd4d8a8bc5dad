//! The time an ingest may spend: checked between steps and inside the long loops, so that a
//! model built to be slow is refused in seconds with the step it was in.

use std::time::Instant;

use super::limits::MAX_INGEST_TIME;
use super::report::Problem;

#[derive(Debug, Clone, Copy)]
pub struct Deadline(Instant);

impl Deadline {
    pub fn start() -> Self {
        Deadline(Instant::now() + MAX_INGEST_TIME)
    }

    pub fn check(&self, step: &str) -> Result<(), Problem> {
        if Instant::now() > self.0 {
            return Err(Problem::new(
                "ingest_time",
                format!(
                    "checking the model took longer than {} s (while {step}): simplify it or split it into smaller exhibits",
                    MAX_INGEST_TIME.as_secs()
                ),
            ));
        }
        Ok(())
    }
}
