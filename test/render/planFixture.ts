import type { Batch, Conflict, Plan } from "../../src/plan/planModel.js";

/**
 * Plans built by hand for the renderer tests (the planner is not imported:
 * these tests must not depend on it). `plan()` fills in a simple schedule —
 * each batch starts when its `needs`, its `after` and the previous batch of
 * its domain have finished — unless one is given.
 */

export function batch(id: string, fields: Partial<Batch> = {}): Batch {
  return {
    id,
    title: `Batch ${id}`,
    domain: "backend",
    files: [],
    scope: { allow: [], deny: [] },
    estimate: 20,
    needs: [],
    after: [],
    tasks: [id],
    steps: [],
    accept: [],
    notToDo: [],
    context: [],
    output: [],
    ...fields,
  };
}

export function simpleStarts(batches: Batch[]): Record<string, number> {
  const start: Record<string, number> = {};
  const end = new Map<string, number>();
  const domainFree = new Map<string, number>();
  for (const b of batches) {
    let at = domainFree.get(b.domain) ?? 0;
    for (const dep of [...b.needs, ...b.after]) at = Math.max(at, end.get(dep) ?? 0);
    start[b.id] = at;
    end.set(b.id, at + b.estimate);
    domainFree.set(b.domain, at + b.estimate);
  }
  return start;
}

export function plan(batches: Batch[], fields: Partial<Plan> = {}): Plan {
  const start = simpleStarts(batches);
  const makespan = batches.reduce((m, b) => Math.max(m, (start[b.id] ?? 0) + b.estimate), 0);
  const domains = new Set(batches.map((b) => b.domain)).size;
  return {
    level: { score: 10, level: 2, parts: { scope: 2, time: 2, agents: 2, dependencies: 2, documentation: 2 } },
    batches,
    conflicts: [],
    schedule: {
      agents: Math.min(4, Math.max(2, domains)),
      start,
      makespan,
      lowerBound: makespan,
      phaseMakespan: makespan,
      optimal: true,
    },
    context: [],
    warnings: [],
    ...fields,
  };
}

export const sharedTypes: Conflict = {
  file: "shared/types/notification.ts",
  domains: ["backend", "frontend"],
  owner: "backend",
  batches: ["4", "6"],
};

/** The seed's real-time notifications feature as eight batches over four domains. */
export function notificationsPlan(): Plan {
  const batches: Batch[] = [
    batch("1", {
      title: "Notification model and migration",
      domain: "backend",
      agent: "fastapi-backend-expert",
      files: ["backend/app/models/**", "backend/alembic/**"],
      scope: { allow: ["backend/app/models/**", "backend/alembic/**"], deny: ["frontend/**"] },
      steps: [
        "Add Notification model (user_id FK, message, read status, timestamp)",
        "Add relationship to User model",
        "Create Alembic migration",
      ],
      accept: [{ run: "pytest backend/tests/models" }, { check: "Migration runs without errors" }],
      notToDo: ["Don't implement API endpoints (Batch 4)"],
      output: ["Model schema for frontend agent", "Migration file path"],
      phase: "Phase 1 - Foundation",
    }),
    batch("2", {
      title: "WebSocket server setup",
      domain: "backend",
      files: ["backend/app/websocket.py"],
      scope: { allow: ["backend/app/websocket.py"], deny: [] },
      needs: ["1"],
      phase: "Phase 1 - Foundation",
    }),
    batch("3", {
      title: "Notification UI component",
      domain: "frontend",
      files: ["frontend/src/components/Notifications/**"],
      scope: { allow: ["frontend/src/components/Notifications/**"], deny: ["backend/**"] },
      phase: "Phase 1 - Foundation",
    }),
    batch("4", {
      title: "Notification sending logic",
      domain: "backend",
      estimate: 25,
      files: ["backend/app/services/notify.py", "shared/types/notification.ts"],
      scope: { allow: ["backend/app/services/notify.py", "shared/types/notification.ts"], deny: [] },
      needs: ["1", "2"],
      phase: "Phase 2 - Sending",
      context: ["SYNC POINT: share the WebSocket message contract before Batch 5"],
    }),
    batch("5", {
      title: "WebSocket client",
      domain: "frontend",
      files: ["frontend/src/ws/**"],
      scope: { allow: ["frontend/src/ws/**"], deny: ["backend/**"] },
      needs: ["2"],
      phase: "Phase 2 - Sending",
    }),
    batch("6", {
      title: "Wire notification types into the app",
      domain: "frontend",
      files: ["frontend/src/index.tsx", "shared/types/notification.ts"],
      scope: { allow: ["frontend/src/index.tsx"], deny: ["shared/types/notification.ts"] },
      after: ["4"],
      phase: "Phase 2 - Sending",
    }),
    batch("7", {
      title: "E2E notification flow",
      domain: "tests",
      estimate: 25,
      files: ["e2e/notifications.spec.ts"],
      scope: { allow: ["e2e/**"], deny: [] },
      needs: ["4", "5"],
      accept: [{ run: "npx playwright test e2e/notifications.spec.ts" }],
      phase: "Phase 3 - Testing",
    }),
    batch("8", {
      title: "Document the notifications API",
      domain: "docs",
      estimate: 15,
      files: ["docs/notifications.md"],
      scope: { allow: ["docs/**"], deny: [] },
      needs: ["7"],
      phase: "Phase 3 - Testing",
    }),
  ];
  const start = simpleStarts(batches);
  const makespan = batches.reduce((m, b) => Math.max(m, (start[b.id] ?? 0) + b.estimate), 0);
  return plan(batches, {
    title: "Real-time notifications",
    level: { score: 14, level: 2, parts: { scope: 4, time: 3, agents: 3, dependencies: 3, documentation: 1 } },
    conflicts: [sharedTypes],
    schedule: { agents: 3, start, makespan, lowerBound: 100, phaseMakespan: 160, optimal: true },
    context: [
      "Current auth implementation uses JWT in backend/app/auth.py:42",
      "Using SQLAlchemy ORM with async sessions",
    ],
    warnings: ["Batches 4 and 6 both edit shared/types/notification.ts: backend owns it, frontend waits"],
  });
}

