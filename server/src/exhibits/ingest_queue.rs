//! At most a few ingests at once: each may take hundreds of MB and seconds of CPU, so
//! parallel uploads wait their turn instead of adding up. The uploader's page asks for its
//! place with the ticket it sent. After each ingest, freed memory goes back to the system.

use std::collections::VecDeque;
use std::sync::Mutex;

use serde::Serialize;
use tokio::sync::Semaphore;
use utoipa::ToSchema;

/// Uploads that may wait; more get "busy, try again" instead of queueing without end.
pub const MAX_WAITING: usize = 16;

pub struct IngestQueue {
    slots: Semaphore,
    state: Mutex<QueueState>,
}

#[derive(Default)]
struct QueueState {
    waiting: VecDeque<String>,
    /// Tickets being checked, with the time each started.
    running: Vec<(String, std::time::SystemTime)>,
}

/// Where an upload stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct QueuePlace {
    /// `waiting`, `running`, or `unknown` (finished, or never sent).
    pub state: String,
    /// 1 = next; 0 when not waiting.
    pub place: usize,
    pub waiting: usize,
}

#[derive(Debug, thiserror::Error)]
#[error("{0} uploads are already waiting to be checked")]
pub struct QueueFull(pub usize);

/// Takes the ticket out of the queue however the request ends (also when the uploader
/// goes away while waiting and the request's future is dropped).
struct Leave<'q> {
    queue: &'q IngestQueue,
    ticket: String,
}

impl Drop for Leave<'_> {
    fn drop(&mut self) {
        let mut state = self.queue.lock();
        state.waiting.retain(|t| *t != self.ticket);
        state.running.retain(|(t, _)| *t != self.ticket);
    }
}

impl IngestQueue {
    pub fn new(parallel: usize) -> Self {
        Self {
            slots: Semaphore::new(parallel.max(1)),
            state: Mutex::default(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, QueueState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn place(&self, ticket: &str) -> QueuePlace {
        let state = self.lock();
        let waiting = state.waiting.len();
        if let Some(i) = state.waiting.iter().position(|t| t == ticket) {
            return QueuePlace {
                state: "waiting".into(),
                place: i + 1,
                waiting,
            };
        }
        let running = state.running.iter().any(|(t, _)| t == ticket);
        QueuePlace {
            state: if running { "running" } else { "unknown" }.into(),
            place: 0,
            waiting,
        }
    }

    /// When the longest-running ingest started (the blobs it writes are younger).
    pub fn oldest_running(&self) -> Option<std::time::SystemTime> {
        self.lock().running.iter().map(|(_, at)| *at).min()
    }

    /// Runs `job` on a blocking thread once a slot is free.
    pub async fn run<T: Send + 'static>(
        &self,
        ticket: String,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<Result<T, tokio::task::JoinError>, QueueFull> {
        {
            let mut state = self.lock();
            if state.waiting.len() >= MAX_WAITING {
                return Err(QueueFull(state.waiting.len()));
            }
            state.waiting.push_back(ticket.clone());
        }
        let leave = Leave {
            queue: self,
            ticket,
        };
        let _slot = self
            .slots
            .acquire()
            .await
            .expect("the semaphore is never closed");
        {
            let mut state = self.lock();
            state.waiting.retain(|t| *t != leave.ticket);
            state
                .running
                .push((leave.ticket.clone(), std::time::SystemTime::now()));
        }
        let done = tokio::task::spawn_blocking(job).await;
        release_freed_memory();
        drop(leave);
        Ok(done)
    }
}

/// glibc keeps freed blocks in its per-thread arenas, so the RSS after a burst of large
/// uploads stays at its peak; trimming hands the free pages back to the system.
pub fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory of the allocator; no pointers involved.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[tokio::test]
    async fn uploads_wait_their_turn_and_see_their_place() {
        let queue = Arc::new(IngestQueue::new(1));
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let q = queue.clone();
        let first = tokio::spawn(async move { q.run("a".into(), move || rx.recv().ok()).await });
        while queue.place("a").state != "running" {
            tokio::task::yield_now().await;
        }
        let q = queue.clone();
        let second = tokio::spawn(async move { q.run("b".into(), || 2).await });
        while queue.place("b").state != "waiting" {
            tokio::task::yield_now().await;
        }
        assert_eq!(queue.place("b").place, 1);
        tx.send(()).unwrap();
        first.await.unwrap().unwrap().unwrap();
        assert_eq!(second.await.unwrap().unwrap().unwrap(), 2);
        assert_eq!(queue.place("b").state, "unknown");
    }
}
