// @vitest-environment jsdom
import { beforeAll, describe, expect, it } from "vitest";
import { batchStatuses, type BatchStatus } from "../../src/state/status.js";
import { renderDashboard, statusMark } from "../../src/render/dashboard.js";
import type { DashboardView } from "../../src/state/dashboardView.js";
import { NASTY_TITLES, batch, bigPlan, nastyPlan, notificationsPlan, plan } from "./planFixture.js";
import { flowchart, ganttTasks, loadMermaid, mermaidBlocks } from "./mermaidParser.js";
import { itemText, listAfter, tree } from "./markdownTree.js";
import { oneLine, truncate } from "../../src/base/markdownText.js";

beforeAll(async () => {
  await loadMermaid();
}, 60_000);

const running: DashboardView = {
  status: "running",
  batches: {
    "1": { status: "accepted", link: "https://github.com/acme/app/pull/12" },
    "2": { status: "accepted" },
    "3": { status: "running", link: "https://github.com/acme/app/actions/runs/99" },
    "4": { status: "redo", note: "Changed frontend/src/index.tsx outside the batch" },
    "5": { status: "blocked" },
    "6": { status: "checking" },
    "7": { status: "skipped" },
  },
  notes: ["Paused by @alice: lunch"],
};

function batchLines(markdown: string): string[] {
  return markdown.split("\n").filter((l) => /^- \[[ x]\] \*\*\d+\.\*\*/u.test(l));
}

describe("renderDashboard: the checklist", () => {
  it("shows one task-list line per batch, in checklist order, with its mark", () => {
    const text = renderDashboard(notificationsPlan(), running);
    expect(batchLines(text)).toEqual([
      "- [x] **1.** Notification model and migration — backend · 20 min · ✅ accepted · [details](https://github.com/acme/app/pull/12)",
      "- [x] **2.** WebSocket server setup — backend · 20 min · needs 1 · ✅ accepted",
      "- [ ] **3.** Notification UI component — frontend · 20 min · 🔄 running · [details](https://github.com/acme/app/actions/runs/99)",
      "- [ ] **4.** Notification sending logic — backend · 25 min · needs 1, 2 · ⚠ redo — Changed frontend/src/index.tsx outside the batch",
      "- [ ] **5.** WebSocket client — frontend · 20 min · needs 2 · ⛔ blocked",
      "- [ ] **6.** Wire notification types into the app — frontend · 20 min · after 4 · 🔄 checking",
      "- [x] **7.** E2E notification flow — tests · 25 min · needs 4, 5 · ⏭ skipped",
      "- [ ] **8.** Document the notifications API — docs · 15 min · needs 7",
    ]);
  });

  it.each(batchStatuses)("marks a %s batch", (status: BatchStatus) => {
    const p = plan([batch("1", { title: "Only" }), batch("2", { title: "Other", domain: "frontend" })]);
    const line = batchLines(renderDashboard(p, { status: "running", batches: { "1": { status } } }))[0] ?? "";
    const expected: Record<BatchStatus, string> = {
      pending: "",
      dispatched: " · 🔄 dispatched",
      running: " · 🔄 running",
      checking: " · 🔄 checking",
      accepted: " · ✅ accepted",
      redo: " · ⚠ redo",
      blocked: " · ⛔ blocked",
      skipped: " · ⏭ skipped",
    };
    const ticked = status === "accepted" || status === "skipped";
    expect(line).toBe(`- [${ticked ? "x" : " "}] **1.** Only — backend · 20 min${expected[status]}`);
    expect(statusMark(status)).toBe(expected[status].replace(" · ", ""));
  });

  it("is a real GitHub task list: ticked items and titles as the author wrote them", () => {
    const p = nastyPlan();
    const view: DashboardView = { status: "running", batches: { [p.batches[0]?.id ?? ""]: { status: "accepted" } } };
    const list = listAfter(tree(renderDashboard(p, view)), "Batches");
    expect(list.children).toHaveLength(NASTY_TITLES.length);
    list.children.forEach((item, i) => {
      expect(item.checked).toBe(i === 0);
      const title = truncate(oneLine(NASTY_TITLES[i] ?? ""), 120).replace(/@/gu, "@\u2060");
      expect(itemText(item).startsWith(`${i + 1}. ${title} — `)).toBe(true);
    });
  });

  it("defaults to a planned coordination with every batch pending", () => {
    const text = renderDashboard(notificationsPlan());
    expect(text).toContain("**Status**: 📝 planned — 8 pending");
    expect(text).toContain("▱▱▱▱▱▱▱▱▱▱ 0/8 batches (0%)");
    expect(batchLines(text).every((l) => l.startsWith("- [ ]") && !/[🔄✅⚠⛔⏭]/u.test(l))).toBe(true);
  });

  it("links only https URLs and keeps a mention from pinging", () => {
    const p = plan([batch("1", { title: "@octocat review" })]);
    const text = renderDashboard(p, {
      status: "running",
      batches: { "1": { status: "running", link: "javascript:alert(1)", note: "ask @hubot" } },
    });
    const line = batchLines(text)[0] ?? "";
    expect(line).not.toContain("](");
    expect(line).not.toContain("javascript");
    expect(line).not.toMatch(/@(?!\u2060)/u);
  });
});

