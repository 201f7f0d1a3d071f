// The vendor's own sample requests, sent as printed (host and token swapped), give the
// documented status codes and bodies of the documented shape.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseCurl, vendorSamples } from "../fixtures/vendor-samples";
import { TOKEN_A, useEmulator } from "../helpers/emulator";

const ctx = useEmulator();

/** The JSON type of every field, recursively: two bodies of the same shape give the same outline. */
function outline(value: unknown): unknown {
  if (Array.isArray(value)) return value.length ? [outline(value[0])] : [];
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, outline(v)]));
  }
  return value === null ? "null" : typeof value;
}

async function send(curl: string) {
  const { method, url, headers, body } = parseCurl(curl);
  const target = url.replace("https://admin.vps.org/api/v1", ctx.url);
  headers.Authorization = headers.Authorization.replace("YOUR_API_TOKEN", TOKEN_A);
  return fetch(target, { method, headers, body });
}

describe.each(vendorSamples)("$title", ({ curl, status, response }) => {
  test(`answers ${status} with the documented body`, async () => {
    const answer = await send(curl);
    expect(answer.status).toBe(status);
    if (response === undefined) {
      expect(await answer.text()).toBe("");
      return;
    }
    const body = (await answer.json()) as Record<string, unknown>;
    // Lists also carry DRF's paging links (next/previous): documented fields are all there, same types.
    const { next, previous, ...documented } = body;
    if ("count" in body) {
      expect(next).toBeNull();
      expect(previous).toBeNull();
    }
    expect(outline(documented)).toEqual(outline(response));
    // Same values, except the dates (moved to the present) and what the clock decides.
    const withoutDates = JSON.parse(JSON.stringify(documented), (k, v) => (/_at$/.test(k) ? undefined : v));
    const expected = JSON.parse(JSON.stringify(response), (k, v) => (/_at$/.test(k) ? undefined : v));
    expect(withoutDates).toEqual(expected);
  });
});

test("a missing or wrong token answers 401 on every sample", async () => {
  for (const { curl } of vendorSamples) {
    const { method, url, headers, body } = parseCurl(curl);
    const target = url.replace("https://admin.vps.org/api/v1", ctx.url);
    const wrong = await fetch(target, { method, headers, body }); // still "Bearer YOUR_API_TOKEN"
    expect(wrong.status).toBe(401);
    const { Authorization: _dropped, ...anonymous } = headers;
    const none = await fetch(target, { method, headers: anonymous, body });
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ detail: "Authentication credentials were not provided." });
  }
});

// The fixture against the vendor's pages themselves (a copy in tests/fixtures/vendor-pages/).
test("every sample command is printed in the vendor's pages", () => {
  const pages = join(__dirname, "..", "fixtures", "vendor-pages");
  const squash = (text: string) => text.replace(/\\\n/g, " ").replace(/\s+/g, " ");
  const texts = readdirSync(pages).filter((f) => f.endsWith(".txt"));
  expect(texts.length).toBeGreaterThan(0);
  const printed = texts.map((f) => squash(readFileSync(join(pages, f), "utf8"))).join("\n");
  const missing = vendorSamples.filter(({ curl }) => !printed.includes(squash(curl))).map((s) => s.title);
  expect(missing).toEqual([]);
});