/** Titles that use every character Mermaid's syntax reserves, plus Cyrillic and a long one. */
export const NASTY_TITLES = [
  "Fix: a; b #1",
  "Quote \"this\" and 'that'",
  "Brackets [a] (b) {c} <d> | e",
  "Code `x` and ```fence``` here",
  "HTML <script>alert(1)</script> & <b>bold</b>",
  "Percent 100% and %%{init: {'theme':'dark'}}%% directive",
  "Entity #quot; and #35; and #9829; in text",
  "Keywords end subgraph click style classDef",
  "Додати сповіщення: модель; міграція #2",
  "Line\nbreak\r\nand\ttab",
  "style:#fff; still a title",
  "title x",
  "section y",
  `Very long ${"очень длинное название задачи ".repeat(12)}end`,
  "@octocat mention *star* _under_ ~strike~ \\ back",
];

/** Ids that do not fit Mermaid's node-id syntax as they are. */
export const NASTY_IDS = [
  "1",
  "2.5",
  "2_5",
  "end",
  "o",
  "x-1",
  "models",
  "Пакет",
  "a b",
  "subgraph",
  "class",
  "default",
];

export function nastyPlan(): Plan {
  const domains = ["backend", "frontend", "tests"];
  const batches = NASTY_TITLES.map((title, i) =>
    batch(NASTY_IDS[i] ?? `n${i}`, {
      title,
      domain: domains[i % domains.length] ?? "backend",
      estimate: [20, 15, 25, 17.5][i % 4] ?? 20,
      needs: i > 0 && i % 3 === 0 ? [NASTY_IDS[i - 3] ?? `n${i - 3}`] : [],
      after: i > 1 && i % 4 === 1 ? [NASTY_IDS[i - 1] ?? `n${i - 1}`] : [],
    }),
  );
  return plan(batches, { title: "Nasty: titles; #1 <b>" });
}

/** `n` batches over four domains, each needing the batch four places back. */
export function bigPlan(n: number, titleLength = 40): Plan {
  const domains = ["backend", "frontend", "tests", "docs"];
  const batches = Array.from({ length: n }, (_, i) =>
    batch(String(i + 1), {
      title: `Batch number ${i + 1} ${"x".repeat(titleLength)}`.slice(0, titleLength),
      domain: domains[i % 4] ?? "backend",
      estimate: 15 + (i % 3) * 5,
      needs: i >= 4 ? [String(i - 3)] : [],
      after: i >= 6 && i % 5 === 0 ? [String(i - 5)] : [],
      files: [`src/${domains[i % 4]}/part${i + 1}.ts`],
      scope: { allow: [`src/${domains[i % 4]}/**`], deny: [] },
    }),
  );
  return plan(batches, {
    title: `A plan of ${n} batches`,
    warnings: Array.from({ length: 30 }, (_, i) => `Warning number ${i + 1}: something to look at`),
    conflicts: Array.from({ length: 25 }, (_, i) => ({
      file: `src/shared/file${i}.ts`,
      domains: ["backend", "frontend"],
      owner: "backend",
      batches: [String(4 * i + 1), String(4 * i + 2)],
    })),
  });
}
