//! Log lines of one invocation: `context.log` calls and the lines a guest
//! writes to stdout and stderr, kept up to a byte budget.

use bytes::Bytes;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};
use wasmtime_wasi::cli::{IsTerminal, StdoutStream};
use wasmtime_wasi::p2::{OutputStream, Pollable, StreamResult};

/// Severity of a log line (the WIT `context.level`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Finest detail.
    Trace,
    /// Debugging detail.
    Debug,
    /// Normal operation; stdout lines have this level.
    Info,
    /// Something unexpected.
    Warn,
    /// A failure; stderr lines (a panic's message among them) have this level.
    Error,
}

/// Where a log line came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LogSource {
    /// `context.log`.
    Context,
    /// The guest's standard output, one line per `\n`.
    Stdout,
    /// The guest's standard error, one line per `\n`.
    Stderr,
    /// The host itself (for example, how many lines were dropped).
    Host,
}

/// One line a task logged.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LogLine {
    /// Its severity.
    pub level: Level,
    /// Where it came from.
    pub source: LogSource,
    /// The text, without its line ending (invalid UTF-8 replaced by U+FFFD).
    pub message: String,
}

/// An invocation's log lines, shared by the store data and the stdout/stderr
/// streams.
pub(crate) type Logs = Arc<Mutex<LogBuffer>>;

/// Locks an invocation's logs (a panic while holding the lock cannot leave the
/// buffer inconsistent, so poisoning is ignored).
pub(crate) fn lock(logs: &Logs) -> MutexGuard<'_, LogBuffer> {
    logs.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Log lines collected so far, within a byte budget.
#[derive(Debug)]
pub(crate) struct LogBuffer {
    lines: Vec<LogLine>,
    /// Message bytes kept.
    bytes: usize,
    /// Most message bytes to keep.
    max_bytes: usize,
    dropped_lines: usize,
    dropped_bytes: usize,
    /// Unterminated stdout and stderr text.
    partial: [Vec<u8>; 2],
}

impl LogBuffer {
    pub(crate) fn new(max_bytes: usize) -> Self {
        LogBuffer {
            lines: Vec::new(),
            bytes: 0,
            max_bytes,
            dropped_lines: 0,
            dropped_bytes: 0,
            partial: [Vec::new(), Vec::new()],
        }
    }

    /// Adds a whole line, or counts it as dropped when over the budget.
    pub(crate) fn push(&mut self, level: Level, source: LogSource, message: String) {
        if self.bytes + message.len() > self.max_bytes {
            self.dropped_lines += 1;
            self.dropped_bytes += message.len();
            return;
        }
        self.bytes += message.len();
        self.lines.push(LogLine {
            level,
            source,
            message,
        });
    }

    /// Adds text written to stdout or stderr, one line per `\n`.
    pub(crate) fn write_stream(&mut self, source: LogSource, data: &[u8]) {
        let index = usize::from(source == LogSource::Stderr);
        if self.bytes >= self.max_bytes {
            self.dropped_bytes += data.len();
            self.dropped_lines += data.iter().filter(|b| **b == b'\n').count();
            return;
        }
        let mut rest = data;
        while let Some(newline) = rest.iter().position(|b| *b == b'\n') {
            self.partial[index].extend_from_slice(&rest[..newline]);
            self.end_partial(source);
            rest = &rest[newline + 1..];
        }
        self.partial[index].extend_from_slice(rest);
        if self.partial[index].len() > self.max_bytes {
            self.end_partial(source);
        }
    }

    /// Ends the unterminated line of `source`, if any text is waiting.
    fn end_partial(&mut self, source: LogSource) {
        let index = usize::from(source == LogSource::Stderr);
        let mut text = std::mem::take(&mut self.partial[index]);
        if text.last() == Some(&b'\r') {
            text.pop();
        }
        let level = if source == LogSource::Stderr {
            Level::Error
        } else {
            Level::Info
        };
        let message = match String::from_utf8(text) {
            Ok(message) => message,
            Err(err) => String::from_utf8_lossy(err.as_bytes()).into_owned(),
        };
        self.push(level, source, message);
    }

