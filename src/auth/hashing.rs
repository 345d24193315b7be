//! The threads that run PBKDF2. Password checks are slow on purpose; run on the blocking
//! pool that also serves store reads, a flood of logins would queue every authenticated
//! read behind them. They run here instead: a few dedicated threads behind a bounded queue,
//! at the lowest scheduling priority, so hashing only takes the CPU that serving requests
//! leaves over. When the queue is full the caller is told at once (a 429) rather than
//! queued without end.

use std::future::Future;
use std::sync::mpsc::{self, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};

use thread_priority::{set_current_thread_priority, ThreadPriority};

use crate::domain::error::{Error, Result};

type Job = Box<dyn FnOnce() + Send>;

/// A fixed set of password-hashing threads.
#[derive(Debug, Clone)]
pub struct PasswordWorkers {
    queue: SyncSender<Job>,
}

impl PasswordWorkers {
    /// Starts `threads` workers (at least one) sharing a queue of `queue_len` waiting jobs.
    pub fn start(threads: usize, queue_len: usize) -> std::io::Result<PasswordWorkers> {
        let (queue, jobs) = mpsc::sync_channel::<Job>(queue_len);
        let jobs = Arc::new(Mutex::new(jobs));
        for i in 0..threads.max(1) {
            let jobs = Arc::clone(&jobs);
            std::thread::Builder::new()
                .name(format!("orgbox-pbkdf2-{i}"))
                .spawn(move || {
                    // Best effort: where the OS refuses, hashing runs at normal priority.
                    if let Err(e) = set_current_thread_priority(ThreadPriority::Min) {
                        log::debug!("password worker keeps its priority: {e:?}");
                    }
                    loop {
                        // The lock is held only while taking a job, never while running it.
                        let job = match jobs.lock() {
                            Ok(rx) => rx.recv(),
                            Err(poisoned) => poisoned.into_inner().recv(),
                        };
                        match job {
                            Ok(job) => job(),
                            Err(_) => return, // every sender is gone: the server stopped
                        }
                    }
                })?;
        }
        Ok(PasswordWorkers { queue })
    }

    /// Queues `work` on a hashing thread at once; the returned future waits for its answer
    /// without blocking the async executor. A full queue is a 429 at once.
    pub fn run<T, F>(&self, work: F) -> impl Future<Output = Result<T>> + 'static
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            // The waiting request may have gone; then nobody needs the answer.
            let _ = reply.send(work());
        });
        let queued = match self.queue.try_send(job) {
            Ok(()) => Ok(()),
            Err(TrySendError::Full(_)) => Err(Error::RateLimited {
                retry_after_secs: 1,
                reason: "too many password checks in progress; try again shortly".into(),
            }),
            Err(TrySendError::Disconnected(_)) => {
                Err(Error::Internal("password workers have stopped".into()))
            }
        };
        async move {
            queued?;
            answer
                .await
                .map_err(|_| Error::Internal("a password worker dropped its job".into()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[actix_web::test]
    async fn work_runs_off_the_caller_and_answers() {
        let workers = PasswordWorkers::start(1, 4).unwrap();
        let name = workers
            .run(|| std::thread::current().name().map(str::to_string))
            .await
            .unwrap();
        assert_eq!(name.as_deref(), Some("orgbox-pbkdf2-0"));
    }

    #[cfg(target_os = "linux")]
    #[actix_web::test]
    async fn hashing_runs_at_the_lowest_priority() {
        let workers = PasswordWorkers::start(1, 4).unwrap();
        let nice = workers
            .run(|| {
                let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap();
                // Field 19 (after the parenthesised command name) is the nice value.
                let after_name = stat.rsplit(')').next().unwrap();
                after_name.split_whitespace().nth(16).unwrap().to_string()
            })
            .await
            .unwrap();
        assert_eq!(nice, "19");
    }

    #[actix_web::test]
    async fn a_full_queue_is_refused_at_once() {
        let workers = PasswordWorkers::start(1, 1).unwrap();
        let (release, wait) = std::sync::mpsc::channel::<()>();
        let wait = Mutex::new(wait);
        // Occupy the one worker, then fill the one queue slot.
        let busy = workers.run(move || {
            let _ = wait.lock().unwrap().recv();
        });
        let busy = actix_web::rt::spawn(busy);
        std::thread::sleep(std::time::Duration::from_millis(50));
        let queued = actix_web::rt::spawn(workers.run(|| ()));
        std::thread::sleep(std::time::Duration::from_millis(50));
        let refused = workers.run(|| ()).await;
        assert!(matches!(refused, Err(Error::RateLimited { .. })));
        release.send(()).unwrap();
        busy.await.unwrap().unwrap();
        queued.await.unwrap().unwrap();
    }
}
