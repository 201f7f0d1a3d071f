// When an object missing from its server's list may be taken as gone: only when its server is
// visible and is the one it was made on, or the user declared that server deleted.
import { judgeServer } from "../../provider/operations/proof";

const server = (createdAt: string | null) => ({ id: 12345, status: "active", created_at: createdAt });
const none = new Set<string>();

test("a visible server made when the object's was recorded: the object is gone", () => {
  expect(judgeServer(12345, server("2024-06-01T09:00:00Z"), "2024-06-01T09:00:00Z", none)).toBe("same");
});

test("a server of the same id made at another time belongs to another environment: no verdict", () => {
  expect(judgeServer(12345, server("2025-02-01T00:00:00Z"), "2024-06-01T09:00:00Z", none)).toEqual({
    problem: "another server",
    seenCreatedAt: "2025-02-01T00:00:00Z",
  });
});

test("a server the token does not see proves nothing, unless the user said it was deleted", () => {
  expect(judgeServer(12345, undefined, "2024-06-01T09:00:00Z", none)).toEqual({ problem: "not visible" });
  expect(judgeServer(12345, undefined, "2024-06-01T09:00:00Z", new Set(["12345"]))).toBe("deleted");
  expect(judgeServer(12345, undefined, undefined, new Set(["67890"]))).toEqual({ problem: "not visible" });
});

test("states from before the server was recorded, and servers without a creation time, go by visibility", () => {
  expect(judgeServer(12345, server("2024-06-01T09:00:00Z"), undefined, none)).toBe("same");
  expect(judgeServer(12345, server(null), "2024-06-01T09:00:00Z", none)).toBe("same");
  expect(judgeServer(12345, server("2024-06-01T09:00:00Z"), null, none)).toBe("same");
});

test("a user's word never overrides a server that is visible and another", () => {
  expect(judgeServer(12345, server("2025-02-01T00:00:00Z"), "2024-06-01T09:00:00Z", new Set(["12345"]))).toMatchObject({
    problem: "another server",
  });
});
