//! Load client for `POST /repayments` on a running local server (issue 13's write-path
//! benchmarks). Plain HTTP/1.1 over keep-alive TCP connections (one per client, `TCP_NODELAY`),
//! no HTTP library: the figures are the server's, plus loopback.
//!
//! ```text
//! cargo build --release -p loansyncro-server -p loansyncro-benches --bin loansyncro-server --bin post_repayments
//! target/release/loansyncro-server --dev-identity --store memory --port 3077 --token-file /tmp/tok &
//! target/release/post_repayments --base 127.0.0.1:3077 --token-file /tmp/tok --prefill 300 --requests 2000 --clients 1
//! target/release/post_repayments --base 127.0.0.1:3077 --token-file /tmp/tok --prefill 3000 --requests 2000 --clients 1
//! target/release/post_repayments --base 127.0.0.1:3077 --token-file /tmp/tok --prefill 3000 --requests 800 --clients 8
//! ```
//!
//! Each run creates a fresh loan (250,000 at 6.5 % over 360 months) and records `--prefill`
//! repayments of 60.00, one a day, ending shortly before today. Then:
//! * one client (`--clients 1`): each timed `POST /repayments` (dated on or after the last
//!   repayment, with an `Idempotency-Key`) is followed by an untimed `DELETE` of the repayment
//!   it created, so every timed request sees exactly `--prefill` repayments;
//! * several clients: `--requests` timed POSTs shared between the clients, all on the same loan
//!   at once (the loan grows from `--prefill`).
//!
//! The first 50 requests of each client are a warm-up and are not timed. Prints the number of
//! timed requests, the median, p90, p99 and the maximum in milliseconds.
//!
//! On a shared or loaded machine the percentiles measure the scheduler more than the server:
//! `benches/post_repayments_callgrind.sh` counts the instructions of one POST instead
//! (repeatable under any load).
//!
//! On a virtual machine whose idle vCPUs halt (Firecracker's `haltpoll` with
//! `guest_halt_poll_ns=0`, as on the team's machine), every wake-up of a thread on another,
//! idle vCPU is a hypervisor round trip: a request that does nothing (`GET /me`) takes 15 µs
//! when client and server share a vCPU and ~100 µs when they do not, and a POST pays it
//! twice (the server woken by the request, the client by the answer). Which of the two
//! happens is the scheduler's choice, run by run. `--no-idle-halt` holds
//! `/dev/cpu_dma_latency` at 0 µs while it runs (as the standard latency benchmark,
//! cyclictest, does by default; needs root), so idle vCPUs poll instead of halting and the
//! figures are the server's work plus loopback; without it they also contain those
//! round trips. The output says which (`idle_halt=on|off`).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use std::time::SystemTime;

use chrono::{Days, NaiveDate};

const WARMUP: usize = 50;

#[derive(Debug, Clone)]
struct Options {
    base: String,
    token: String,
    prefill: usize,
    requests: usize,
    clients: usize,
    no_idle_halt: bool,
}

fn fail(message: impl std::fmt::Display) -> ! {
    eprintln!("post_repayments: {message}");
    std::process::exit(2)
}

fn options() -> Options {
    let mut base = "127.0.0.1:3000".to_owned();
    let mut token_file = None;
    let (mut prefill, mut requests, mut clients) = (300, 2000, 1);
    let mut no_idle_halt = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .unwrap_or_else(|| fail(format!("{arg} needs a value")))
        };
        let number = |v: String| {
            v.parse()
                .unwrap_or_else(|_| fail(format!("bad number {v}")))
        };
        match arg.as_str() {
            "--base" => base = value().trim_start_matches("http://").to_owned(),
            "--token-file" => token_file = Some(value()),
            "--prefill" => prefill = number(value()),
            "--requests" => requests = number(value()),
            "--clients" => clients = number(value()).max(1),
            "--no-idle-halt" => no_idle_halt = true,
            _ => fail(
                "usage: post_repayments [--base HOST:PORT] --token-file PATH [--prefill N] \
                 [--requests N] [--clients N] [--no-idle-halt]",
            ),
        }
    }
    let path = token_file.unwrap_or_else(|| fail("--token-file is required"));
    let token = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| fail(format!("{path}: {e}")))
        .trim()
        .to_owned();
    Options {
        base,
        token,
        prefill,
        requests,
        clients,
        no_idle_halt,
    }
}

/// Holds the CPU wake-up latency limit at 0 µs for as long as the file stays open (the
/// kernel's PM QoS interface): idle CPUs poll instead of entering a sleep state.
fn hold_no_idle_halt() -> std::fs::File {
    let mut qos = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/cpu_dma_latency")
        .unwrap_or_else(|e| fail(format!("--no-idle-halt: /dev/cpu_dma_latency: {e}")));
    qos.write_all(&0i32.to_ne_bytes())
        .unwrap_or_else(|e| fail(format!("--no-idle-halt: /dev/cpu_dma_latency: {e}")));
    qos
}

/// One keep-alive HTTP/1.1 connection.
struct Client {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    host: String,
    token: String,
    /// The last answer's body (reused: no allocation or zeroing inside the timed calls).
    body: Vec<u8>,
}

impl Client {
    fn connect(o: &Options) -> Client {
        let stream = TcpStream::connect(&o.base)
            .unwrap_or_else(|e| fail(format!("connect {}: {e}", o.base)));
        stream.set_nodelay(true).unwrap_or_else(|e| fail(e));
        let writer = stream.try_clone().unwrap_or_else(|e| fail(e));
        Client {
            reader: BufReader::new(stream),
            writer,
            host: o.base.clone(),
            token: o.token.clone(),
            body: Vec::new(),
        }
    }

