import { describe, expect, it } from "vitest";
import {
  CONFLICT_FILES_SHOWN,
  headMovedBlocker,
  mergeConflictBlocker,
  syncConflictBlocker,
} from "../../src/state/blockerReasons.js";
import { batch } from "../render/planFixture.js";

const stopped = {
  batch: batch("api", { domain: "backend" }),
  number: 3,
  branch: "parallel-coordinator/7-backend",
  integration: "parallel-coordinator/7",
};
const owned = (...files: string[]) => files.map((file) => ({ file, owner: "frontend" }));

describe("merge blockers", () => {
  it("a second merge conflict names both sides: the batch's branch and domain, each file with its owner; and what each command does", () => {
    expect(
      mergeConflictBlocker(
        stopped,
        42,
        [{ file: "src/a.ts", owner: "frontend" }, { file: "src/b.ts", owner: "backend" }, { file: "README.md" }],
        true,
      ),
    ).toBe(
      "Merge conflict again, after the batch ran once more on the up-to-date integration branch: #42 from parallel-coordinator/7-backend (batch 3's side: the backend domain) cannot merge into parallel-coordinator/7. " +
        "Files changed on both sides, each with the domain that owns it: `src/a.ts` (the frontend domain's), `src/b.ts` (the backend domain's), `README.md` (no domain's). " +
        "A person who knows both sides resolves it on parallel-coordinator/7-backend, then `/approve 3 <SHA of the resolved head>` merges the pull request at that head; `/retry 3` runs the batch again from the integration branch.",
    );
  });

  it("names the agent of the domain when the breakdown names one", () => {
    const withAgent = { ...stopped, batch: batch("api", { domain: "backend", agent: "fastapi-backend-expert" }) };
    expect(syncConflictBlocker(withAgent, owned("src/a.ts"))).toContain(
      "parallel-coordinator/7-backend (batch 3's side: the backend domain, agent `fastapi-backend-expert`) cannot be brought up to date with parallel-coordinator/7.",
    );
    expect(syncConflictBlocker(withAgent, owned("src/a.ts"))).toContain(
      "resolves it on parallel-coordinator/7-backend (merging parallel-coordinator/7 into it), then `/approve 3 <SHA of the resolved head>`",
    );
  });

  it(`names at most ${CONFLICT_FILES_SHOWN} files and counts the rest; paths are code, whatever they hold`, () => {
    const files = Array.from({ length: 23 }, (_, index) => `src/file_${String(index).padStart(2, "0")}.ts`);
    const text = syncConflictBlocker(stopped, owned(...files));
    expect(text).toContain("`src/file_19.ts` (the frontend domain's) and 3 more.");
    expect(text).not.toContain("src/file_20.ts");
    expect(syncConflictBlocker(stopped, owned(...files.slice(0, CONFLICT_FILES_SHOWN)))).toContain(
      "`src/file_19.ts` (the frontend domain's). A person",
    );
    expect(syncConflictBlocker(stopped, owned("docs/a`b*c.md"))).toContain("``docs/a`b*c.md``");
  });

  it("says when no file could be listed, or none changed differently on both sides", () => {
    expect(mergeConflictBlocker(stopped, 42, undefined, true)).toContain(
      "The files in conflict could not be listed: GitHub would not compare the branches, or the comparison was too large to list.",
    );
    expect(mergeConflictBlocker(stopped, 42, [], true)).toContain(
      "GitHub's comparison shows no file changed differently on both sides.",
    );
  });

  it("new commits after the check-in: not a conflict; what /retry and /approve then do, naming the head GitHub has now", () => {
    const now = "c".repeat(40);
    const text = headMovedBlocker(stopped, 42, now);
    expect(text).toBe(
      `New commits arrived on #42 after its check-in (its head is now \`${now}\`), so it was not merged. ` +
        `\`/retry 3\` runs the batch again on its branch, new commits included, and checks that run in; \`/approve 3 ${now}\` merges the pull request at that head, unchecked.`,
    );
    expect(text).not.toMatch(/conflict/i);
    expect(headMovedBlocker(stopped, 42, undefined)).toContain(
      "`/approve 3 <full commit SHA>` merges the pull request at that head, unchecked.",
    );
  });
});
