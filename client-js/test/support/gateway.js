/**
 * Starts a real Switchboard gateway (the shaded jar) for tests: a random loopback port, read from the one
 * "listening on" line the server prints; stop() sends SIGTERM (drain), kill() SIGKILL (a crash);
 * restart() starts a new process on the same port.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
export const JAR = process.env.SWITCHBOARD_JAR || path.resolve(here, '../../../server/target/switchboard.jar');
const LISTENING = /listening on https?:\/\/([^:\s]+):(\d+)/;

function javaBinary() {
  if (process.env.SWITCHBOARD_JAVA) return process.env.SWITCHBOARD_JAVA;
  if (process.env.JAVA_HOME) return path.join(process.env.JAVA_HOME, 'bin', 'java');
  // Like ./switchboard: the newest JDK under /usr/lib/jvm (the default `java` may be too old for the jar).
  try {
    const newest = readdirSync('/usr/lib/jvm')
      .map((name) => ({ name, version: Number((/(\d+)/.exec(name) || [])[1] || 0) }))
      .filter(({ name }) => existsSync(`/usr/lib/jvm/${name}/bin/java`))
      .sort((a, b) => b.version - a.version)[0];
    if (newest) return `/usr/lib/jvm/${newest.name}/bin/java`;
  } catch {
    // no /usr/lib/jvm: fall back to the PATH
  }
  return 'java';
}

/** A gateway process; `url` is `ws://127.0.0.1:port/ws`, `http` is `http://127.0.0.1:port`. */
export class Gateway {
  constructor(args = []) {
    this.args = args;
    this.port = 0;
    this.child = null;
    this.output = '';
  }

  static async start(args = []) {
    const gateway = new Gateway(args);
    await gateway.#spawn(0);
    return gateway;
  }

  /** Whether the gateway serves TLS (started with --tls-cert). */
  get tls() {
    return this.args.includes('--tls-cert');
  }

  get http() {
    return `${this.tls ? 'https' : 'http'}://127.0.0.1:${this.port}`;
  }

  url(endpoint = '/ws') {
    return `${this.tls ? 'wss' : 'ws'}://127.0.0.1:${this.port}${endpoint}`;
  }

  async #spawn(port) {
    if (!existsSync(JAR)) throw new Error(`${JAR} is missing: build it with mvn -B -pl server -am -DskipTests package`);
    const args = ['--enable-native-access=ALL-UNNAMED', '-Xmx256m', '-XX:TieredStopAtLevel=1', '-jar', JAR, 'run',
      '--dev', '--host', '127.0.0.1', '--port', String(port), ...this.args];
    const child = spawn(javaBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    // Never leave a gateway behind, even when a test file dies half-way.
    const reap = () => child.kill('SIGKILL');
    process.once('exit', reap);
    child.once('exit', () => process.off('exit', reap));
    this.output = '';
    const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    child.exited = exited;
    const listening = new Promise((resolve, reject) => {
      const onData = (chunk) => {
        this.output += chunk;
        const match = LISTENING.exec(this.output);
        if (match) resolve(Number(match[2]));
      };
      child.stdout.setEncoding('utf8').on('data', onData);
      child.stderr.setEncoding('utf8').on('data', (chunk) => (this.output += chunk));
      exited.then(({ code, signal }) => reject(new Error(`gateway exited (${code ?? signal}) before listening:\n${this.output}`)));
    });
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`gateway did not report listening within 30 s:\n${this.output}`)), 30000);
    });
    try {
      this.port = await Promise.race([listening, timeout]);
    } catch (err) {
      child.kill('SIGKILL');
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Graceful stop: SIGTERM, the gateway drains (closes sockets with 1012, restarting). */
  async stop() {
    await this.#signal('SIGTERM');
  }

  /** A crash: SIGKILL, sockets vanish without a close frame. */
  async kill() {
    await this.#signal('SIGKILL');
  }

  /** Starts a new process on the same port (after stop() or kill()). */
  async restart() {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) await this.kill();
    const port = this.port;
    // The old socket may linger for a moment after the process dies; retry the bind briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        await this.#spawn(port);
        return;
      } catch (err) {
        if (attempt >= 20) throw err;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }

  async #signal(signal) {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 15000);
    await child.exited;
    clearTimeout(timer);
  }

  /** A dev ticket for `user`. */
  async token(user) {
    const response = await fetch(`${this.http}/auth/token?user=${encodeURIComponent(user)}`);
    if (!response.ok) throw new Error(`/auth/token: HTTP ${response.status}`);
    return (await response.json()).token;
  }

  /** Calls the HTTP API with the dev API key. */
  async api(method, pathname, body) {
    const response = await fetch(`${this.http}${pathname}`, {
      method,
      headers: { authorization: 'Bearer dev-api-key', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${pathname}: HTTP ${response.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }
}
