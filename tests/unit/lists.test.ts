// Which way a read lists: the account's pages or one list per server, whichever costs fewer requests.
import { choosePlan } from "../../provider/reads/lists";

test("an unknown account counts as one page: tried as soon as two servers are asked for", () => {
  expect(choosePlan(undefined, [undefined])).toEqual({ scope: "servers", cost: 1 });
  expect(choosePlan(undefined, [undefined, undefined])).toEqual({ scope: "account", cost: 1 });
});

test("learnt costs decide: the fewer requests win", () => {
  expect(choosePlan(4, [1, 1])).toEqual({ scope: "servers", cost: 2 });
  expect(choosePlan(3, [1, 1, 1, 1, 1, 1])).toEqual({ scope: "account", cost: 3 });
  expect(choosePlan(2, [2, 1])).toEqual({ scope: "account", cost: 2 }); // a tie with several servers: one read
});

test("a tie over one server goes to the caller's preference (the servers list prefers its documented pages)", () => {
  expect(choosePlan(1, [1])).toEqual({ scope: "servers", cost: 1 });
  expect(choosePlan(1, [1], "account")).toEqual({ scope: "account", cost: 1 });
  expect(choosePlan(2, [1], "account")).toEqual({ scope: "servers", cost: 1 });
});
