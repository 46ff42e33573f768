"""Shared set-up for quire serve's tests: an index of corpus/ plus a hostile document, and a running
`quire serve` on a free port. Used by test_http.py (security and API over urllib) and test_browser.py
(Chromium through Selenium)."""

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

HOSTILE = """<?xml version="1.0" encoding="UTF-8"?>
<document version="1" id="hostile-doc">
  <meta>
    <title>&lt;script&gt;window.__pwned=1&lt;/script&gt;Hostile &lt;img src=x onerror="window.__pwned=2"&gt; report</title>
    <authors><author>&lt;b onmouseover="window.__pwned=3"&gt;Mallory&lt;/b&gt;</author></authors>
    <publisher>"&gt;&lt;svg onload=window.__pwned=4&gt;</publisher>
    <date>1999</date>
    <url>javascript:window.__pwned=5</url>
  </meta>
  <body>
    <section>
      <heading>&lt;/h3&gt;&lt;script&gt;window.__pwned=6&lt;/script&gt;</heading>
      <p>The zanzibarite pact text &lt;script&gt;window.__pwned=7&lt;/script&gt; and &lt;img src=x onerror="window.__pwned=8"&gt; and &amp;lt;b&amp;gt; stay inert, as the minister said: "zanzibarite &lt;i&gt;forever&lt;/i&gt;".</p>
      <p>A second zanzibarite paragraph about China and Pakistan, with a link &lt;a href="javascript:window.__pwned=9"&gt;click&lt;/a&gt;.</p>
    </section>
  </body>
</document>
"""


def make_index(quire, source_dir, work):
    """Indexes corpus/ and the hostile document into work/index; returns its path."""
    docs = os.path.join(work, "docs")
    shutil.copytree(os.path.join(source_dir, "corpus"), docs)
    with open(os.path.join(docs, "hostile.xml"), "w", encoding="utf-8") as f:
        f.write(HOSTILE)
    db = os.path.join(work, "index")
    subprocess.run([quire, "index", "--db", db, docs], check=True, stdout=subprocess.DEVNULL)
    return db


class Server:
    """`quire serve` on a free port, stopped with SIGTERM."""

    def __init__(self, quire, db, *extra):
        self.log = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen([quire, "serve", "--db", db, "--port", "0", *extra],
                                     stdout=subprocess.DEVNULL, stderr=self.log)
        deadline = time.time() + 20
        self.port = None
        while time.time() < deadline and self.port is None:
            time.sleep(0.05)
            self.log.seek(0)
            m = re.search(r"at http://[^ ]*:(\d+)/", self.log.read())
            if m:
                self.port = int(m.group(1))
            if self.proc.poll() is not None:
                break
        if self.port is None:
            self.log.seek(0)
            raise RuntimeError("quire serve did not start: " + self.log.read())
        self.base = "http://127.0.0.1:%d" % self.port

    def stderr(self):
        if self.log.closed:
            return self._final
        self.log.seek(0)
        return self.log.read()

    def stop(self):
        """SIGTERM; returns the exit code (must be 0: a clean stop)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        self._final = ""
        try:
            code = self.proc.wait(timeout=15)
            self.log.seek(0)
            self._final = self.log.read()
            return code
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return -1
        finally:
            self.log.close()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def request(base, path, method="GET", body=None, headers=None):
    """(status, headers, body bytes); never raises for an HTTP status and follows no redirect."""
    req = urllib.request.Request(base + path, data=body, method=method, headers=headers or {})
    try:
        with _OPENER.open(req, timeout=30) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def token(base):
    status, _, body = request(base, "/api/token")
    assert status == 200, status
    return json.loads(body)["csrf"]