describe("renderDashboard: figures and sections", () => {
  const text = renderDashboard(notificationsPlan(), running);

  it("shows the status, counts and progress bar", () => {
    expect(text.startsWith("## Parallel coordination: Real-time notifications\n")).toBe(true);
    expect(text).toContain(
      "**Status**: ▶️ running — 2 accepted · 1 skipped · 1 running · 1 checking · 1 redo · 1 blocked · 1 pending",
    );
    expect(text).toContain("▰▰▰▰▱▱▱▱▱▱ 3/8 batches (38%)");
  });

  it("shows the schedule against its lower bound and the phase-by-phase order", () => {
    expect(text).toContain(
      "**Schedule**: about **1 h 45 min** with up to 3 agents at once, for 2 h 45 min of work in 8 batches · lower bound 1 h 40 min (5% above it) · phase by phase 2 h 40 min · optimal",
    );
  });

  it("shows the level with the five parts of the score", () => {
    expect(text).toContain(
      "**Level 2** (one feature for 2–4 agents) · score 14/20: scope 4/5, time 3/5, agents 3/4, dependencies 3/3, documentation 1/3",
    );
  });

  it("lists conflict zones with their owner and who waits, and the warnings", () => {
    expect(text).toContain("### Conflict zones");
    expect(text).toContain("| `shared/types/notification.ts` | backend | frontend (batch 6) |");
    expect(text).toContain(
      "### Warnings\n\n- ⚠ Batches 4 and 6 both edit shared/types/notification.ts: backend owns it, frontend waits",
    );
    expect(text).toContain("### Notes\n\n- Paused by @\u2060alice: lunch");
  });

  it("leaves out empty sections", () => {
    const bare = renderDashboard(plan([batch("1"), batch("2", { domain: "frontend" })]));
    expect(bare).not.toContain("### Conflict zones");
    expect(bare).not.toContain("### Warnings");
    expect(bare).not.toContain("### Notes");
  });

  it("caps long lists of warnings and conflict zones", () => {
    const big = renderDashboard(bigPlan(30));
    expect(big).toContain("- … and 10 more warnings");
    expect(big).toContain("… and 5 more conflict zones.");
  });

  it("keeps a `|` in a file name inside its table cell", () => {
    const p = plan([batch("1"), batch("2", { domain: "frontend" })], {
      conflicts: [{ file: "src/a|b.ts", domains: ["backend", "frontend"], owner: "backend", batches: ["1", "2"] }],
    });
    const table = tree(renderDashboard(p)).children.find((n) => n.type === "table");
    expect(table?.type === "table" ? table.children[1]?.children.length : 0).toBe(3);
  });

  it("puts both diagrams in <details> and uses no HTML GitHub strips", () => {
    expect(text.match(/<details>\n<summary>Dependency graph<\/summary>\n\n```mermaid\nflowchart TD/gu)).toHaveLength(1);
    expect(text.match(/<details>\n<summary>Schedule \(Gantt\)<\/summary>\n\n```mermaid\ngantt/gu)).toHaveLength(1);
    const nasty = renderDashboard(nastyPlan());
    const tags = [...nasty.matchAll(/(?<!\\)<\/?([A-Za-z][\w-]*)/gu)].map((m) => m[1]);
    expect(new Set(tags)).toEqual(new Set(["details", "summary"]));
  });

  it("emits diagrams that Mermaid reads, statuses included", async () => {
    const [graph, chart] = mermaidBlocks(text);
    const read = await flowchart(graph ?? "");
    expect(read.nodes.get("b5")?.classes).toEqual(["blocked"]);
    const tasks = await ganttTasks(chart ?? "");
    expect(tasks.find((t) => t.id === "b7")?.tags).toEqual(["done"]);
  });

  it("is deterministic", () => {
    const reordered: DashboardView = {
      ...running,
      batches: Object.fromEntries(Object.entries(running.batches).reverse()),
    };
    expect(renderDashboard(notificationsPlan(), running)).toBe(text);
    expect(renderDashboard(notificationsPlan(), reordered)).toBe(text);
  });
});

