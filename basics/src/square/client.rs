//! The square client: every number on its own connection, many connections at once, all
//! on one thread.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use common::net::ConnectError;
use tokio::io::{AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::{Line, read_line};

/// Longest answer line read, in bytes: a square has at most 39 digits, an error a sentence.
const MAX_ANSWER: usize = 1024;

/// The server's answer to one number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// The square, in decimal as the server sent it.
    Square(String),
    /// The reason after the server's `error: `.
    Error(String),
}

/// Asks `server` for the square of each of `numbers` (sent as given, one connection each),
/// at most `concurrency` at once, each within `timeout`; returns the answers in the order of
/// `numbers`.
///
/// Errors: a connection failed (refused, a [`ConnectError`]; reset, timed out, closed
/// without an answer); the first such error ends the run, since the others would most
/// likely fail alike.
pub async fn square_all(
    server: SocketAddr,
    numbers: &[String],
    concurrency: usize,
    timeout: Duration,
) -> anyhow::Result<Vec<Answer>> {
    let slots = Arc::new(Semaphore::new(concurrency.max(1)));
    let mut requests = JoinSet::new();
    for (index, number) in numbers.iter().enumerate() {
        let slots = Arc::clone(&slots);
        let number = number.clone();
        requests.spawn(async move {
            let _slot = slots.acquire_owned().await.expect("never closed");
            let answer = tokio::time::timeout(timeout, ask(server, &number))
                .await
                .unwrap_or_else(|_| Err(anyhow::anyhow!("no answer within {timeout:?}")))
                .with_context(|| format!("square({number})"));
            (index, answer)
        });
    }
    let mut answers = vec![None; numbers.len()];
    while let Some(done) = requests.join_next().await {
        let (index, answer) = done.context("a request task failed")?;
        // Returning drops the set, which cancels the requests still running.
        answers[index] = Some(answer?);
    }
    Ok(answers
        .into_iter()
        .map(|answer| answer.expect("every request answered"))
        .collect())
}

/// One request on its own connection: send `number` and a newline, read one line back.
///
/// Errors: the connection was refused (a [`ConnectError`]) or failed, or the answer is
/// missing or too long.
pub async fn ask(server: SocketAddr, number: &str) -> anyhow::Result<Answer> {
    anyhow::ensure!(
        !number.contains('\n'),
        "{number:?} holds a newline, which would make it two requests"
    );
    let started = Instant::now();
    // A ConnectError rather than the bare io::Error, so that the program can tell that no
    // server is there and say how to start one.
    let mut stream = TcpStream::connect(server)
        .await
        .map_err(|source| ConnectError {
            addr: server,
            attempts: 1,
            elapsed: started.elapsed(),
            source,
        })?;
    stream.write_all(format!("{number}\n").as_bytes()).await?;
    // One request per connection: say so, and the server closes after answering.
    stream.shutdown().await?;
    let mut reader = BufReader::new(stream);
    let mut line = Vec::new();
    match read_line(&mut reader, &mut line, MAX_ANSWER).await? {
        Line::Complete => {}
        Line::TooLong => anyhow::bail!("answer longer than {MAX_ANSWER} bytes"),
        Line::Eof => anyhow::bail!("the server closed the connection without answering"),
    }
    let text = String::from_utf8_lossy(&line).trim_end().to_owned();
    Ok(match text.strip_prefix("error: ") {
        Some(reason) => Answer::Error(reason.to_owned()),
        None => Answer::Square(text),
    })
}
