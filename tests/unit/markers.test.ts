// How objects are recognised across processes: markers, auto-names and a history's item keys. Users'
// objects carry these already, so the derivation must never change: the pinned values below were
// computed by release 0.2.1's code (provider/resources/identity.ts at that release).
import { identityText, markerOf, ownerKey, stableToken, withMarker, withoutMarker } from "../../provider/core/markers";
import { historyPrefix, itemDescription, itemKey, itemName } from "../../provider/resources/history-kinds";
import { autoName, looksAutoNamed, nameSafe } from "../../provider/resources/snapshot";

const snapshot = {
  urn: "urn:pulumi:dev::infra::pulumi-nodejs:dynamic/vpsorg:Snapshot::pre-upgrade",
  org: "acme",
  resourceName: "pre-upgrade",
};
const history = {
  urn: "urn:pulumi:prod::infra::pulumi-nodejs:dynamic/vpsorg:SnapshotHistory::pre-release",
  org: "acme",
  resourceName: "pre-release",
};

test("a resource's marker is derived from its identity and inputs, as release 0.2.1 derived it", () => {
  expect(ownerKey(snapshot, ["snapshot", 12345, "pre-upgrade-x", "before kernel upgrade"])).toBe("chds6d3nsl");
  expect(ownerKey({ resourceName: "b" }, ["backup", 1, null])).toBe("v522slel69");
  expect(ownerKey({ resourceName: "b" }, ["backup", 1, undefined])).toBe("v522slel69"); // undefined is null
  expect(identityText(snapshot)).toBe(`acme/${snapshot.urn}`);
  expect(identityText({ resourceName: "b" })).toBe("name:b");
});

test("markers are ten characters of [a-z0-9], different for different inputs or stacks", () => {
  const key = ownerKey(snapshot, ["snapshot", 12345]);
  expect(key).toMatch(/^[a-z0-9]{10}$/);
  expect(ownerKey(snapshot, ["snapshot", 12346])).not.toBe(key);
  expect(ownerKey({ ...snapshot, urn: snapshot.urn.replace("dev", "prod") }, ["snapshot", 12345])).not.toBe(key);
  expect(ownerKey({ ...snapshot, org: "other" }, ["snapshot", 12345])).not.toBe(key);
  expect(stableToken(["a"], 6)).toBe(stableToken(["a"], 6));
});

test("a description carries the marker at its end, and shows without it", () => {
  expect(withMarker("before deploy", "k3x9q2a7mz")).toBe("before deploy [pulumi:k3x9q2a7mz]");
  expect(withMarker("  padded  ", "k3x9q2a7mz")).toBe("padded [pulumi:k3x9q2a7mz]");
  expect(withMarker(undefined, "k3x9q2a7mz")).toBe("[pulumi:k3x9q2a7mz]");
  expect(markerOf("before deploy [pulumi:k3x9q2a7mz]")).toBe("k3x9q2a7mz");
  expect(markerOf("before deploy [pulumi:short]")).toBeUndefined();
  expect(markerOf("[pulumi:k3x9q2a7mz] then text")).toBeUndefined(); // only at the end
  expect(withoutMarker("before deploy [pulumi:k3x9q2a7mz]")).toBe("before deploy");
  expect(withoutMarker("[pulumi:k3x9q2a7mz]")).toBeNull();
  expect(withoutMarker(null)).toBeNull();
});

test("auto-names: the resource name made valid plus a suffix from identity and inputs, as 0.2.1 made them", () => {
  const name = autoName(snapshot, { serverId: 12345, description: "before kernel upgrade" });
  expect(name).toBe("pre-upgrade-kuttrru");
  expect(autoName(snapshot, { serverId: 12345, description: "other" })).not.toBe(name); // a replacement: a new name
  expect(autoName({ resourceName: "my snap!" }, {})).toMatch(/^my-snap-[a-z0-9]{7}$/);
  expect(autoName({}, {})).toMatch(/^snapshot-[a-z0-9]{7}$/);
  expect(looksAutoNamed(name, "pre-upgrade")).toBe(true);
  expect(looksAutoNamed("pre-upgrade-ab12cd3", "pre-upgrade")).toBe(true); // 0.1 made random suffixes
  expect(looksAutoNamed("hand-named", "pre-upgrade")).toBe(false);
  expect(looksAutoNamed(name, "other")).toBe(false);
  expect(nameSafe("--a  b__c--", 100)).toBe("a-b__c");
  expect(nameSafe("x".repeat(80), 60)).toHaveLength(60);
});

test("a history's item keys: five characters for the history, five for the item, as 0.2.1 made them", () => {
  expect(historyPrefix(history, 12345)).toBe("2ftb1");
  const key = itemKey(history, 12345, "v1.4.0", "v1.3.0");
  expect(key).toBe("2ftb1d4dx8");
  // Rolling forward to a release used before makes a new item: the previous trigger is part of it.
  expect(itemKey(history, 12345, "v1.4.0", "v1.5.0")).not.toBe(key);
  expect(itemKey(history, 12345, "v1.4.0", "v1.5.0").slice(0, 5)).toBe("2ftb1");
  expect(itemName({}, history, "v1.4.0", key)).toBe(`pre-release-v1-4-0-${stableToken([key], 6)}`);
  expect(itemName({ namePrefix: "web" }, history, "release/2025.01", key)).toMatch(/^web-release-2025-01-[a-z0-9]{6}$/);
  expect(itemName({}, history, "x".repeat(500), key).length).toBeLessThanOrEqual(100);
  expect(itemDescription("nightly", "v1.4.0", key)).toBe(`nightly (trigger: v1.4.0) [pulumi:${key}]`);
  expect(itemDescription(undefined, "t".repeat(300), key)).toMatch(/^\(trigger: t{199}…\) \[pulumi:/);
});
