#!/usr/bin/env python3
"""Browser test of the Baton dashboard (issue 5, item 5), driven through Debian's headless chromium.

Starts the real binary (`baton -memory -addr 127.0.0.1:0 -cors http://localhost:<P2>`, port read from its
log line `listening on 127.0.0.1:PORT`) and a second origin (a tiny static server on port P2, reached as
`http://localhost:P2`, allowed, and as `http://127.0.0.1:P2`, not allowed), then checks:

  1. the page loads (every view) without console errors;
  2. a key created in the page appears through the API; edit and delete (with confirmation) too;
  3. a key written through the API appears in the page without a reload;
  4. a lock acquired with curl shows its holder; a second curl waiting on it shows in the queue; releasing
     the first hands the lock to the second, live;
  5. the stats chart moves under load;
  6. CORS: the allowed origin can read and write through the API; the other origin is refused by the
     browser (it cannot read answers, and its pre-flighted DELETE is never sent);
  7. it stays responsive with 10,000 keys and 1,000 waiters (pages of 100 rows, timed).

Screenshots of each view go to --artifacts (default Tests/Browser/artifacts/) so a failed run can be
inspected. Exit status 0 = all passed. Needs: chromium, chromium-driver (apt), selenium (pip).

    python3 Tests/Browser/dashboard_test.py [--binary .build/debug/baton] [--artifacts DIR] [--keep-open]
"""

import argparse
import http.server
import json
import os
import re
import resource
import shutil
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORS_PAGE = b"""<!doctype html><meta charset="utf-8"><title>cors probe</title><pre id="out">running</pre>
<script>
(async () => {
  const target = new URLSearchParams(location.search).get('target');
  const key = new URLSearchParams(location.search).get('key');
  const out = {};
  try {
    const put = await fetch(target + '/v2/keys/' + key, {method: 'PUT', body: new URLSearchParams({value: location.origin})});
    out.put = put.status;
    const get = await fetch(target + '/v2/keys/' + key);
    out.get = (await get.json()).node.value;
  } catch (e) { out.readError = String(e); }
  try {
    const del = await fetch(target + '/v2/keys/' + key, {method: 'DELETE'});
    out.del = del.status;
  } catch (e) { out.deleteError = String(e); }
  document.getElementById('out').textContent = JSON.stringify(out);
  document.title = 'done';
})();
</script>"""


class Failure(Exception):
    pass


def request(method, url, body=None, timeout=10):
    data = body.encode() if isinstance(body, str) else body
    req = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def curl(method, url):
    """A request in its own process, through curl when installed (the issue says "with curl"), else a
    python one-liner; either way a Popen whose stdout is the body, so a waiting request can be watched."""
    if shutil.which("curl"):
        cmd = ["curl", "-s", "-m", "60", "-X", method, url]
    else:
        cmd = [sys.executable, "-c", "import sys, urllib.request as u; "
               "print(u.urlopen(u.Request(sys.argv[2], method=sys.argv[1]), timeout=60).read().decode(), end='')",
               method, url]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)


class SecondOrigin:
    """Serves CORS_PAGE on a free port; reached as localhost (allowed) and 127.0.0.1 (not allowed)."""

    def __init__(self):
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(CORS_PAGE)))
                self.end_headers()
                self.wfile.write(CORS_PAGE)

            def log_message(self, *args):
                pass

        class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
            daemon_threads = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


class Baton:
    def __init__(self, binary, cors):
        self.log = tempfile.NamedTemporaryFile(prefix="baton-browser-", suffix=".log", delete=False)
        self.proc = subprocess.Popen([binary, "-memory", "-addr", "127.0.0.1:0", "-cors", cors],
                                     stdout=subprocess.DEVNULL, stderr=self.log)
        deadline = time.time() + 10
        while time.time() < deadline:
            m = re.search(r"listening on [^\s,]+:(\d+)", open(self.log.name).read())
            if m:
                self.port = int(m.group(1))
                self.url = f"http://127.0.0.1:{self.port}"
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        raise Failure("baton did not report its port: " + open(self.log.name).read())

    def close(self):
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        os.unlink(self.log.name)


class Pipeline:
    """Many requests on one raw socket, pipelined: fast bulk setup (10,000 keys) and many hanging waiters."""

    @staticmethod
    def send(port, requests, read=True):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall("".join(requests).encode())
        if not read:
            return s
        want, got = len(requests), b""
        s.settimeout(20)
        while got.count(b"HTTP/1.1 ") < want:
            chunk = s.recv(1 << 20)
            if not chunk:
                break
            got += chunk
        s.close()
        return got