describe("renderDashboard: size", () => {
  it("renders a nasty plan whose diagrams Mermaid reads", async () => {
    const blocks = mermaidBlocks(renderDashboard(nastyPlan()));
    expect(blocks).toHaveLength(2);
    expect((await flowchart(blocks[0] ?? "")).nodes.size).toBe(NASTY_TITLES.length);
    expect(await ganttTasks(blocks[1] ?? "")).toHaveLength(NASTY_TITLES.length);
  });

  it("keeps an 8-batch dashboard small, diagrams in full", () => {
    const text = renderDashboard(notificationsPlan(), running);
    expect(text.length).toBeLessThan(5_000);
    expect(text).toContain("(backend, 20m)");
    console.info(`8-batch dashboard: ${text.length} characters`);
  });

  it.each([40, 120])(
    "keeps a 100-batch dashboard (titles of %i characters) well under GitHub's 65,536",
    async (titleLength) => {
      const p = bigPlan(100, titleLength);
      const statuses = Object.fromEntries(
        p.batches
          .slice(0, 40)
          .map((b) => [b.id, { status: "accepted" as const, link: `https://github.com/acme/app/pull/${b.id}` }]),
      );
      const text = renderDashboard(p, { status: "running", batches: statuses, notes: ["A note"] });
      console.info(`100-batch dashboard, titles of ${titleLength}: ${text.length} characters`);
      expect(text.length).toBeLessThan(35_000);
      expect(batchLines(text)).toHaveLength(100);
      for (const block of mermaidBlocks(text)) {
        if (block.startsWith("flowchart")) expect((await flowchart(block)).nodes.size).toBe(100);
        else expect(await ganttTasks(block)).toHaveLength(100);
      }
    },
  );

  it("shortens, then leaves out the diagrams with a note when over budget", () => {
    const p = bigPlan(100, 120);
    const text = renderDashboard(p);
    expect(text).toContain(
      "The dependency graph of 100 batches is left out to keep this comment within GitHub's size limit.",
    );
    const compact = renderDashboard(bigPlan(100, 40));
    expect(compact).toContain("```mermaid\nflowchart TD");
    expect(compact).not.toContain("(backend, 15m)"); // compact labels: number and short title only
    expect(compact.length).toBeLessThanOrEqual(25_000);
    const roomy = renderDashboard(bigPlan(100, 40), undefined, { budget: 65_536 });
    expect(roomy).toContain("(backend, 15m)");
  });

  it("renders an empty plan", () => {
    const text = renderDashboard(plan([]));
    expect(text).toContain("_No batches._");
    expect(text).toContain("0/0 batches (0%)");
  });
});
