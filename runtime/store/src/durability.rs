//! Durable acknowledgements: [`Ticket`]s and the group commit behind them.
//!
//! Every write returns a ticket. Waiting on it (blocking with [`Ticket::wait`],
//! or `.await`) returns once a flush that started after the write has
//! completed, so the write survives a crash. One background thread per
//! [`SledStore`](crate::SledStore) does the flushing: writers that wait
//! register the ticket they need, and one `flush()` releases every writer whose
//! write came before it started (group commit). While a flush runs, new writers
//! gather for the next one, so a busy store flushes back to back and each flush
//! covers many writes. A ticket also covers every write made on the same store
//! before it.

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker};
use std::thread::JoinHandle;

use crate::error::{Result, StoreError};

/// The right to wait until a write is durable. Dropping it is fine when the
/// caller does not need durability (the write still happens, and reaches disk
/// with a later flush).
#[must_use = "wait on the ticket (or drop it explicitly) to say whether the write must be durable"]
#[derive(Debug, Clone)]
pub struct Ticket {
    commit: Option<Arc<GroupCommit>>,
    seq: u64,
}

impl Ticket {
    /// A ticket for a write that is already as durable as it gets (the
    /// in-memory store).
    pub fn durable() -> Ticket {
        Ticket {
            commit: None,
            seq: 0,
        }
    }

    /// Whether waiting would return at once (the write is durable, or its
    /// flush failed).
    pub fn is_ready(&self) -> bool {
        self.commit
            .as_ref()
            .is_none_or(|commit| commit.lock().outcome(self.seq).is_some())
    }

