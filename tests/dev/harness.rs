//! A dev server under test: the release-profile binary started on a free port with JSON
//! trace lines, its trace read in the background, and small clients for its endpoints.

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::Value;
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_lambdaless-gen");

/// How long any expectation waits.
pub(crate) const PATIENCE: Duration = Duration::from_secs(5);

/// A running `lambdaless-gen dev`.
pub(crate) struct Server {
    child: Child,
    trace: Receiver<Value>,
    /// Trace records seen so far (what `wait` has consumed).
    pub(crate) seen: Vec<Value>,
    /// `ws://127.0.0.1:PORT/<stage>`.
    pub(crate) ws: String,
    /// `http://127.0.0.1:PORT`.
    pub(crate) http: String,
    /// The stage.
    pub(crate) stage: String,
}

impl Server {
    /// Starts `dev` on `spec` (extra arguments after it); panics unless it becomes ready.
    pub(crate) fn start(spec: &Path, extra: &[&str]) -> Server {
        Server::start_with(spec, extra, &[])
    }

    /// [`Server::start`] with these environment variables (no AWS credentials otherwise).
    pub(crate) fn start_with(spec: &Path, extra: &[&str], env: &[(&str, &str)]) -> Server {
        let mut child = Command::new(BIN)
            .arg("dev")
            .arg(spec)
            .args(["--port", "0", "--log", "json"])
            .args(extra)
            .env_remove("AWS_ACCESS_KEY_ID")
            .env_remove("AWS_SECRET_ACCESS_KEY")
            .envs(env.iter().copied())
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Ok(v) = serde_json::from_str::<Value>(&line) {
                    if tx.send(v).is_err() {
                        return;
                    }
                }
            }
        });
        let ready = rx.recv_timeout(PATIENCE).expect("a ready line");
        assert_eq!(ready["kind"], "ready", "{ready}");
        let ws = ready["urls"]["websocket"].as_str().unwrap().to_owned();
        let http = ready["urls"]["events"].as_str().unwrap().to_owned();
        let stage = ws.rsplit('/').next().unwrap().to_owned();
        Server {
            child,
            trace: rx,
            seen: Vec::new(),
            ws,
            http,
            stage,
        }
    }

    /// Waits for a trace record of `kind` for which `pred` holds; returns it.
    pub(crate) fn wait(&mut self, kind: &str, pred: impl Fn(&Value) -> bool) -> Value {
        self.wait_after(0, kind, pred)
    }

    /// The number of trace records seen so far: a mark for [`Server::wait_after`].
    pub(crate) fn mark(&mut self) -> usize {
        while let Ok(r) = self.trace.try_recv() {
            self.seen.push(r);
        }
        self.seen.len()
    }

    /// Like [`Server::wait`], among the records after `mark`.
    pub(crate) fn wait_after(
        &mut self,
        mark: usize,
        kind: &str,
        pred: impl Fn(&Value) -> bool,
    ) -> Value {
        let deadline = Instant::now() + PATIENCE;
        let hit = |r: &Value| r["kind"] == kind && pred(r);
        if let Some(r) = self.seen.iter().skip(mark).find(|r| hit(r)) {
            return r.clone();
        }
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.trace.recv_timeout(left) {
                Ok(r) => {
                    self.seen.push(r.clone());
                    if hit(&r) {
                        return r;
                    }
                }
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {
                    panic!(
                        "no `{kind}` record within {PATIENCE:?}; seen: {:#?}",
                        &self.seen[mark.min(self.seen.len())..]
                    )
                }
            }
        }
    }

    /// Connects a WebSocket client to the API; returns it and its connection id.
    pub(crate) fn connect(&mut self) -> (Client, String) {
        let mark = self.mark();
        let client = Client::open(&self.ws, &[]).expect("the upgrade is accepted");
        let r = self.wait_after(mark, "done", |r| r["route"] == "$connect");
        (client, r["connectionId"].as_str().unwrap().to_owned())
    }

    /// POSTs `body` to `path` with `headers`; returns (status, body as JSON or text).
    pub(crate) fn post(&self, path: &str, headers: &[(&str, &str)], body: &str) -> (u16, Value) {
        let mut req = ureq::post(&format!("{}{path}", self.http));
        for (k, v) in headers {
            req = req.set(k, v);
        }
        answer(req.send_string(body))
    }

    /// `request` with `method` on `path`.
    pub(crate) fn call(&self, method: &str, path: &str) -> (u16, Value) {
        answer(ureq::request(method, &format!("{}{path}", self.http)).call())
    }

    /// The server's process id.
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// `127.0.0.1:PORT`.
    pub(crate) fn addr(&self) -> &str {
        self.http.trim_start_matches("http://")
    }

    /// Sends `head` (request line and headers, without the blank line) and `body` as they are,
    /// over a new connection; returns the status, the response headers (lower-case names) and
    /// the body.
    pub(crate) fn raw(&self, head: &str, body: &str) -> (u16, String, String) {
        use std::io::{Read, Write};
        let mut tcp = TcpStream::connect(self.addr()).unwrap();
        tcp.set_read_timeout(Some(PATIENCE)).unwrap();
        let request = format!(
            "{head}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        tcp.write_all(request.as_bytes()).unwrap();
        let mut response = String::new();
        let _ = tcp.read_to_string(&mut response);
        let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, head.to_ascii_lowercase(), body.to_owned())
    }

    /// PutEvents with this request body.
    pub(crate) fn put_events(&self, body: &str) -> (u16, Value) {
        self.post(
            "/",
            &[
                ("X-Amz-Target", "AWSEvents.PutEvents"),
                ("Content-Type", "application/x-amz-json-1.1"),
            ],
            body,
        )
    }
}