    /// Sends a request and reads the whole response: (status, body). The body's bytes are
    /// only read here; turning them into text is left to the caller, outside the timing.
    fn call(&mut self, method: &str, path: &str, body: &str, key: Option<&str>) -> (u16, &[u8]) {
        let key = key
            .map(|k| format!("Idempotency-Key: {k}\r\n"))
            .unwrap_or_default();
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n{key}\r\n{body}",
            self.host,
            self.token,
            body.len()
        );
        self.writer
            .write_all(request.as_bytes())
            .unwrap_or_else(|e| fail(format!("write: {e}")));
        let mut line = String::new();
        self.reader
            .read_line(&mut line)
            .unwrap_or_else(|e| fail(format!("read: {e}")));
        let status = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| fail(format!("bad status line {line:?}")));
        let mut length = None;
        loop {
            line.clear();
            self.reader
                .read_line(&mut line)
                .unwrap_or_else(|e| fail(format!("read: {e}")));
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse::<usize>().ok();
                }
            }
        }
        let length = length.unwrap_or_else(|| fail("response without Content-Length"));
        if self.body.len() < length {
            self.body.resize(length, 0);
        }
        let answer = &mut self.body[..length];
        self.reader
            .read_exact(answer)
            .unwrap_or_else(|e| fail(format!("read body: {e}")));
        (status, answer)
    }

    fn expect(
        &mut self,
        want: u16,
        method: &str,
        path: &str,
        body: &str,
        key: Option<&str>,
    ) -> &[u8] {
        let (status, answer) = self.call(method, path, body, key);
        if status != want {
            fail(format!(
                "{method} {path}: {status} {}",
                String::from_utf8_lossy(answer)
            ));
        }
        answer
    }
}

/// The first `"id":"..."` of a JSON text (the loan's in a loan, the repayment's in an outcome).
fn first_id(answer: &[u8]) -> String {
    let json = String::from_utf8_lossy(answer);
    json.split_once("\"id\":\"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(id, _)| id.to_owned())
        .unwrap_or_else(|| fail(format!("no id in {json}")))
}

fn repayment(loan: &str, date: NaiveDate) -> String {
    format!(r#"{{"loan_id":"{loan}","amount":"60.00","date":"{date}"}}"#)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    #[allow(clippy::float_arithmetic)]
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    let i = rank.clamp(1, sorted.len()) - 1;
    #[allow(clippy::float_arithmetic)]
    let ms = sorted[i].as_secs_f64() * 1000.0;
    ms
}

fn main() {
    let o = options();
    let _qos = o.no_idle_halt.then(hold_no_idle_halt);
    let since_epoch = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default();
    let today = NaiveDate::from_ymd_opt(1970, 1, 1)
        .and_then(|d| d.checked_add_days(Days::new(since_epoch.as_secs() / 86_400)))
        .unwrap_or_else(|| fail("no date today"));
    // Prefilled repayments one a day, ending 30 days before today; timed ones after them.
    let span = u64::try_from(o.prefill).unwrap_or(u64::MAX) + 30;
    let start = today
        .checked_sub_days(Days::new(span))
        .unwrap_or_else(|| fail("prefill too large"));
    let day = |i: usize| {
        start
            .checked_add_days(Days::new(u64::try_from(i).unwrap_or(0)))
            .unwrap_or(today)
    };
    let mut c = Client::connect(&o);
    let loan = first_id(c.expect(
        201,
        "POST",
        "/loans",
        &format!(
            r#"{{"title":"bench","amount":"250000","interest_rate":"6.5","term_months":360,"start_date":"{start}"}}"#
        ),
        None,
    ));
    let began = Instant::now();
    for i in 1..=o.prefill {
        c.expect(201, "POST", "/repayments", &repayment(&loan, day(i)), None);
    }
    eprintln!(
        "prefilled {} repayments on {loan} in {:.1?}",
        o.prefill,
        began.elapsed()
    );
    let timed_date = day(o.prefill + 1);
    let run = since_epoch.as_millis();
    let per_client = o.requests.div_ceil(o.clients);
    let single = o.clients == 1;
    let work = |client: usize, mut c: Client| {
        let mut times = Vec::with_capacity(per_client);
        for j in 0..WARMUP + per_client {
            let key = format!("bench-{run}-{client}-{j}");
            let body = repayment(&loan, timed_date);
            let t = Instant::now();
            let answer = c.expect(201, "POST", "/repayments", &body, Some(&key));
            let elapsed = t.elapsed();
            let id = single.then(|| first_id(answer));
            if j >= WARMUP {
                times.push(elapsed);
            }
            if let Some(id) = id {
                c.expect(200, "DELETE", &format!("/repayments/{id}"), "", None);
            }
        }
        times
    };
    let mut times: Vec<Duration> = if single {
        work(0, c)
    } else {
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..o.clients)
                .map(|i| {
                    let c = Client::connect(&o);
                    let work = &work;
                    s.spawn(move || work(i, c))
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_else(|_| fail("client thread failed")))
                .collect()
        })
    };
    times.sort_unstable();
    println!(
        "prefill={} clients={} idle_halt={} timed={} p50_ms={:.3} p90_ms={:.3} p99_ms={:.3} max_ms={:.3}",
        o.prefill,
        o.clients,
        if o.no_idle_halt { "off" } else { "on" },
        times.len(),
        percentile(&times, 50.0),
        percentile(&times, 90.0),
        percentile(&times, 99.0),
        percentile(&times, 100.0),
    );
}
