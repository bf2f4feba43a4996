import { describe, expect, it } from "vitest";
import { orderSharedFiles } from "../../src/schedule/conflicts.js";
import { scopes } from "../../src/schedule/batchScope.js";
import { configFromObject, defaultConfig, type Config } from "../../src/base/config.js";
import type { DraftBatch } from "../../src/schedule/batching.js";

const batch = (id: string, domain: string, files: string[], needs: string[] = []): DraftBatch => ({
  id,
  title: `Batch ${id}`,
  domain,
  files,
  estimate: 20,
  needs,
  tasks: [id],
  steps: [],
  accept: [],
  notToDo: [],
  context: [],
  output: [],
});

const config = (value: object): Config => {
  const result = configFromObject(value);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.config;
};

describe("orderSharedFiles", () => {
  it("runs batches that edit one file in sequence, whatever the text says, and says so", () => {
    const page = "frontend/src/pages/TopicsPage/index.tsx";
    const batches = [
      batch("4", "frontend", ["frontend/src/features/topics/api/topicService.ts"]),
      batch("5", "frontend", [page], ["4"]),
      batch("6", "frontend", [page], ["4"]),
      batch("7", "frontend", [page], ["4"]),
      batch("8", "frontend", [page], ["5", "6", "7"]),
    ];
    const { after, warnings, conflicts } = orderSharedFiles(batches, defaultConfig);
    expect(conflicts).toEqual([]);
    expect(Object.fromEntries(after)).toEqual({ "6": ["5"], "7": ["6"] });
    expect(warnings).toEqual([
      `${page} is changed by batches 5, 6, 7 and 8: they run in sequence (6 after 5, 7 after 6), whatever the breakdown says about running them in parallel.`,
    ]);
  });

  it("leaves batches with separate files alone", () => {
    const { after, warnings } = orderSharedFiles(
      [batch("1", "backend", ["backend/a.py"]), batch("2", "frontend", ["frontend/b.ts"])],
      defaultConfig,
    );
    expect(after.size).toBe(0);
    expect(warnings).toEqual([]);
  });

  it("makes a file touched by two domains a conflict zone owned by the first in dependency order", () => {
    const batches = [
      batch("1", "frontend", ["shared/types.ts", "frontend/x.ts"], ["2"]),
      batch("2", "backend", ["shared/types.ts"]),
      batch("3", "frontend", ["frontend/y.ts"]),
    ];
    const { conflicts, after, warnings } = orderSharedFiles(batches, defaultConfig);
    expect(conflicts).toEqual([
      { file: "shared/types.ts", domains: ["frontend", "backend"], owner: "backend", batches: ["2", "1"] },
    ]);
    // 1 already waits for 2 through its declared dependency: nothing added.
    expect(after.size).toBe(0);
    expect(warnings[0]).toBe(
      "Conflict zone: shared/types.ts is touched by frontend and backend. Owner: backend (first in dependency order); frontend must not change it.",
    );
  });

  it("honours a configured owner and makes the other domain wait", () => {
    const batches = [batch("1", "backend", ["shared/types.ts"]), batch("2", "frontend", ["shared/types.ts"])];
    const { conflicts, after, warnings } = orderSharedFiles(
      batches,
      config({ domains: { backend: {}, frontend: {} }, owners: { "shared/*.ts": "frontend" } }),
    );
    expect(conflicts[0]!.owner).toBe("frontend");
    expect(Object.fromEntries(after)).toEqual({ "1": ["2"] });
    expect(warnings[0]).toContain(
      "Owner: frontend (configured); backend must not change it, and batch 1 waits for frontend's.",
    );
  });

  it("sees a folder glob and a file inside it as shared", () => {
    const batches = [batch("1", "backend", ["backend/app/models/"]), batch("2", "db", ["backend/app/models/user.py"])];
    const { conflicts, after } = orderSharedFiles(batches, defaultConfig);
    expect(conflicts.map((conflict) => [conflict.file, conflict.owner])).toEqual([
      ["backend/app/models/user.py", "backend"],
    ]);
    expect(Object.fromEntries(after)).toEqual({ "2": ["1"] });
  });

  it("never creates a cycle when two zones have opposite owners", () => {
    const batches = [batch("1", "backend", ["a.ts", "b.ts"]), batch("2", "frontend", ["a.ts", "b.ts"])];
    const { after } = orderSharedFiles(
      batches,
      config({ domains: { backend: {}, frontend: {} }, owners: { "a.ts": "backend", "b.ts": "frontend" } }),
    );
    const edges = [...after].flatMap(([id, waits]) => waits.map((w) => `${id}<${w}`));
    expect(edges).toHaveLength(1);
  });
});

describe("scopes", () => {
  it("allows a batch its files, denies what other domains own, gives conflict zones to their owner", () => {
    const batches = [
      batch("1", "backend", ["backend/app/models/**", "shared/types.ts"]),
      batch("2", "frontend", ["frontend/src/**", "shared/types.ts"], ["1"]),
    ];
    const cfg = config({
      domains: {
        backend: { files: ["backend/**"] },
        frontend: { files: ["frontend/**"] },
        docs: { files: ["docs/**"] },
      },
    });
    const { conflicts } = orderSharedFiles(batches, cfg);
    const scope = scopes(batches, conflicts, cfg).scopes;
    expect(scope.get("1")).toEqual({ allow: ["backend/app/models/**", "shared/types.ts"], deny: ["frontend/**"] });
    expect(scope.get("2")).toEqual({ allow: ["frontend/src/**"], deny: ["backend/**", "shared/types.ts"] });
  });

  it("gives a batch without files its domain's globs, else everything no other domain owns", () => {
    const batches = [batch("1", "backend", []), batch("2", "tests", []), batch("3", "frontend", ["frontend/a.ts"])];
    const cfg = config({ domains: { backend: { files: ["backend/**"] } } });
    const scope = scopes(batches, [], cfg).scopes;
    expect(scope.get("1")).toEqual({ allow: ["backend/**"], deny: ["frontend/a.ts"] });
    expect(scope.get("2")).toEqual({ allow: ["**"], deny: ["backend/**", "frontend/a.ts"] });
  });

  it("does not let another domain's folder glob forbid a file a batch names itself", () => {
    const batches = [batch("1", "backend", ["frontend/src/api/client.ts"]), batch("2", "frontend", [])];
    const cfg = config({ domains: { frontend: { files: ["frontend/**"] } } });
    expect(scopes(batches, [], cfg).scopes.get("1")).toEqual({ allow: ["frontend/src/api/client.ts"], deny: [] });
  });
});
