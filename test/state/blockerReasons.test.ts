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

describe("merge blockers", () => {
  it("a merge conflict names the pull request, the files, the owner and what each command does", () => {
    expect(mergeConflictBlocker(stopped, 42, ["src/a.ts"])).toBe(
      "Merge conflict: #42 from parallel-coordinator/7-backend cannot merge into parallel-coordinator/7. Files changed on both sides: `src/a.ts`. " +
        "The owner, the backend domain, resolves it on parallel-coordinator/7-backend, then `/approve 3 <SHA of the resolved head>` merges the pull request at that head, or `/retry 3` runs the batch again.",
    );
  });

  it("names the agent of the domain when the breakdown names one", () => {
    const withAgent = { ...stopped, batch: batch("api", { domain: "backend", agent: "fastapi-backend-expert" }) };
    expect(syncConflictBlocker(withAgent, ["src/a.ts"])).toContain(
      "The owner, the backend domain (agent `fastapi-backend-expert`), resolves it on parallel-coordinator/7-backend (merging parallel-coordinator/7 into it), then `/retry 3`",
    );
  });

  it(`names at most ${CONFLICT_FILES_SHOWN} files and counts the rest; paths are code, whatever they hold`, () => {
    const files = Array.from({ length: 23 }, (_, index) => `src/file_${String(index).padStart(2, "0")}.ts`);
    const text = syncConflictBlocker(stopped, files);
    expect(text).toContain("`src/file_19.ts` and 3 more.");
    expect(text).not.toContain("src/file_20.ts");
    expect(syncConflictBlocker(stopped, files.slice(0, CONFLICT_FILES_SHOWN))).toContain("`src/file_19.ts`. The owner");
    expect(syncConflictBlocker(stopped, ["docs/a`b*c.md"])).toContain("``docs/a`b*c.md``");
  });

  it("says when no file could be listed, or none changed differently on both sides", () => {
    expect(mergeConflictBlocker(stopped, 42, undefined)).toContain(
      "The files in conflict could not be listed: GitHub would not compare the branches, or the comparison was too large to list.",
    );
    expect(mergeConflictBlocker(stopped, 42, [])).toContain(
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