class DashboardTest:
    def __init__(self, args):
        self.args = args
        self.artifacts = args.artifacts
        os.makedirs(self.artifacts, exist_ok=True)
        for old in os.listdir(self.artifacts):
            if old.endswith(".png"):
                os.unlink(os.path.join(self.artifacts, old))
        self.shot_n = 0
        self.results = []
        self.expected_errors = []  # console messages a step caused on purpose (an API error it provoked)

    # MARK: browser helpers

    def start_browser(self):
        opts = webdriver.ChromeOptions()
        opts.binary_location = self.args.chromium
        for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1400,1000", "--no-first-run", "--disable-extensions", "--lang=en-US"]:
            opts.add_argument(flag)
        opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service(executable_path=self.args.chromedriver), options=opts)
        self.driver.set_page_load_timeout(20)

    def wait(self, what, fn, timeout=10):
        try:
            return WebDriverWait(self.driver, timeout, poll_frequency=0.05).until(lambda d: fn())
        except TimeoutException:
            raise Failure(f"timed out after {timeout}s waiting for {what}")

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def css(self, sel):
        return self.driver.find_element(By.CSS_SELECTOR, sel)

    # Reads go through JavaScript in one round trip: the page re-renders rows as events arrive, so a
    # WebElement found a moment ago may already be replaced (stale).
    def exists(self, sel):
        return self.js("return document.querySelector(arguments[0]) !== null", sel)

    def text(self, sel):
        return self.js("const e = document.querySelector(arguments[0]); return e ? e.innerText.trim() : null", sel)

    def count(self, sel):
        return self.js("return document.querySelectorAll(arguments[0]).length", sel)

    def click(self, sel):
        self.wait(f"{sel} to be clickable", lambda: self.js(
            "const e = document.querySelector(arguments[0]); if (!e || e.disabled) return false; e.click(); return true", sel))

    def shot(self, name):
        self.shot_n += 1
        path = os.path.join(self.artifacts, f"{self.shot_n:02d}-{name}.png")
        self.driver.save_screenshot(path)
        return path

    def console_errors(self):
        """SEVERE browser-log entries since the last call (reading drains chromium's buffer)."""
        return [e for e in self.driver.get_log("browser") if e.get("level") == "SEVERE"
                and not any(re.search(p, e.get("message", "")) for p in self.expected_errors)]

    def click_tab(self, tab):
        self.click(f"#tab-{tab}")
        self.wait(f"the {tab} tab to become active", lambda: "active" in self.css(f"#tab-{tab}").get_attribute("class"))

    def fill_dialog(self, fields):
        self.wait("the dialog to open", lambda: self.css("#dialog").get_attribute("open") is not None)
        for sel, value in fields.items():
            el = self.css(sel)
            el.clear()
            el.send_keys(value)
        self.click("#dialog-ok")
        self.wait("the dialog to close", lambda: self.css("#dialog").get_attribute("open") is None)

    def key_row(self, key):
        return f'#keys-table tr[data-key="{key}"]'

    # MARK: steps

    def step(self, name, fn):
        start = time.time()
        try:
            fn()
            self.results.append((name, True, time.time() - start, ""))
            print(f"ok    {name} ({time.time() - start:.1f}s)", flush=True)
        except Exception as e:  # noqa: BLE001 — every failure is reported with a screenshot, then the run goes on
            path = self.shot("FAILED-" + re.sub(r"\W+", "-", name))
            self.results.append((name, False, time.time() - start, f"{e} (screenshot {path})"))
            print(f"FAIL  {name}: {e}\n      screenshot: {path}", flush=True)

    def load_without_console_errors(self):
        self.driver.get(self.base + "/mod/dashboard")  # the 302 to /mod/dashboard/
        self.wait("the app to start", lambda: self.js("return document.documentElement.dataset.ready") == "true")
        if not self.driver.current_url.endswith("/mod/dashboard/"):
            raise Failure("no redirect to /mod/dashboard/: " + self.driver.current_url)
        self.wait("the live indicator", lambda: self.css("#live").get_attribute("data-state") == "live")
        self.wait("the stats tiles", lambda: self.text("#t-conns .value") not in (None, "–"))
        self.js("window.__noReload = 'still here'")
        self.shot("overview")
        for tab in ["keys", "locks", "stats", "overview"]:
            self.click_tab(tab)
            time.sleep(0.3)
        errors = self.console_errors()
        if errors:
            raise Failure("console errors: " + json.dumps(errors)[:800])

    def deep_link_reload(self):
        self.driver.get(self.base + "/mod/dashboard/locks")
        self.wait("the locks view from a deep link", lambda: self.exists("#locks-summary"))
        self.driver.refresh()
        self.wait("the locks view after a reload", lambda: self.exists("#locks-summary"))
        self.driver.get(self.base + "/mod/dashboard/stats")
        self.wait("the stats view from a deep link", lambda: self.exists("#rps-chart"))
        self.click_tab("keys")
        self.js("window.__noReload = 'still here'")
        # One page, one watch: views switched and pages left do not leave long polls parked on the server.
        self.wait("exactly one watcher on the server", lambda: self.metric("baton_watchers") == 1, timeout=3)

    def metric(self, name):
        text = request("GET", self.base + "/metrics")[1]
        return int(float(re.search(rf"^{name} (\S+)", text, re.M).group(1)))

    def create_key_in_page(self):
        self.wait("the keys table or empty note", lambda: self.exists("#keys-body p.empty") or self.exists("#keys-table"))
        self.click("#new-key")
        self.fill_dialog({"#f-name": "browser/made-here", "#f-value": "hello from the page", "#f-ttl": "120"})
        status, body = request("GET", self.base + "/v2/keys/browser/made-here")
        if status != 200 or json.loads(body)["node"]["value"] != "hello from the page":
            raise Failure(f"key not visible through the API: {status} {body}")
        if not 100 <= json.loads(body)["node"].get("ttl", 0) <= 120:
            raise Failure("TTL not applied: " + body)
        self.wait("the new directory in the listing", lambda: self.exists(self.key_row("/browser")))
        self.click(self.key_row("/browser") + " a")
        self.wait("the new key in its directory", lambda: self.exists(self.key_row("/browser/made-here")))
        ttl = self.text(self.key_row("/browser/made-here") + " .ttl")
        if not re.match(r"^(2m 00s|1m \d\ds)$", ttl or ""):
            raise Failure(f"TTL not shown: {ttl!r}")
        self.wait("the TTL to count down", lambda: self.text(self.key_row("/browser/made-here") + " .ttl") != ttl, timeout=3)
        self.shot("keys-created")

    def edit_and_delete_in_page(self):
        row = self.key_row("/browser/made-here")
        self.click(row + ' button[data-action="edit"]')
        self.fill_dialog({"#f-value": "edited", "#f-ttl": ""})
        self.wait("the edited value", lambda: "edited" in (self.text(row + " td.value") or ""))
        if json.loads(request("GET", self.base + "/v2/keys/browser/made-here")[1])["node"]["value"] != "edited":
            raise Failure("edit not visible through the API")
        # An API error is shown in words: creating an existing key.
        self.click("#new-key")
        self.fill_dialog_expect_error({"#f-name": "made-here", "#f-value": "dup"}, "Key already exists")
        self.click(row + ' button[data-action="delete"]')
        self.wait("the confirmation", lambda: "Delete" in self.text("#dialog-title") and "cannot be undone" in self.text("#dialog-body"))
        self.shot("keys-delete-confirmation")
        self.click("#dialog-ok")
        self.wait("the row to disappear", lambda: not self.exists(row))
        if request("GET", self.base + "/v2/keys/browser/made-here")[0] != 404:
            raise Failure("key still exists after delete")

    def fill_dialog_expect_error(self, fields, message):
        self.wait("the dialog to open", lambda: self.css("#dialog").get_attribute("open") is not None)
        for sel, value in fields.items():
            self.css(sel).clear()
            self.css(sel).send_keys(value)
        self.click("#dialog-ok")
        self.wait(f"the error {message!r}", lambda: message in (self.text("#dialog-error") or ""))
        self.shot("keys-error-in-words")
        self.click("#dialog-cancel")
        self.expected_errors.append(r"/v2/keys/browser/made-here .* 412")  # the failure that step provoked

    def api_write_appears_live(self):
        self.click("#crumbs a")  # back to the root
        self.wait("the root listing", lambda: self.exists(self.key_row("/browser")))
        self.click_tab("keys")  # the same place again must keep the live listing
        time.sleep(0.3)
        if not self.exists(self.key_row("/browser")):
            raise Failure("clicking the current tab again lost the listing")
        status, _ = request("PUT", self.base + "/v2/keys/from-api", "value=written+by+curl&ttl=300")
        if status not in (200, 201):
            raise Failure(f"PUT failed: {status}")
        self.wait("the API write in the page", lambda: self.exists(self.key_row("/from-api")), timeout=5)
        if self.js("return window.__noReload") != "still here":
            raise Failure("the page reloaded")
        self.click(self.key_row("/from-api") + " a")
        self.wait("the key's value", lambda: self.text("#key-value") == "written by curl")
        request("PUT", self.base + "/v2/keys/from-api", "value=changed+by+curl")
        self.wait("the changed value, live", lambda: self.text("#key-value") == "changed by curl", timeout=5)
        self.shot("key-detail")
        self.driver.back()
        self.wait("the root listing again", lambda: self.exists(self.key_row("/from-api")))
        request("DELETE", self.base + "/v2/keys/from-api")
        self.wait("the API delete in the page", lambda: not self.exists(self.key_row("/from-api")), timeout=5)
        self.click("#show-hidden")
        self.wait("the hidden _etcd tree", lambda: self.exists(self.key_row("/_etcd")))
        self.shot("keys")
        self.click("#show-hidden")

    def locks_live(self):
        index, _ = curl("POST", self.base + "/mod/v2/lock/printer?ttl=60&value=alice").communicate(timeout=10)
        if not index.isdigit():
            raise Failure(f"acquire failed: {index!r}")
        self.click_tab("overview")
        row = '#overview-locks tr[data-lock="printer"]'
        self.wait("the holder on the overview", lambda: self.text(row + " td.holder") == "alice")
        self.waiter = curl("POST", self.base + "/mod/v2/lock/printer?ttl=60&value=bob")
        self.wait("the waiter on the overview", lambda: "bob" in (self.text(row + " td.queue") or ""))
        self.shot("overview-locks")
        self.click_tab("locks")
        self.click('tr[data-lock="printer"] a')
        self.wait("the holder in the queue view", lambda: self.text("#holder-value") == "alice" and self.text("#holder-index") == index)
        self.wait("the waiter in the queue", lambda: self.text("#waiters tbody tr:first-child td.holder") == "bob")
        if not re.match(r"^(1m 00s|\d+s)$", self.text("#lock-holder .ttl") or ""):
            raise Failure("holder TTL not shown: " + repr(self.text("#lock-holder .ttl")))
        self.shot("lock-queue")
        if self.waiter.poll() is not None:
            raise Failure("the second curl did not wait")
        self.click("#release")
        self.wait("the release confirmation", lambda: self.css("#dialog").get_attribute("open") is not None)
        self.click("#dialog-ok")
        self.wait("bob to become the holder", lambda: self.text("#holder-value") == "bob")
        out, _ = self.waiter.communicate(timeout=5)
        if not out.strip().isdigit() or int(out) <= int(index):
            raise Failure(f"the waiting curl got {out!r}")
        self.wait("an empty queue", lambda: "Nobody is waiting" in (self.text("#waiters") or ""))
        request("DELETE", self.base + f"/mod/v2/lock/printer?index={out.strip()}")

    def chart_moves_under_load(self):
        self.click_tab("stats")
        self.wait("two samples", lambda: int(self.css("#rps-chart").get_attribute("data-points") or 0) >= 2)
        before = self.js("return document.getElementById('rps-chart').toDataURL()")
        stop = time.time() + 3.0

        def load():
            # About 1,500 requests/s: plenty for the chart, gentle on a 2-core machine running other tests.
            s = socket.create_connection(("127.0.0.1", self.baton_port))
            req = b"GET /v2/keys/?recursive=false HTTP/1.1\r\nHost: x\r\n\r\n" * 50
            while time.time() < stop:
                s.sendall(req)
                # Count status lines in everything received: the 50 answers may arrive in one write and be
                # split by recv anywhere, also inside a status line.
                received = b""
                while received.count(b"HTTP/1.1 200") < 50:
                    chunk = s.recv(1 << 16)
                    if not chunk:
                        break
                    received += chunk
                time.sleep(0.03)
            s.close()
        threads = [threading.Thread(target=load) for _ in range(1)]
        for t in threads:
            t.start()
        self.wait("the chart to show the load", lambda: float(self.css("#rps-chart").get_attribute("data-rate") or 0) > 200, timeout=8)
        for t in threads:
            t.join()
        after = self.js("return document.getElementById('rps-chart').toDataURL()")
        if after == before:
            raise Failure("the chart did not change")
        rate = self.css("#rps-chart").get_attribute("data-max")
        self.shot("stats-under-load")
        print(f"      peak requests/s shown: {float(rate):.0f}")

    def cors(self):
        errors = self.console_errors()  # the dashboard's own log, before the probe pages add CORS errors
        if errors:
            raise Failure("console errors on the dashboard: " + json.dumps(errors)[:800])
        allowed = f"http://localhost:{self.origin.port}/probe?target={self.base}&key=cors-allowed"
        self.driver.get(allowed)
        self.wait("the allowed probe", lambda: self.driver.title == "done")
        out = json.loads(self.text("#out"))
        if out.get("put") not in (200, 201) or out.get("get") != f"http://localhost:{self.origin.port}" or out.get("del") != 200:
            raise Failure("allowed origin could not use the API: " + json.dumps(out))
        request("PUT", self.base + "/v2/keys/cors-refused", "value=keep")
        refused = f"http://127.0.0.1:{self.origin.port}/probe?target={self.base}&key=cors-refused"
        self.driver.get(refused)
        self.wait("the refused probe", lambda: self.driver.title == "done")
        out = json.loads(self.text("#out"))
        self.shot("cors-refused")
        if "readError" not in out or "deleteError" not in out:
            raise Failure("the browser did not refuse the other origin: " + json.dumps(out))
        status, body = request("GET", self.base + "/v2/keys/cors-refused")
        if status != 200:
            raise Failure("the refused origin's pre-flighted DELETE reached the server")
        request("DELETE", self.base + "/v2/keys/cors-refused")
        self.console_errors()  # drop the expected CORS errors

    def history_cleared(self):
        """Error 401: a watch more than 1000 events behind restarts from a fresh GET and misses nothing."""
        self.driver.get(self.base + "/mod/dashboard/keys/")
        self.wait("the keys view to be live", lambda: self.js("return Baton.app.watch.snapshots") >= 1
                  and self.css("#live").get_attribute("data-state") == "live")
        before = self.js("return Baton.app.watch.snapshots")
        Pipeline.send(self.baton_port, ["PUT /v2/keys/churn?value=x HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"] * 1100)
        request("PUT", self.base + "/v2/keys/missed-while-behind", "value=1")
        self.expected_errors.append(r"waitIndex=2 .* 400")  # the 401 answer itself
        self.js("Baton.app.watch.rearm(2)")  # as if the page had fallen behind at index 2
        self.wait("the 401 and a fresh GET", lambda: self.js("return Baton.app.watch.cleared") >= 1
                  and self.js("return Baton.app.watch.snapshots") > before)
        self.wait("the key written while behind", lambda: self.exists(self.key_row("/missed-while-behind")))
        request("PUT", self.base + "/v2/keys/after-401", "value=1")
        self.wait("live updates after the restart", lambda: self.exists(self.key_row("/after-401")), timeout=5)
        for key in ["churn", "missed-while-behind", "after-401"]:
            request("DELETE", self.base + "/v2/keys/" + key)

    def server_goes_away(self):
        """Errors are shown in words: the server stopping shows in the live indicator and the error strip."""
        self.driver.get(self.base + "/mod/dashboard/")
        self.wait("live", lambda: self.css("#live").get_attribute("data-state") == "live")
        self.baton.proc.terminate()
        self.wait("the interruption", lambda: self.css("#live").get_attribute("data-state") == "error", timeout=5)
        self.wait("a message in words", lambda: "Live updates interrupted" in (self.text("#errors") or ""))
        self.shot("server-gone")

    def scale(self):
        n_keys, n_waiters = 10000, 1000
        reqs = [f"PUT /v2/keys/big/k{i:05d} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {len(f'value=v{i}')}\r\n\r\nvalue=v{i}" for i in range(n_keys)]
        t0 = time.time()
        Pipeline.send(self.baton_port, reqs)
        request("POST", self.base + "/mod/v2/lock/busy?ttl=120&value=holder")
        # One connection per waiter (a pipelined POST would wait behind the previous one on its connection).
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 4096)), hard))
        self.scale_sockets = []
        for i in range(n_waiters):
            s = socket.create_connection(("127.0.0.1", self.baton_port))
            s.sendall(f"POST /mod/v2/lock/busy?ttl=60&value=w{i:04d} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            self.scale_sockets.append(s)
        print(f"      setup: {n_keys} keys + {n_waiters} waiters in {time.time() - t0:.1f}s")

        t0 = time.time()
        self.driver.get(self.base + "/mod/dashboard/keys/big")
        self.wait("100 of 10,000 keys", lambda: self.count("#keys-table tbody tr") == 100, timeout=15)
        keys_ms = (time.time() - t0) * 1000
        if "10,000 entries" not in self.text("#keys-count"):
            raise Failure("count shows " + self.text("#keys-count"))
        t0 = time.time()
        self.click('.pager button[data-role="next"]')
        self.wait("page 2", lambda: self.exists(self.key_row("/big/k00100")))
        page_ms = (time.time() - t0) * 1000
        self.css("#keys-filter").send_keys("k0999")
        self.wait("the filter", lambda: self.count("#keys-table tbody tr") == 10)
        self.shot("keys-10000")

        t0 = time.time()
        self.driver.get(self.base + "/mod/dashboard/locks/busy")
        self.wait(f"{n_waiters} waiters", lambda: self.text("#waiters") is not None and f"Waiting ({n_waiters})" in self.driver.page_source, timeout=20)
        self.wait("100 waiter rows", lambda: self.count("#waiters tbody tr") == 100)
        locks_ms = (time.time() - t0) * 1000
        # A change at the head of a 1,000-long queue shows within a second.
        first = self.text("#waiters tbody tr:first-child td.holder")
        request("DELETE", self.base + "/mod/v2/lock/busy?value=holder")
        t0 = time.time()
        self.wait("the next holder", lambda: self.text("#holder-value") == first, timeout=5)
        handoff_ms = (time.time() - t0) * 1000
        self.shot("locks-1000-waiters")
        timing = self.js("const t = performance.now(); Baton.app.view.render(); return performance.now() - t")
        print(f"      keys view {keys_ms:.0f} ms, next page {page_ms:.0f} ms, queue view {locks_ms:.0f} ms, "
              f"hand-off shown in {handoff_ms:.0f} ms, one render {timing:.1f} ms")
        if keys_ms > 5000 or locks_ms > 5000 or timing > 200:
            raise Failure("too slow")
        for s in self.scale_sockets:
            s.close()

    # MARK: run

    def run(self):
        self.origin = SecondOrigin()
        self.baton = Baton(self.args.binary, f"http://localhost:{self.origin.port}")
        self.base, self.baton_port = self.baton.url, self.baton.port
        started = time.time()
        try:
            self.start_browser()
            self.step("page loads without console errors", self.load_without_console_errors)
            self.step("deep links reload", self.deep_link_reload)
            self.step("a key created in the page appears through the API", self.create_key_in_page)
            self.step("edit, API error in words, delete with confirmation", self.edit_and_delete_in_page)
            self.step("a key written through the API appears without reload", self.api_write_appears_live)
            self.step("lock holder and waiting curl shown live", self.locks_live)
            self.step("the stats chart moves under load", self.chart_moves_under_load)
            self.step("CORS allowed and refused from a second origin", self.cors)
            self.step("error 401 restarts the watch from a fresh GET", self.history_cleared)
            if not self.args.quick:
                self.step("10,000 keys and 1,000 waiters stay responsive", self.scale)
            self.step("a server that goes away is reported in words", self.server_goes_away)
        finally:
            if getattr(self, "driver", None):
                self.driver.quit()
            self.baton.close()
            self.origin.close()
        failed = [r for r in self.results if not r[1]]
        print(f"{len(self.results) - len(failed)}/{len(self.results)} passed in {time.time() - started:.1f}s; "
              f"screenshots in {self.artifacts}")
        for name, _, _, why in failed:
            print(f"FAILED: {name}: {why}")
        return 1 if failed else 0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--binary", default=os.path.join(ROOT, ".build", "debug", "baton"))
    p.add_argument("--artifacts", default=os.path.join(ROOT, "Tests", "Browser", "artifacts"))
    p.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    p.add_argument("--chromedriver", default=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    p.add_argument("--quick", action="store_true", help="skip the 10,000 keys / 1,000 waiters step")
    args = p.parse_args()
    for what, path in [("chromium", args.chromium), ("chromedriver", args.chromedriver), ("baton", args.binary)]:
        if not os.access(path, os.X_OK):
            sys.exit(f"{what} not found at {path} (apt-get install chromium chromium-driver; swift build)")
    sys.exit(DashboardTest(args).run())


if __name__ == "__main__":
    main()
