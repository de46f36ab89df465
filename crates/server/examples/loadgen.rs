//! An open-loop HTTP load generator for `dyad serve`: requests leave at a fixed rate whatever
//! the server does, and each latency is measured from the moment its request was due, so a
//! slow server cannot hide its queueing (no coordinated omission).
//!
//! ```text
//! cargo run --release -p dyad-server --example loadgen -- \
//!     http://127.0.0.1:8080 --rate 500 --seconds 30 '/api/counts?group_by=week,country'
//! ```
//!
//! Several paths are used in turn. Prints one JSON object: requests, errors, p50, p90, p99,
//! max in milliseconds.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

struct Args {
    host: String,
    rate: f64,
    seconds: f64,
    paths: Vec<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut it = std::env::args().skip(1);
    let base = it
        .next()
        .ok_or("usage: loadgen URL [--rate N] [--seconds S] PATH...")?;
    let host = base
        .strip_prefix("http://")
        .ok_or("the URL must start with http://")?
        .trim_end_matches('/')
        .to_string();
    let mut args = Args {
        host,
        rate: 500.0,
        seconds: 30.0,
        paths: Vec::new(),
    };
    while let Some(a) = it.next() {
        match a.as_str() {
            "--rate" => args.rate = it.next().and_then(|v| v.parse().ok()).ok_or("--rate N")?,
            "--seconds" => {
                args.seconds = it
                    .next()
                    .and_then(|v| v.parse().ok())
                    .ok_or("--seconds S")?
            }
            p if p.starts_with('/') => args.paths.push(p.to_string()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if args.paths.is_empty() {
        return Err("give at least one path, such as /api/health".into());
    }
    Ok(args)
}

/// One GET on a kept-alive connection; the status.
async fn get(conn: &mut TcpStream, host: &str, path: &str) -> std::io::Result<u16> {
    let req = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\n\r\n");
    conn.write_all(req.as_bytes()).await?;
    let mut buf = Vec::with_capacity(16 * 1024);
    let mut chunk = [0u8; 16 * 1024];
    let head_end = loop {
        let n = conn.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let status: u16 = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let len: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| std::io::Error::other("no content-length"))?;
    let mut have = buf.len() - head_end;
    while have < len {
        let n = conn.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        have += n;
    }
    Ok(status)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

#[tokio::main]
async fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("loadgen: {e}");
            std::process::exit(2);
        }
    };
    let total = (args.rate * args.seconds).round() as u64;
    let interval = Duration::from_secs_f64(1.0 / args.rate);
    let idle: Arc<Mutex<Vec<TcpStream>>> = Arc::new(Mutex::new(Vec::new()));
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(f64, bool)>();
    let host = Arc::new(args.host.clone());
    let paths = Arc::new(args.paths.clone());
    let start = Instant::now() + Duration::from_millis(100);
    for i in 0..total {
        let due = start + interval.mul_f64(i as f64);
        tokio::time::sleep_until(due.into()).await;
        let (idle, tx, host, paths) = (idle.clone(), tx.clone(), host.clone(), paths.clone());
        tokio::spawn(async move {
            let path = &paths[(i as usize) % paths.len()];
            let pooled = idle.lock().ok().and_then(|mut v| v.pop());
            let conn = match pooled {
                Some(c) => Ok(c),
                None => TcpStream::connect(host.as_str()).await,
            };
            let ok = match conn {
                Ok(mut c) => match get(&mut c, &host, path).await {
                    Ok(status) => {
                        if let Ok(mut v) = idle.lock() {
                            v.push(c);
                        }
                        status == 200
                    }
                    Err(_) => false,
                },
                Err(_) => false,
            };
            let ms = due.elapsed().as_secs_f64() * 1000.0;
            let _ = tx.send((ms, ok));
        });
    }
    drop(tx);
    let mut lat = Vec::with_capacity(total as usize);
    let mut errors = 0u64;
    while let Some((ms, ok)) = rx.recv().await {
        lat.push(ms);
        if !ok {
            errors += 1;
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    lat.sort_by(f64::total_cmp);
    println!(
        "{{\"paths\":{:?},\"rate\":{},\"seconds\":{},\"requests\":{},\"errors\":{},\"achieved_rps\":{:.1},\"p50_ms\":{:.2},\"p90_ms\":{:.2},\"p99_ms\":{:.2},\"max_ms\":{:.2}}}",
        args.paths,
        args.rate,
        args.seconds,
        lat.len(),
        errors,
        lat.len() as f64 / elapsed,
        percentile(&lat, 50.0),
        percentile(&lat, 90.0),
        percentile(&lat, 99.0),
        lat.last().copied().unwrap_or(0.0)
    );
}
