// @vitest-environment jsdom
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { dependencyGraph, flowchartLabel, gantt, ganttText, nodeIds } from "../../src/render/mermaid.js";
import { oneLine, truncate } from "../../src/base/markdownText.js";
import { NASTY_IDS, NASTY_TITLES, batch, bigPlan, nastyPlan, notificationsPlan, plan } from "./planFixture.js";
import { flowchart, ganttTasks, loadMermaid, mermaidLoadMs, parse, unfence } from "./mermaidParser.js";

beforeAll(async () => {
  await loadMermaid();
  // Recorded for the report: Mermaid's first import under jsdom.
  console.info(`mermaid loaded in ${Math.round(mermaidLoadMs)} ms`);
}, 60_000);

const GANTT_HEAD = "gantt\n  dateFormat YYYY-MM-DD HH:mm:ss\n  axisFormat %H:%M\n  section backend\n";

describe("the parser check itself", () => {
  it("rejects what Mermaid cannot read", async () => {
    await expect(parse("flowchart TD\n  a[unclosed --> b")).rejects.toThrow();
    await expect(parse("not a diagram at all")).rejects.toThrow();
  });

  it("rejects a raw title with a colon before `#` in a Gantt task line (Mermaid's own parse)", async () => {
    await expect(parse(`${GANTT_HEAD}  Fix:#1 a; b :b1, 2000-01-01 00:00:00, 20m`)).rejects.toThrow(
      /Expecting 'taskData'/,
    );
    await expect(parse(`${GANTT_HEAD}  click me :b1, 2000-01-01 00:00:00, 20m`)).rejects.toThrow();
  });

  it("rejects the raw title `Fix: a; b #1`: Mermaid reads it as two tasks, the first with no date", async () => {
    const raw = `${GANTT_HEAD}  Fix: a; b #1 :b1, 2000-01-01 00:00:00, 20m`;
    // The grammar accepts the line (the colon ends the name, `;` starts another task) …
    await expect(parse(raw)).resolves.toBe("gantt");
    // … but it is not one task called "Fix: a; b #1": reading the tasks fails.
    await expect(ganttTasks(raw)).rejects.toThrow();
  });

  it("reads the same title, cleaned, as one task with the whole title", async () => {
    const clean = `${GANTT_HEAD}  ${ganttText("Fix: a; b #1")} :b1, 2000-01-01 00:00:00, 20m`;
    await expect(parse(clean)).resolves.toBe("gantt");
    const tasks = await ganttTasks(clean);
    expect(tasks).toEqual([
      { name: "Fix: a; b #1", id: "b1", section: "backend", startMinute: 0, endMinute: 20, tags: [] },
    ]);
  });

  it("rejects raw flowchart labels that Mermaid reserves, and reads the cleaned ones", async () => {
    await expect(parse('flowchart TD\n  b1["Say "hi" now"] --> b2["ok"]')).rejects.toThrow();
    // … or silently loses characters: `"Say "hi""` reads as `Say hi`.
    expect((await flowchart('flowchart TD\n  b1["Say "hi""]')).nodes.get("b1")?.label).toBe("Say hi");
    await expect(parse("flowchart TD\n  b1[Brackets [a] (b)] --> b2")).rejects.toThrow();
    await expect(parse("flowchart TD\n  b1[p | q] --> b2")).rejects.toThrow();
    // Unquoted HTML is read as markup, not text.
    expect((await flowchart("flowchart TD\n  b1[a <b> c]")).nodes.get("b1")?.label).toBe("a <b> c</b>");
    const read = await flowchart(`flowchart TD\n  b1["${flowchartLabel('Say "hi" [a] (b) {c} Fix: a; b #1')}"]`);
    expect(read.nodes.get("b1")?.label).toBe('Say "hi" [a] (b) {c} Fix: a; b #1');
  });
});

