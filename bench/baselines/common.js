'use strict';
// What both Node baselines share: their command-line options and the HTTP the bench needs from any target
// (a ticket stub — the baselines trust everyone, which only makes them cheaper than the gateway — and a health
// check). Plain Node, no dependencies, so each baseline's own package stays what its docs would install.

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

/** Answers /auth/token and /healthz; returns false for any other URL. */
function benchHttp(req, res) {
  if (req.url.startsWith('/auth/token')) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ token: 'baseline', expiresIn: 60 }));
    return true;
  }
  if (req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"status":"ok"}');
    return true;
  }
  return false;
}

/**
 * Runs an async `main` that starts a server and returns its stop function: SIGTERM and SIGINT stop it and exit;
 * a failure to start exits 1.
 */
function serve(main) {
  main().then((stop) => {
    const exit = () => Promise.resolve(stop()).then(() => process.exit(0));
    process.on('SIGTERM', exit);
    process.on('SIGINT', exit);
  }, (e) => {
    console.error(e);
    process.exit(1);
  });
}

module.exports = { option, benchHttp, serve };