    /// Blocks until the write is on disk; `Err(Io)` if the flush failed or
    /// the store closed before the write could be flushed.
    pub fn wait(self) -> Result<()> {
        let Some(commit) = &self.commit else {
            return Ok(());
        };
        let mut state = commit.lock();
        loop {
            if let Some(outcome) = state.outcome(self.seq) {
                return outcome;
            }
            commit.request(&mut state, self.seq);
            state = commit
                .flushed
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

impl IntoFuture for Ticket {
    type Output = Result<()>;
    type IntoFuture = Durable;

    fn into_future(self) -> Durable {
        Durable { ticket: self }
    }
}

/// The future of a [`Ticket`]: ready once the write is on disk. It needs no
/// particular runtime (the flusher thread wakes it).
#[derive(Debug)]
#[must_use = "futures do nothing unless polled"]
pub struct Durable {
    ticket: Ticket,
}

impl Future for Durable {
    type Output = Result<()>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<()>> {
        let Some(commit) = &self.ticket.commit else {
            return Poll::Ready(Ok(()));
        };
        let seq = self.ticket.seq;
        let mut state = commit.lock();
        if let Some(outcome) = state.outcome(seq) {
            return Poll::Ready(outcome);
        }
        state.wakers.push((seq, cx.waker().clone()));
        commit.request(&mut state, seq);
        Poll::Pending
    }
}

/// The group commit of one store: ticket numbers, what waiters need, what the
/// flusher has done.
#[derive(Debug)]
pub(crate) struct GroupCommit {
    /// The last ticket number given out; written after the write it covers.
    issued: AtomicU64,
    state: Mutex<State>,
    /// Wakes the flusher.
    wanted: Condvar,
    /// Wakes blocked waiters after each flush.
    flushed: Condvar,
}

#[derive(Debug, Default)]
struct State {
    /// The highest ticket someone waits for.
    wanted: u64,
    /// Every ticket up to this one is durable.
    flushed: u64,
    /// Every ticket above `flushed` and up to this one failed with `error`.
    failed: u64,
    error: String,
    /// The store is closing: flush everything once more, then stop.
    closing: bool,
    /// The flusher thread is gone; tickets it did not cover fail.
    stopped: bool,
    /// Futures to wake, with the ticket each waits for.
    wakers: Vec<(u64, Waker)>,
    /// How many flushes completed (for benchmarks).
    flushes: u64,
}

impl State {
    fn outcome(&self, seq: u64) -> Option<Result<()>> {
        if seq <= self.flushed {
            Some(Ok(()))
        } else if seq <= self.failed {
            Some(Err(StoreError::Io(format!("flush failed: {}", self.error))))
        } else if self.stopped {
            Some(Err(StoreError::Io(
                "the store closed before the write was flushed".into(),
            )))
        } else {
            None
        }
    }

    fn settled(&self) -> u64 {
        self.flushed.max(self.failed)
    }

    fn ready_wakers(&mut self) -> Vec<Waker> {
        let settled = self.settled();
        let stopped = self.stopped;
        let (ready, waiting) = std::mem::take(&mut self.wakers)
            .into_iter()
            .partition(|(seq, _)| stopped || *seq <= settled);
        self.wakers = waiting;
        ready.into_iter().map(|(_, waker)| waker).collect()
    }
}

impl GroupCommit {
    /// Starts the flusher thread; `flush` makes every write made so far durable.
    pub(crate) fn start<F>(flush: F) -> Result<(Arc<GroupCommit>, JoinHandle<()>)>
    where
        F: FnMut() -> Result<()> + Send + 'static,
    {
        let commit = Arc::new(GroupCommit {
            issued: AtomicU64::new(0),
            state: Mutex::new(State::default()),
            wanted: Condvar::new(),
            flushed: Condvar::new(),
        });
        let flusher = Arc::clone(&commit);
        let thread = std::thread::Builder::new()
            .name("stepwise-store-flush".into())
            .spawn(move || flusher.run(flush))
            .map_err(|e| StoreError::Io(format!("cannot start the flusher thread: {e}")))?;
        Ok((commit, thread))
    }

    /// A ticket for the writes made so far; call after the write.
    pub(crate) fn ticket(self: &Arc<Self>) -> Ticket {
        Ticket {
            seq: self.issued.fetch_add(1, Ordering::SeqCst) + 1,
            commit: Some(Arc::clone(self)),
        }
    }

    /// Flushes what was written, then stops the flusher thread.
    pub(crate) fn close(&self) {
        let mut state = self.lock();
        state.closing = true;
        state.wanted = self.issued.load(Ordering::SeqCst);
        self.wanted.notify_one();
    }

    /// How many flushes completed.
    pub(crate) fn flushes(&self) -> u64 {
        self.lock().flushes
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn request(&self, state: &mut State, seq: u64) {
        if state.wanted < seq {
            state.wanted = seq;
            self.wanted.notify_one();
        }
    }

    fn run<F: FnMut() -> Result<()>>(&self, mut flush: F) {
        // Marks the flusher stopped however the loop ends, so that no waiter
        // blocks forever.
        struct Stopped<'a>(&'a GroupCommit);
        impl Drop for Stopped<'_> {
            fn drop(&mut self) {
                let mut state = self.0.lock();
                state.stopped = true;
                let wakers = state.ready_wakers();
                self.0.flushed.notify_all();
                drop(state);
                wakers.into_iter().for_each(Waker::wake);
            }
        }
        let _stopped = Stopped(self);

        let mut state = self.lock();
        loop {
            if state.wanted <= state.settled() {
                if state.closing {
                    return;
                }
                state = self
                    .wanted
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner);
                continue;
            }
            drop(state);
            // Every ticket up to `target` was given out after its write, so
            // a flush that starts now covers it.
            let target = self.issued.load(Ordering::SeqCst);
            let outcome = flush();
            state = self.lock();
            state.flushes += 1;
            match outcome {
                Ok(()) => state.flushed = state.flushed.max(target),
                Err(error) => {
                    state.failed = target;
                    state.error = error.to_string();
                }
            }
            let wakers = state.ready_wakers();
            self.flushed.notify_all();
            drop(state);
            wakers.into_iter().for_each(Waker::wake);
            state = self.lock();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use std::task::Wake;

    struct Unpark(std::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }

    /// A minimal executor: polls `future` on this thread until it is ready.
    fn block_on<F: Future>(future: F) -> F::Output {
        let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
        let mut cx = Context::from_waker(&waker);
        let mut future = std::pin::pin!(future);
        loop {
            if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
                return output;
            }
            std::thread::park();
        }
    }

    #[test]
    fn many_waiters_share_flushes() {
        let count = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&count);
        let (commit, thread) = GroupCommit::start(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            std::thread::sleep(std::time::Duration::from_millis(2));
            Ok(())
        })
        .expect("start");
        let waiters: Vec<_> = (0..16)
            .map(|_| {
                let commit = Arc::clone(&commit);
                std::thread::spawn(move || {
                    for _ in 0..20 {
                        commit.ticket().wait().expect("durable");
                    }
                })
            })
            .collect();
        for waiter in waiters {
            waiter.join().expect("waiter");
        }
        assert!(count.load(Ordering::SeqCst) < 16 * 20);
        assert!(block_on(commit.ticket().into_future()).is_ok());
        commit.close();
        thread.join().expect("flusher");
        assert_eq!(commit.flushes() as usize, count.load(Ordering::SeqCst));
    }

    #[test]
    fn failed_flushes_fail_their_tickets_and_closing_fails_the_rest() {
        let (commit, thread) =
            GroupCommit::start(|| Err(StoreError::Io("disk full".into()))).expect("start");
        let ticket = commit.ticket();
        assert!(!ticket.is_ready());
        assert!(matches!(ticket.wait(), Err(StoreError::Io(e)) if e.contains("disk full")));
        assert!(block_on(commit.ticket().into_future()).is_err());
        commit.close();
        thread.join().expect("flusher");
        let late = commit.ticket();
        assert!(late.is_ready());
        assert!(late.wait().is_err());
    }

    #[test]
    fn memory_tickets_are_ready() {
        let ticket = Ticket::durable();
        assert!(ticket.is_ready());
        assert!(block_on(ticket.clone().into_future()).is_ok());
        assert!(ticket.wait().is_ok());
    }
}
