// Where the token goes, and which answers count as the API's: https only (plain http only to this
// machine), redirects never followed, every request named by its User-Agent; a 404 that is not the
// API's JSON, a 200 without the list's shape, a list whose count disagrees with its pages: errors
// that name the URL and the status, never "not found" or "nothing there".
import { VpsOrgClient } from "../../provider/client";
import { resolveConnection } from "../../provider/client/config";
import {
  ConfigurationError,
  NotFoundError,
  UnexpectedResponseError,
  UnrecognizedAnswerError,
} from "../../provider/client/errors";
import { VERSION } from "../../provider/version";
import { MiniEngine } from "../harness/engine";
import { registeredInputs } from "../harness/program";
import { secret } from "../harness/provider-host";
import { rejection } from "../helpers/expect";
import { TOKEN_A, useEmulator } from "../helpers/emulator";
import { startHost } from "../helpers/stack";
import { Snapshot } from "pulumi-vpsorg";

const ctx = useEmulator();
const client = (extra = {}) =>
  new VpsOrgClient({
    token: TOKEN_A,
    baseUrl: ctx.url,
    retryBaseDelayMs: 1,
    maxRetries: 1,
    notify: () => {},
    ...extra,
  });

describe("the token goes over https, or plain http to this machine only", () => {
  test("http to another host is refused before any request; loopback and https are fine", () => {
    const refused = () => resolveConnection({ token: "t", baseUrl: "http://api.example.com/api/v1" }, {});
    expect(refused).toThrow(ConfigurationError);
    expect(refused).toThrow(/plain http to another machine: the API token would cross the network unencrypted/);
    for (const url of [
      "https://api.example.com/api/v1",
      "http://127.0.0.1:8080/api/v1",
      "http://localhost/api/v1",
      "http://[::1]:9/api/v1",
    ]) {
      expect(resolveConnection({ token: "t", baseUrl: url }, {}).baseUrl).toBe(url);
    }
    // Only when the user says so, knowing why not.
    expect(
      resolveConnection({ token: "t", baseUrl: "http://api.example.com", allowInsecureHttp: true }, {}).baseUrl,
    ).toBe("http://api.example.com");
    expect(() => resolveConnection({ token: "t", baseUrl: "ftp://x" }, {})).toThrow(/must be https/);
    expect(() => resolveConnection({ token: "t", baseUrl: "https://u:p@x" }, {})).toThrow(/must not carry credentials/);
  });

  test("through the provider host: a stack whose apiUrl is plain http to another host fails at check, naming the key", async () => {
    const host = await startHost("http://api.example.com/api/v1");
    try {
      const [reg] = await registeredInputs(() => new Snapshot("s", { serverId: 12345 }));
      const error = await rejection(new MiniEngine(host).up(reg), "an up with an http apiUrl");
      expect(error.message).toMatch(/plain http to another machine.*vpsorg:allowInsecureHttp.*\(vpsorg:apiUrl\)\.$/);
      expect(host.stderr.join("")).not.toMatch(/\n\s+at /); // one line, no stack
    } finally {
      await host.stop();
    }
    // The explicit opt-in: the same URL is accepted (and then simply unreachable here).
    const allowed = await startHost("http://127.0.0.2:9/api/v1", {
      config: { "vpsorg:apiUrl": "http://api.invalid/api/v1", "vpsorg:allowInsecureHttp": "true" },
    });
    try {
      const [reg] = await registeredInputs(() => new Snapshot("s", { serverId: 12345 }));
      const error = await rejection(new MiniEngine(allowed).up(reg));
      expect(error.message).toMatch(/Could not reach VPS.org at http:\/\/api\.invalid\/api\/v1/);
    } finally {
      await allowed.stop();
    }
  });

  test("a redirect is not followed: the token goes only to the configured URL", async () => {
    await ctx.control.faults([
      {
        method: "GET",
        path: "/servers/$",
        status: 302,
        headers: { Location: "https://elsewhere.example/api/v1/servers/" },
      },
    ]);
    const error = await rejection(client().servers.list());
    expect(error).toBeInstanceOf(UnrecognizedAnswerError);
    expect(error.message).toMatch(
      /answered a redirect \(302 to https:\/\/elsewhere\.example\/api\/v1\/servers\/\), which is not followed/,
    );
    expect(await ctx.control.count("GET /api/v1/servers/")).toBe(1); // not retried either: it would not change
  });

  test("every request names this package and its version", async () => {
    await client().servers.list();
    await client({ userAgent: "plugin" }).servers.list();
    const { byUserAgent } = await ctx.control.requests();
    const base = `pulumi-vpsorg/${VERSION} node/${process.versions.node} (${process.platform}; ${process.arch})`;
    expect(byUserAgent).toEqual({ [base]: 1, [`${base} plugin`]: 1 });
  });

  test("through the provider host, with the token as a secret", async () => {
    const host = await startHost(ctx.url, { config: { "vpsorg:apiToken": secret(TOKEN_A) } });
    try {
      const [reg] = await registeredInputs(() => new Snapshot("s", { serverId: 12345, adoptId: 801 }));
      await new MiniEngine(host).up(reg);
      const agents = Object.keys((await ctx.control.requests()).byUserAgent);
      expect(agents).toEqual([
        expect.stringMatching(new RegExp(`^pulumi-vpsorg/${VERSION.replace(/\./g, "\\.")} node/`)),
      ]);
    } finally {
      await host.stop();
    }
  });
});

