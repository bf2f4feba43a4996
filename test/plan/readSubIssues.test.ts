import { describe, expect, it } from "vitest";
import { readSubIssues, type SubIssue } from "../../src/plan/readSubIssues.js";

const sub = (number: number, title: string, body: string, more: Partial<SubIssue> = {}): SubIssue => ({
  number,
  title,
  body,
  labels: [],
  state: "open",
  blockedBy: [],
  author: "maintainer",
  ...more,
});

describe("readSubIssues", () => {
  it("makes each open sub-issue a task: its number the id, its title the title, its body's fields, a domain label, and blocked-by among siblings", () => {
    const source = readSubIssues(
      "Saved searches",
      [
        sub(11, "Model", "Time: 20 min\nFiles: `backend/models.py`\n\n## Acceptance\n- ✅ migration runs", {
          labels: ["domain:backend", "good first issue"],
        }),
        sub(12, "API", "- **Domain:** api\n- **Time:** 15 min\n- **Depends on:** #11", {
          labels: ["domain:backend"],
          blockedBy: [11, 99],
        }),
        sub(13, "Old spike", "Time: 20 min", { state: "closed" }),
        sub(14, "Sidebar", "Agent: react-frontend-architect\nTime: 25 хв\nDepends on: #13", { blockedBy: [12] }),
      ],
      "domain:",
    );
    expect(source.problems).toEqual([]);
    expect(source.title).toBe("Saved searches");
    expect(
      source.tasks.map((task) => [task.id, task.title, task.domain, task.agent, task.estimate, task.files, task.needs]),
    ).toEqual([
      ["11", "Model", "backend", undefined, 20, ["backend/models.py"], []],
      // Its body's Domain wins over its label; #99 is no sibling, so no dependency.
      ["12", "API", "api", undefined, 15, [], ["11"]],
      // #13 is closed: done, so no dependency.
      ["14", "Sidebar", undefined, "react-frontend-architect", 25, [], ["12"]],
    ]);
    expect(source.tasks[0]?.accept).toEqual([{ check: "migration runs" }]);
    expect(source.tasks.every((task) => task.line === undefined)).toBe(true);
  });

  it("reports a problem in a sub-issue's body at its line, naming the sub-issue", () => {
    const source = readSubIssues("F", [sub(21, "Model", "Domain: backend\nTime: soon")], "area/");
    expect(source.problems).toEqual([
      {
        task: "#21",
        line: 2,
        field: "Estimate",
        message: 'expected minutes or hours such as "20 min", "15-20 min", "25 хв" or "1h", got "soon"',
      },
    ]);
  });

  it("reads the domain label by the configured prefix", () => {
    const source = readSubIssues(
      "F",
      [sub(31, "Docs", "Time: 20 min", { labels: ["domain:backend", "area/docs"] })],
      "area/",
    );
    expect(source.tasks[0]?.domain).toBe("docs");
  });
});
