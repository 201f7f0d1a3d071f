// Durations as users write them (waitTimeout, customTimeouts.create, a history's maxAge) and as
// messages show them.
import { formatDuration, formatElapsed, parseAge, parseDuration } from "../../provider/core/durations";

test("waitTimeout: hours, minutes and seconds in Pulumi's customTimeouts form", () => {
  expect(parseDuration("30m")).toBe(1_800_000);
  expect(parseDuration("1h30m")).toBe(5_400_000);
  expect(parseDuration("45s")).toBe(45_000);
  expect(parseDuration(" 1.5h ")).toBe(5_400_000);
  for (const bad of ["", "soon", "30", "1d", "m", "0s", "-5m", "1m1h"])
    expect([bad, parseDuration(bad)]).toEqual([bad, undefined]);
});

test("maxAge: days, hours or minutes, above 0 and at most 3650 days", () => {
  expect(parseAge("30d")).toBe(30 * 86_400_000);
  expect(parseAge("12h")).toBe(12 * 3_600_000);
  expect(parseAge("90m")).toBe(90 * 60_000);
  expect(parseAge("1.5d")).toBe(1.5 * 86_400_000);
  expect(parseAge("3650d")).toBe(3650 * 86_400_000);
  for (const bad of ["3651d", "0d", "30", "30s", "1w", "d", ""]) expect([bad, parseAge(bad)]).toEqual([bad, undefined]);
});

test("timeouts and elapsed times read as people write them", () => {
  expect(formatDuration(2 * 3_600_000)).toBe("2h");
  expect(formatDuration(30 * 60_000)).toBe("30m");
  expect(formatDuration(1_500)).toBe("1.5s");
  expect(formatElapsed(4_400)).toBe("4s");
  expect(formatElapsed(125_000)).toBe("2m05s");
  expect(formatElapsed(3_720_000)).toBe("1h02m");
});