describe("answers that are not the API's prove nothing", () => {
  test("a 404 in HTML (a proxy, a wrong path) is not a NotFoundError, and is not retried", async () => {
    await ctx.control.faults([
      { method: "DELETE", status: 404, body: "<html>Not Found</html>", headers: { "Content-Type": "text/html" } },
    ]);
    const error = await rejection(client().snapshots.delete(801));
    expect(error).not.toBeInstanceOf(NotFoundError);
    expect(error).toBeInstanceOf(UnrecognizedAnswerError);
    expect(error.message).toMatch(
      new RegExp(
        `${ctx.url.replace(/[./]/g, "\\$&")}/snapshots/801/ answered 404 with a body that is not the API's \\(text/html\\)`,
      ),
    );
    expect(await ctx.control.count("DELETE /api/v1/snapshots/:snapshotId/")).toBe(1);
    expect((await ctx.control.state()).snapshots.map((s) => s.id)).toContain(801);
    // An empty 404 is no answer of the API's either; its own 404 (JSON) is.
    await ctx.control.faults([{ method: "DELETE", status: 404, body: "" }]);
    expect(await rejection(client().snapshots.delete(801))).toBeInstanceOf(UnrecognizedAnswerError);
    await ctx.control.clearFaults();
    expect(await rejection(client().snapshots.delete(424242))).toBeInstanceOf(NotFoundError);
  });

  test("a 200 without the list's shape names the URL and the status", async () => {
    await ctx.control.faults([{ method: "GET", path: "/snapshots/$", status: 200, body: { items: [] } }]);
    const error = await rejection(client().snapshots.list({ serverId: 12345 }));
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error.message).toMatch(
      /snapshots\/\?server_id=12345&page_size=100 \(200\) does not have the documented shape \(results: /,
    );
  });

  test("a list whose count disagrees with what its pages held is read again, then an error naming the URL", async () => {
    await ctx.control.faults([
      { method: "GET", path: "/snapshots/$", status: 200, body: { count: 5, results: [] }, times: 1 },
    ]);
    // Once: read again, and the second reading agrees.
    expect((await client().snapshots.list({ serverId: 12345 })).map((s) => s.id)).toEqual([801, 798]);
    await ctx.control.faults([{ method: "GET", path: "/snapshots/$", status: 200, body: { count: 5, results: [] } }]);
    const error = await rejection(client().snapshots.list({ serverId: 12345 }));
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error.message).toMatch(
      /the list's count \(5\) disagrees with the 0 items its pages held, at http:\/\/127\.0\.0\.1:\d+\/api\/v1\/snapshots\/\?server_id=12345&page_size=100 \(200\)/,
    );
  });
});
