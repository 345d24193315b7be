//! A webhook receiver on loopback for the tests: a plain `std` HTTP/1.1 server on its own
//! thread (so it answers whatever the test's runtime is doing) that records every request and
//! answers each as planned: a status, after a delay, by closing the connection, or never.

use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

/// How the receiver answers one request.
#[derive(Debug, Clone, Copy)]
pub enum Behavior {
    /// Answer this status.
    Status(u16),
    /// Wait this long, then answer 200.
    Slow(Duration),
    /// Close the connection without answering.
    Close,
}

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    /// Request path (and query).
    pub path: String,
    /// Headers, names lower case.
    pub headers: HashMap<String, String>,
    /// The raw body.
    pub body: String,
}

impl Received {
    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// A header.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
}

/// A running receiver.
pub struct Receiver {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    received: Arc<Mutex<Vec<Received>>>,
    plan: Arc<Mutex<VecDeque<Behavior>>>,
}

impl Receiver {
    /// Starts one on a free loopback port.
    pub fn start() -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let received: Arc<Mutex<Vec<Received>>> = Arc::default();
        let plan: Arc<Mutex<VecDeque<Behavior>>> = Arc::default();
        let (r, p) = (Arc::clone(&received), Arc::clone(&plan));
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (r, p) = (Arc::clone(&r), Arc::clone(&p));
                std::thread::spawn(move || serve(stream, &r, &p));
            }
        });
        Receiver {
            base,
            received,
            plan,
        }
    }

    /// A URL on it.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The next requests answer as planned (in order), then 200.
    pub fn plan(&self, behaviors: &[Behavior]) {
        self.plan.lock().unwrap().extend(behaviors.iter().copied());
    }

    /// Everything received so far.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// Waits (without blocking the test's runtime) until `n` requests arrived, or panics
    /// after `within`.
    pub async fn wait_for(&self, n: usize, within: Duration) -> Vec<Received> {
        let deadline = Instant::now() + within;
        loop {
            let got = self.received();
            if got.len() >= n {
                return got;
            }
            assert!(
                Instant::now() < deadline,
                "expected {n} deliveries, got {}: {got:#?}",
                got.len()
            );
            actix_web::rt::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Waits `d`, then asserts nothing more than `n` arrived.
    pub async fn expect_no_more(&self, n: usize, d: Duration) {
        actix_web::rt::time::sleep(d).await;
        let got = self.received();
        assert_eq!(got.len(), n, "unexpected deliveries: {got:#?}");
    }
}

fn serve(stream: TcpStream, received: &Mutex<Vec<Received>>, plan: &Mutex<VecDeque<Behavior>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
            break;
        }
        if let Some((k, v)) = h.trim_end().split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    let length = headers
        .get("content-length")
        .and_then(|l| l.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    received.lock().unwrap().push(Received {
        path,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    });
    let behavior = plan
        .lock()
        .unwrap()
        .pop_front()
        .unwrap_or(Behavior::Status(200));
    let status = match behavior {
        Behavior::Close => return,
        Behavior::Slow(d) => {
            std::thread::sleep(d);
            200
        }
        Behavior::Status(s) => s,
    };
    let body = format!("{{\"answer\":{status}}}");
    let mut stream = stream;
    let _ = write!(
        stream,
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
}