fn answer(r: Result<ureq::Response, ureq::Error>) -> (u16, Value) {
    let resp = match r {
        Ok(resp) | Err(ureq::Error::Status(_, resp)) => resp,
        Err(e) => panic!("request failed: {e}"),
    };
    let status = resp.status();
    let text = resp.into_string().unwrap_or_default();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A WebSocket client.
#[derive(Debug)]
pub(crate) struct Client(pub WebSocket<MaybeTlsStream<TcpStream>>);

impl Client {
    /// Opens `url` with extra request headers.
    pub(crate) fn open(url: &str, headers: &[(&str, &str)]) -> Result<Client, tungstenite::Error> {
        use tungstenite::client::IntoClientRequest;
        let mut req = url.into_client_request()?;
        for (k, v) in headers {
            req.headers_mut().insert(
                tungstenite::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        let (ws, _) = tungstenite::connect(req)?;
        if let MaybeTlsStream::Plain(s) = ws.get_ref() {
            s.set_read_timeout(Some(PATIENCE)).unwrap();
        }
        Ok(Client(ws))
    }

    /// Sends a text message.
    pub(crate) fn send(&mut self, text: &str) {
        self.0.send(Message::text(text)).unwrap();
    }

    /// The next frame: text parsed as JSON, or a close frame as `{"close": code}`.
    pub(crate) fn recv(&mut self) -> Value {
        loop {
            match self.0.read() {
                Ok(Message::Text(t)) => {
                    return serde_json::from_str(t.as_str()).unwrap_or(Value::String(t.to_string()))
                }
                Ok(Message::Close(f)) => {
                    return serde_json::json!({ "close": f.map(|f| u16::from(f.code)) })
                }
                Ok(_) => {}
                Err(tungstenite::Error::ConnectionClosed | tungstenite::Error::AlreadyClosed) => {
                    return serde_json::json!({ "closed": true })
                }
                Err(e) => panic!("read failed: {e}"),
            }
        }
    }

    /// Sends `text` and returns the answer.
    pub(crate) fn ask(&mut self, text: &str) -> Value {
        self.send(text);
        self.recv()
    }
}