describe("dependencyGraph", () => {
  it("draws one node per batch, needs solid, added orderings dotted with their reason", async () => {
    const p = notificationsPlan();
    const text = unfence(dependencyGraph(p));
    expect(text.startsWith("flowchart TD\n")).toBe(true);
    expect(await parse(text)).toBe("flowchart-v2");
    const read = await flowchart(text);
    expect([...read.nodes.keys()].sort()).toEqual(["b1", "b2", "b3", "b4", "b5", "b6", "b7", "b8"]);
    expect(read.nodes.get("b1")?.label).toBe("1. Notification model and migration (backend, 20m)");
    expect(read.nodes.get("b4")?.label).toBe("4. Notification sending logic (backend, 25m)");
    const edge = (from: string, to: string) => read.edges.find((e) => e.from === from && e.to === to);
    expect(edge("b1", "b4")).toMatchObject({ stroke: "normal", label: "" });
    expect(edge("b2", "b5")).toMatchObject({ stroke: "normal" });
    expect(edge("b4", "b6")).toMatchObject({ stroke: "dotted", label: "owner first" });
    expect(read.edges).toHaveLength(8);
    expect(read.subgraphs.map((s) => [s.title, [...s.nodes].sort()])).toEqual(
      expect.arrayContaining([
        ["backend", ["b1", "b2", "b4"]],
        ["frontend", ["b3", "b5", "b6"]],
        ["tests", ["b7"]],
        ["docs", ["b8"]],
      ]),
    );
  });

  it("labels a dotted edge `shares file` when batches share a file without an owner rule", async () => {
    const p = plan([
      batch("1", { domain: "backend", files: ["src/index.tsx"] }),
      batch("2", { domain: "backend", files: ["src/index.tsx"], after: ["1"] }),
      batch("3", { domain: "frontend", after: ["2"] }),
    ]);
    const read = await flowchart(unfence(dependencyGraph(p)));
    expect(read.edges).toEqual([
      { from: "b1", to: "b2", label: "shares file", stroke: "dotted" },
      { from: "b2", to: "b3", label: "after", stroke: "dotted" },
    ]);
  });

  it("gives every status its class", async () => {
    const p = notificationsPlan();
    const text = unfence(
      dependencyGraph(p, {
        "1": "accepted",
        "2": "running",
        "3": "blocked",
        "4": "redo",
        "5": "skipped",
        "6": "checking",
        "7": "dispatched",
      }),
    );
    const read = await flowchart(text);
    expect(read.nodes.get("b1")?.classes).toEqual(["accepted"]);
    expect(read.nodes.get("b2")?.classes).toEqual(["running"]);
    expect(read.nodes.get("b3")?.classes).toEqual(["blocked"]);
    expect(read.nodes.get("b4")?.classes).toEqual(["redo"]);
    expect(read.nodes.get("b5")?.classes).toEqual(["skipped"]);
    expect(read.nodes.get("b8")?.classes).toEqual([]);
  });

  it("keeps every reserved character, Cyrillic and long titles readable, and parses", async () => {
    const p = nastyPlan();
    const text = unfence(dependencyGraph(p));
    expect(await parse(text)).toBe("flowchart-v2");
    const read = await flowchart(text);
    const ids = nodeIds(p);
    expect(read.nodes.size).toBe(p.batches.length);
    p.batches.forEach((b, i) => {
      const expected = `${i + 1}. ${truncate(oneLine(b.title), 48)} (${b.domain}, ${b.estimate}m)`;
      expect(read.nodes.get(ids.get(b.id) ?? "")?.label).toBe(expected);
    });
    const cyrillic = p.batches.find((b) => b.title.startsWith("Додати")) ?? batch("none");
    expect(read.nodes.get(ids.get(cyrillic.id) ?? "")?.label).toBe(
      "9. Додати сповіщення: модель; міграція #2 (tests, 20m)",
    );
    // No raw reserved characters inside the labels.
    for (const line of text.split("\n").filter((l) => l.includes('["'))) {
      const label = line.slice(line.indexOf('["') + 2, line.lastIndexOf('"]'));
      expect(label).not.toMatch(/["<>&`%:]|#(?!\w+;)/u);
    }
  });

  it("derives safe, unique node ids from any batch id", () => {
    const p = nastyPlan();
    const ids = nodeIds(p);
    expect(ids.get("1")).toBe("b1");
    expect(ids.get("2.5")).toBe("b2_5");
    expect(ids.get("2_5")).toBe("b2_5_2");
    expect(ids.get("models")).toBe("b_models");
    const all = [...ids.values()];
    expect(new Set(all).size).toBe(p.batches.length);
    expect(NASTY_IDS.every((id) => ids.has(id))).toBe(true);
    for (const id of all) expect(id).toMatch(/^b[A-Za-z0-9_]*$/u);
  });
});

describe("gantt", () => {
  const zones = ["UTC", "Asia/Kolkata", "America/New_York", "Pacific/Chatham"];
  const savedTz = process.env.TZ;
  afterEach(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });

  it("puts every batch at its scheduled minute, one section per domain", async () => {
    const p = notificationsPlan();
    const text = unfence(gantt(p));
    expect(text).toContain("dateFormat YYYY-MM-DD HH:mm:ss");
    expect(text).toContain("axisFormat %H:%M");
    expect(await parse(text)).toBe("gantt");
    const tasks = await ganttTasks(text);
    expect(tasks).toHaveLength(8);
    for (const [i, b] of p.batches.entries()) {
      const task = tasks.find((t) => t.id === `b${b.id}`);
      expect(task).toMatchObject({
        name: `${i + 1}. ${b.title}`,
        section: b.domain,
        startMinute: p.schedule.start[b.id],
        endMinute: (p.schedule.start[b.id] ?? 0) + b.estimate,
      });
    }
    expect([...new Set(tasks.map((t) => t.section))]).toEqual(["backend", "frontend", "tests", "docs"]);
  });

  it.each(zones)("starts at 00:00 on the viewer's clock in %s (dateFormat X would not)", async (zone) => {
    process.env.TZ = zone;
    const p = notificationsPlan();
    const tasks = await ganttTasks(unfence(gantt(p)));
    expect(tasks.find((t) => t.id === "b1")?.startMinute).toBe(0);
    expect(tasks.find((t) => t.id === "b4")?.startMinute).toBe(p.schedule.start["4"]);
    const unix = await ganttTasks("gantt\n  dateFormat X\n  axisFormat %H:%M\n  section a\n  A :a1, 0, 1200s");
    const offset = -new Date(0).getTimezoneOffset();
    expect(unix[0]?.startMinute).toBe(((offset % 1440) + 1440) % 1440);
  });

  it("marks statuses with Gantt tags", async () => {
    const tasks = await ganttTasks(
      unfence(gantt(notificationsPlan(), { "1": "accepted", "2": "running", "3": "blocked", "5": "skipped" })),
    );
    const tags = (id: string) => tasks.find((t) => t.id === id)?.tags;
    expect(tags("b1")).toEqual(["done"]);
    expect(tags("b2")).toEqual(["active"]);
    expect(tags("b3")).toEqual(["crit"]);
    expect(tags("b5")).toEqual(["done"]);
    expect(tags("b8")).toEqual([]);
  });

  it("cleans every reserved character and keeps the titles", async () => {
    const p = nastyPlan();
    const text = unfence(gantt(p));
    expect(await parse(text)).toBe("gantt");
    const tasks = await ganttTasks(text);
    const ids = nodeIds(p);
    expect(tasks).toHaveLength(NASTY_TITLES.length);
    p.batches.forEach((b, i) => {
      const task = tasks.find((t) => t.id === ids.get(b.id));
      expect(task?.name).toBe(`${i + 1}. ${truncate(oneLine(b.title), 48)}`);
      expect(task?.startMinute).toBeCloseTo(p.schedule.start[b.id] ?? -1, 5);
      expect(task?.endMinute).toBeCloseTo((p.schedule.start[b.id] ?? -1) + b.estimate, 5);
    });
    for (const line of text
      .split("\n")
      .slice(4)
      .filter((l) => !l.trimStart().startsWith("section"))) {
      const name = line.slice(0, line.lastIndexOf(" :"));
      expect(name).not.toMatch(/[:%<>&"]|#(?!\w+;)|(?<!#\w+);/u);
    }
  });

  it("keeps fractional minutes and days beyond the first", async () => {
    const long = plan([batch("1", { estimate: 17.5 }), batch("2", { estimate: 20, needs: ["1"] })], {});
    long.schedule.start = { "1": 0, "2": 1500.5 };
    const text = unfence(gantt(long));
    expect(text).toContain("axisFormat day %-d, %H:%M");
    const tasks = await ganttTasks(text);
    expect(tasks.map((t) => [t.startMinute, t.endMinute])).toEqual([
      [0, 17.5],
      [1500.5, 1520.5],
    ]);
  });
});

describe("large plans", () => {
  it("parses 100-batch diagrams, full and compact", async () => {
    const p = bigPlan(100);
    for (const compact of [false, true]) {
      const graph = unfence(dependencyGraph(p, { "1": "accepted" }, { compact }));
      const read = await flowchart(graph);
      expect(read.nodes.size).toBe(100);
      const tasks = await ganttTasks(unfence(gantt(p, {}, { compact })));
      expect(tasks).toHaveLength(100);
    }
  });
});