    /// The lines so far, ending any unterminated stdout/stderr line and noting
    /// what was dropped; leaves the buffer empty for the next invocation.
    pub(crate) fn take(&mut self) -> Vec<LogLine> {
        for source in [LogSource::Stdout, LogSource::Stderr] {
            let index = usize::from(source == LogSource::Stderr);
            if !self.partial[index].is_empty() {
                self.end_partial(source);
            }
        }
        let mut lines = std::mem::take(&mut self.lines);
        if self.dropped_lines > 0 || self.dropped_bytes > 0 {
            lines.push(LogLine {
                level: Level::Warn,
                source: LogSource::Host,
                message: format!(
                    "{} more log line(s) ({} bytes) dropped: over the limit of {} bytes of logs per invocation",
                    self.dropped_lines.max(1),
                    self.dropped_bytes,
                    self.max_bytes
                ),
            });
        }
        self.bytes = 0;
        self.dropped_lines = 0;
        self.dropped_bytes = 0;
        lines
    }

    /// The task's stderr text kept so far (used to quote a panic's message).
    pub(crate) fn stderr_text(&self) -> String {
        let mut text = String::new();
        for line in self.lines.iter().filter(|l| l.source == LogSource::Stderr) {
            text.push_str(&line.message);
            text.push('\n');
        }
        text.push_str(&String::from_utf8_lossy(&self.partial[1]));
        text
    }
}

/// The guest's stdout or stderr: each write goes to the invocation's logs.
#[derive(Clone)]
pub(crate) struct CaptureStream {
    pub logs: Logs,
    pub source: LogSource,
}

/// Bytes a guest may write per `check-write` permit.
const WRITE_PERMIT_BYTES: usize = 64 * 1024;

impl IsTerminal for CaptureStream {
    fn is_terminal(&self) -> bool {
        false
    }
}

impl StdoutStream for CaptureStream {
    fn async_stream(&self) -> Box<dyn tokio::io::AsyncWrite + Send + Sync> {
        Box::new(self.clone())
    }

    fn p2_stream(&self) -> Box<dyn OutputStream> {
        Box::new(self.clone())
    }
}

#[wasmtime_wasi::async_trait]
impl Pollable for CaptureStream {
    async fn ready(&mut self) {}
}

impl OutputStream for CaptureStream {
    fn write(&mut self, bytes: Bytes) -> StreamResult<()> {
        lock(&self.logs).write_stream(self.source, &bytes);
        Ok(())
    }

    fn flush(&mut self) -> StreamResult<()> {
        Ok(())
    }

    fn check_write(&mut self) -> StreamResult<usize> {
        Ok(WRITE_PERMIT_BYTES)
    }
}

impl tokio::io::AsyncWrite for CaptureStream {
    fn poll_write(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        lock(&self.logs).write_stream(self.source, buf);
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_text_is_split_into_lines_and_the_rest_is_kept_at_the_end() {
        let mut logs = LogBuffer::new(1000);
        logs.write_stream(LogSource::Stdout, b"one\r\ntw");
        logs.write_stream(LogSource::Stderr, b"err");
        logs.write_stream(LogSource::Stdout, b"o\nthree");
        logs.push(Level::Debug, LogSource::Context, "ctx".into());
        let lines = logs.take();
        let texts: Vec<_> = lines
            .iter()
            .map(|l| (l.source, l.message.as_str()))
            .collect();
        assert_eq!(
            texts,
            [
                (LogSource::Stdout, "one"),
                (LogSource::Stdout, "two"),
                (LogSource::Context, "ctx"),
                (LogSource::Stdout, "three"),
                (LogSource::Stderr, "err"),
            ]
        );
        assert!(logs.take().is_empty());
    }

    #[test]
    fn lines_over_the_budget_are_dropped_and_counted() {
        let mut logs = LogBuffer::new(10);
        logs.push(Level::Info, LogSource::Context, "12345678".into());
        logs.push(Level::Info, LogSource::Context, "123".into());
        logs.write_stream(LogSource::Stdout, &[b'x'; 100]);
        logs.write_stream(LogSource::Stdout, b"\n\n");
        let lines = logs.take();
        let texts: Vec<_> = lines.iter().map(|l| l.message.as_str()).collect();
        assert_eq!(texts[..3], ["12345678", "", ""]);
        assert_eq!(lines[3].source, LogSource::Host);
        assert!(
            lines[3]
                .message
                .starts_with("2 more log line(s) (103 bytes) dropped"),
            "{}",
            lines[3].message
        );
    }

    #[test]
    fn invalid_utf8_is_replaced() {
        let mut logs = LogBuffer::new(100);
        logs.write_stream(LogSource::Stderr, b"a\xffb\n");
        assert_eq!(logs.take()[0].message, "a\u{fffd}b");
    }
}
