import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MAX_MARKDOWN_CHARS, readMarkdown } from "../../src/plan/readMarkdown.js";
import { TaskSchema, type Task } from "../../src/plan/task.js";
import type { PlanSource } from "../../src/plan/source.js";

const fixture = (name: string): PlanSource =>
  readMarkdown(readFileSync(new URL(`../fixtures/plans/${name}`, import.meta.url), "utf8"));

const byId = (source: PlanSource, id: string): Task => {
  const task = source.tasks.find((candidate) => candidate.id === id);
  if (task === undefined) throw new Error(`no task ${id}`);
  return task;
};

const checks = (task: Task): string[] => task.accept.map((line) => ("check" in line ? line.check : `run: ${line.run}`));

describe("readMarkdown: Ukrainian bullets with phases and a SYNC POINT", () => {
  const source = fixture("notifications-bullets-uk.md");
  const phase1 = "Фаза 1: Backend (40 хв) - ПОСЛІДОВНО";
  const phase2 = "Фаза 2: Frontend (60 хв) - ЧАСТКОВО ПАРАЛЕЛЬНО";
  const sync =
    "SYNC POINT: Контракт API\n**Передати Frontend Agent:**\n- `GET /api/v1/notifications?skip=0&limit=20` → `NotificationList`\n- Поле `read_at: datetime | null`";

  it("reads the title, the agent count and no problems", () => {
    expect(source.title).toBe("Сповіщення: email та in-app - Розбивка задач");
    expect(source.agents).toBe(3);
    expect(source.problems).toEqual([]);
  });

  it("finds the six batches and nothing else", () => {
    expect(source.tasks.map((task) => [task.id, task.title])).toEqual([
      ["1", "Модель Notification та міграція"],
      ["2", "Сервіс і API сповіщень"],
      ["3", "API-клієнт і хук"],
      ["4", "Дзвіночок у шапці (МОЖЕ БУТИ ПАРАЛЕЛЬНО З БАТЧ 5)"],
      ["5", "Email-шаблон"],
      ["6", "Інтеграція"],
    ]);
    expect(source.tasks.map((task) => task.line)).toEqual([13, 28, 55, 66, 77, 86]);
  });

  it("reads agents, domains, estimates, files and dependencies", () => {
    expect(source.tasks.map((task) => task.agent)).toEqual([
      "fastapi-backend-expert",
      "fastapi-backend-expert",
      "react-frontend-architect",
      "react-frontend-architect",
      "fastapi-backend-expert",
      "react-frontend-architect",
    ]);
    expect(source.tasks.map((task) => task.domain)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      "backend",
      undefined,
    ]);
    expect(source.tasks.map((task) => task.estimate)).toEqual([20, 20, 15, 25, 30, 20]);
    expect(source.tasks.map((task) => task.files)).toEqual([
      ["backend/app/models/notification.py", "backend/alembic/versions/"],
      ["backend/app/services/notifications.py", "backend/app/api/v1/notifications.py"],
      ["frontend/src/features/notifications/api.ts"],
      ["frontend/src/components/Header/index.tsx"],
      ["backend/app/templates/email/comment.html"],
      ["frontend/src/components/Header/index.tsx"],
    ]);
    expect(source.tasks.map((task) => task.needs)).toEqual([[], ["1"], ["2"], ["3"], ["2"], ["4", "5"]]);
  });

  it("keeps steps with their nested items and code spans", () => {
    expect(byId(source, "1").steps).toEqual([
      "Створити модель `Notification` (user_id, kind, payload, read_at)",
      "Додати індекс на `(user_id, read_at)`",
      "Згенерувати міграцію:\n  - `alembic revision --autogenerate`\n  - перевірити downgrade",
    ]);
    expect(byId(source, "2").steps).toEqual([
      "`GET /api/v1/notifications` з пагінацією",
      "`POST /api/v1/notifications/{id}/read`",
    ]);
  });

  it("reads acceptance lines as checks without their ✅, and what not to do", () => {
    expect(source.tasks.map(checks)).toEqual([
      ["`alembic upgrade head` проходить", "Модель імпортується без помилок"],
      ["`pytest backend/tests/api/test_notifications.py` проходить"],
      ["TypeScript компілюється без помилок"],
      ["Лічильник оновлюється після прочитання"],
      [],
      ["Немає дублікатів toast"],
    ]);
    expect(source.tasks.map((task) => task.notToDo)).toEqual([[], ["Не чіпати frontend"], [], [], [], []]);
    expect(source.tasks.every((task) => task.output.length === 0)).toBe(true);
  });

  it("sets phases, hands phase prose to the phase's tasks and the SYNC POINT to every later task", () => {
    expect(source.tasks.map((task) => task.phase)).toEqual([phase1, phase1, phase2, phase2, phase2, phase2]);
    const prose = `${phase1}\nСпершу модель, потім API. Міграції тільки через Alembic.`;
    expect(byId(source, "1").around).toEqual([prose]);
    expect(byId(source, "2").around).toEqual([prose]);
    for (const id of ["3", "4", "5", "6"]) expect(byId(source, id).around).toEqual([sync]);
  });

  it("keeps the feature's text as every brief's context, and sections after the tasks as notes no brief carries", () => {
    expect(source.context).toEqual([
      "Сповіщення: email та in-app - Розбивка задач\n**Feature:** Додати сповіщення про нові коментарі (email + in-app)\n**Agents:** 3\n**Total Estimate:** 2-3 години",
    ]);
    expect(source.notes).toEqual([
      "Фаза 3: Перевірка (15 хв)\nРучне тестування\n- Створити 30 коментарів через seed\n- Перевірити лист у MailHog",
      "Матриця паралелізації\n| Батч | 4 | 5 |\n| --- | --- | --- |\n| 4 | - | ✓ |\n| 5 | ✓ | - |",
      "Критерії успіху\n✅ Сповіщення приходять за <2с\n✅ Email містить посилання",
    ]);
  });

  it("gives tasks the shared schema accepts", () => {
    for (const task of source.tasks) expect(TaskSchema.parse(task)).toEqual(task);
  });
});

describe("readMarkdown: bold-colon paragraphs (sequential pipeline)", () => {
  const source = fixture("oauth-pipeline-bold.md");

  it("finds four batches with their agents, estimates and dependencies", () => {
    expect(source.title).toBe("Feature 2: GitHub OAuth Login");
    expect(source.agents).toBeUndefined();
    expect(source.problems).toEqual([]);
    expect(source.tasks.map((task) => [task.id, task.title])).toEqual([
      ["1", "OAuth Flow Research"],
      ["2", "Callback Endpoint"],
      ["3", "Login Button"],
      ["4", "End-to-End Tests"],
    ]);
    expect(source.tasks.map((task) => task.agent)).toEqual([
      "security-auditor",
      "fastapi-backend-expert",
      "react-frontend-architect",
      "pytest-test-master",
    ]);
    expect(source.tasks.map((task) => task.estimate)).toEqual([15, 25, 15, 30]);
    expect(source.tasks.map((task) => task.needs)).toEqual([[], ["1"], ["2"], ["2", "3"]]);
    expect(source.tasks.map((task) => task.domain)).toEqual([undefined, undefined, undefined, undefined]);
    expect(source.tasks.map((task) => task.phase)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it("reads inline and listed files", () => {
    expect(source.tasks.map((task) => task.files)).toEqual([
      [],
      ["backend/app/api/v1/auth.py", "backend/app/auth/github.py"],
      ["frontend/src/pages/Login/index.tsx", "frontend/src/features/auth/github.ts"],
      [],
    ]);
  });

  it("reads numbered scope items as steps", () => {
    expect(byId(source, "2").steps).toEqual([
      "Add `GET /auth/github/callback`",
      "Exchange the code for a token with `httpx`",
    ]);
    expect(byId(source, "3").steps).toEqual([
      'Add a "Sign in with GitHub" button',
      "Handle the `error` query parameter",
    ]);
  });

  it("reads ✅ lines in one paragraph and in a list as checks (commands stay checks)", () => {
    expect(source.tasks.map(checks)).toEqual([
      [],
      ["`pytest backend/tests/auth` passes", "State parameter is verified"],
      [],
      ["`pytest backend/tests/e2e/test_github_login.py` passes", "No real network calls"],
    ]);
  });

  it("reads What NOT to do / Don't and Output / Returns", () => {
    expect(source.tasks.map((task) => task.notToDo)).toEqual([
      ["Don't write code yet", "Don't register the OAuth app (Batch 2)"],
      ["Don't touch the frontend"],
      ["Don't change the password form"],
      [],
    ]);
    expect(source.tasks.map((task) => task.output)).toEqual([
      ["Callback contract (params, errors)", "Session integration point (file:line)"],
      ["Endpoint path and response shape"],
      ["Screenshot path"],
      ["Test file path"],
    ]);
  });

  it("keeps context, labelled context and the other suggested agent", () => {
    expect(byId(source, "1").context).toEqual([
      "Session code: `backend/app/auth/session.py`",
      "Nothing is deployed yet",
    ]);
    expect(byId(source, "2").context).toEqual([
      "Also suggested: security-auditor",
      "Context from Batch 1: {Will receive: callback contract}",
    ]);
  });

  it("keeps Goal (before the tasks) as plan context, Notes (after them) as notes, and ignores Status", () => {
    expect(source.context).toEqual([
      "Feature 2: GitHub OAuth Login\n**Priority**: P1\n**Status**: 📝 Planned",
      "Goal\nLet users sign in with GitHub instead of a password:\n- OAuth callback at `/auth/github/callback`\n- Session cookie shared with the existing login",
    ]);
    expect(source.notes).toEqual(["Notes\n- Sequential pipeline: each batch needs the previous one's output"]);
    expect(source.tasks.flatMap((task) => task.context).some((text) => text.includes("Pending"))).toBe(false);
  });
});

describe("readMarkdown: `### N.` headings with domains and hours", () => {
  const source = fixture("docs-numbered-hours.md");

  it("finds the four numbered tasks", () => {
    expect(source.title).toBe("Feature 3: CLI Reference Docs");
    expect(source.problems).toEqual([]);
    expect(source.tasks.map((task) => [task.id, task.title, task.line])).toEqual([
      ["1", "Generate Command Reference", 9],
      ["2", "Document Configuration File", 24],
      ["3", "Fix Broken Examples", 39],
      ["4", "Link Docs From Help Output", 54],
    ]);
  });

  it("reads domains verbatim, hours as minutes, files and dependencies", () => {
    expect(source.tasks.map((task) => task.domain)).toEqual(["Documentation", "Documentation", "Documentation", "CLI"]);
    expect(source.tasks.map((task) => task.agent)).toEqual([undefined, undefined, undefined, undefined]);
    expect(source.tasks.map((task) => task.estimate)).toEqual([90, 120, 45, 60]);
    expect(source.tasks.map((task) => task.files)).toEqual([
      ["docs/cli/reference.md", "scripts/gen-cli-docs.ts"],
      ["docs/cli/config.md"],
      ["docs/cli/examples.md"],
      ["src/cli/help.ts"],
    ]);
    expect(source.tasks.map((task) => task.needs)).toEqual([[], [], ["1"], ["1", "3"]]);
  });

  it("reads Changes, Add and Fix as steps (verbs kept) and one-line acceptance", () => {
    expect(source.tasks.map((task) => task.steps)).toEqual([
      ["Generate the reference from `--help` output", "Add a check that fails when the docs drift"],
      ["Add: All keys of `.clirc` with their defaults", "Add: An annotated example"],
      ["Fix: `init` example (wrong flag `--name`)", "Fix: `deploy` example (missing `--env`)"],
      ["Print the docs URL under every command's help"],
    ]);
    expect(source.tasks.map(checks)).toEqual([
      ["Every command has a section with its flags"],
      ["`npm run docs:check` passes"],
      ["All examples run against the current CLI"],
      ["`cli help deploy` shows the docs link"],
    ]);
    expect(
      source.tasks.every((task) => task.notToDo.length === 0 && task.output.length === 0 && task.context.length === 0),
    ).toBe(true);
  });

  it("keeps Goal as context, Execution Order and Total Estimate after the tasks as notes (bold phases are no phase headings)", () => {
    expect(source.tasks.every((task) => task.phase === undefined)).toBe(true);
    expect(source.context).toEqual([
      "Feature 3: CLI Reference Docs",
      "Goal\nDocument every CLI command (currently 3 of 11 are documented).",
    ]);
    expect(source.notes).toEqual([
      "Execution Order\n**Phase 1: Reference (Sequential)**\n- Task 1, then Task 3",
      "Total Estimate\n5-6 hours",
    ]);
  });
});

describe("readMarkdown: mixed and edge cases", () => {
  const source = fixture("edge-cases.md");

  it("reads Task N, Batch 2.5, Завдання N. and unnumbered headings with fields", () => {
    expect(source.title).toBe("Edge Cases: Mixed Breakdown");
    expect(source.agents).toBe(2);
    expect(source.tasks.map((task) => [task.id, task.title, task.line])).toEqual([
      ["1", "Parse Settings", 5],
      ["2", "Cache Layer", 20],
      ["2.5", "Cache Metrics", 26],
      ["models", "Models", 36],
      ["api-routes", "API Routes", 41],
      ["3", "Перевірка", 46],
      ["4", "Rate Limits", 55],
    ]);
  });

  it("reports the unparseable estimate with its task, line and field, and leaves it undefined", () => {
    expect(source.problems).toEqual([
      {
        task: "2",
        line: 22,
        field: "Estimate",
        message: 'expected minutes or hours such as "20 min", "15-20 min", "25 хв" or "1h", got "soon"',
      },
    ]);
    expect(byId(source, "2").estimate).toBeUndefined();
  });

  it("reads every estimate form", () => {
    expect(source.tasks.map((task) => task.estimate)).toEqual([90, undefined, 90, 20, 120, 60, 30]);
  });

  it("reads dependencies: Немає, none, Task N, #N & …, ids and titles of unnumbered tasks", () => {
    expect(source.tasks.map((task) => task.needs)).toEqual([
      [],
      ["1"],
      ["2", "1"],
      [],
      ["models", "1"],
      ["2.5", "api-routes"],
      ["api-routes"],
    ]);
  });

  it("reads bold labels with the value inside the bold, plain file paths and globs", () => {
    const settings = byId(source, "1");
    expect(settings.agent).toBe("fastapi-backend-expert");
    expect(settings.files).toEqual(["backend/app/settings.py", "backend/app/config/*.yaml"]);
    expect(byId(source, "models").domain).toBe("backend");
    expect(byId(source, "3").agent).toBe("pytest-test-master");
  });

  it("reads sub-headings inside a task as fields, and task-list items as checks", () => {
    const settings = byId(source, "1");
    expect(checks(settings)).toEqual(["Env overrides the file", "`pytest backend/tests/test_settings.py` passes"]);
    expect(settings.context).toEqual([
      "Settings come from env first, then files.",
      "Notes: Keep the old names working for one release.",
    ]);
  });

  it("keeps nested steps under their parent", () => {
    expect(byId(source, "2.5").steps).toEqual([
      "Count hits and misses",
      "Export them:\n  - as Prometheus counters\n    - `cache_hits_total`",
    ]);
  });

  it("keeps a phase at the tasks' own level, drops Priority, keeps unknown fields as context", () => {
    const limits = byId(source, "4");
    expect(limits.phase).toBe("Phase 2: Hardening");
    expect(limits.around).toEqual(["Phase 2: Hardening\nEverything here runs after the routes exist."]);
    expect(limits.context).toEqual(["Risk: the limiter must not block health checks"]);
    expect(source.tasks.filter((task) => task.phase !== undefined).map((task) => task.id)).toEqual(["4"]);
  });

  it("ends a task at a thematic break followed by a heading, even a deeper one", () => {
    expect(source.context).toEqual(["Edge Cases: Mixed Breakdown\n**Agents:** 2"]);
    expect(source.notes).toEqual([
      "Rollout Notes\nEnable the limiter behind a flag first.",
      "Manual Checklist\n- Try it on staging\n- Ask QA to run the smoke suite",
    ]);
  });
});

describe("readMarkdown: field forms", () => {
  it("reads every estimate form and reports the ones it cannot read", () => {
    const estimates = [
      "20 min",
      "15-20 min",
      "25-30 min",
      "25 хв",
      "15–20 хвилин",
      "1h",
      "1.5 hours",
      "2 hours",
      "1 год",
      "1 година",
      "2 години",
      "1h 30m",
      "90m",
      "45",
    ];
    const text = estimates.map((value, index) => `### ${index + 1}. T\n**Estimate:** ${value}\n`).join("\n");
    const source = readMarkdown(text);
    expect(source.tasks.map((task) => task.estimate)).toEqual([
      20, 20, 30, 25, 20, 60, 90, 120, 60, 60, 120, 90, 90, 45,
    ]);
    expect(source.problems).toEqual([]);
  });

  it("leaves a missing estimate undefined without a problem", () => {
    const source = readMarkdown("### 1. No time\n**Agent:** a\n");
    expect(source.tasks[0]?.estimate).toBeUndefined();
    expect(source.problems).toEqual([]);
  });

  it("reads dependency forms", () => {
    const values = [
      "Batch 1, 2",
      "1, 3",
      "Batch 2 (API contract)",
      "Batch 1 (root cause), Batch 2 (indexes ready)",
      "Batch 5, 6, 7",
      "None",
      "none",
      "Немає",
      "-",
      "—",
      "N/A",
      "Task 3",
      "#3",
      "1 and 2",
      "1 & 2",
      "1 і 2",
      "1 та 2",
      "models, api",
      "Батч 2",
    ];
    const text = values.map((value, index) => `### Task ${index + 1}: T\n- **Dependencies:** ${value}\n`).join("\n");
    expect(readMarkdown(text).tasks.map((task) => task.needs)).toEqual([
      ["1", "2"],
      ["1", "3"],
      ["2"],
      ["1", "2"],
      ["5", "6", "7"],
      [],
      [],
      [],
      [],
      [],
      [],
      ["3"],
      ["3"],
      ["1", "2"],
      ["1", "2"],
      ["1", "2"],
      ["1", "2"],
      ["models", "api"],
      ["2"],
    ]);
  });

  it("reads field labels in either colon place, any case, English and Ukrainian", () => {
    const source = readMarkdown(
      [
        "### Batch 1: A",
        "**AGENT**: x",
        "**Domain:** Back End",
        "**effort** : 20 min",
        "**Depends On:** none",
        "",
        "### Батч 2: Б",
        "- **Агент:** y",
        "- **Домен:** frontend",
        "- **Тривалість:** 25 хв",
        "- **Залежить від:** Батч 1",
        "- **Задачі:**",
        "  - зробити `x`",
        "- **Приймання:**",
        "  - ✅ працює",
        "- **Не робити:** чіпати backend",
        "- **Контекст:** API вже є",
        "- **Результат:** шлях до файлу",
        "- **Статус:** готово",
      ].join("\n"),
    );
    expect(source.tasks).toEqual([
      {
        id: "1",
        title: "A",
        agent: "x",
        domain: "Back End",
        estimate: 20,
        files: [],
        needs: [],
        steps: [],
        accept: [],
        notToDo: [],
        context: [],
        output: [],
        line: 1,
        fieldLines: { estimate: 4, needs: 5 },
      },
      {
        id: "2",
        title: "Б",
        agent: "y",
        domain: "frontend",
        estimate: 25,
        files: [],
        needs: ["1"],
        steps: ["зробити `x`"],
        accept: [{ check: "працює" }],
        notToDo: ["чіпати backend"],
        context: ["API вже є"],
        output: ["шлях до файлу"],
        line: 7,
        fieldLines: { estimate: 10, needs: 11 },
      },
    ]);
  });

  it("takes the first of several agents and keeps the rest as context", () => {
    const source = readMarkdown(
      "### 1. A\n**Agent**: vector-search-engineer + fastapi-backend-expert (parallel-coordinator decides)\n",
    );
    expect(source.tasks[0]?.agent).toBe("vector-search-engineer");
    expect(source.tasks[0]?.context).toEqual(["Also suggested: fastapi-backend-expert"]);
  });

  it("keeps files as written, from code spans or plain paths", () => {
    const source = readMarkdown(
      "### 1. A\n**Files:**\n- `./src/a.ts` (new)\n- src/b.ts — the second\n- `src/c/**`, `src/d.ts`\n- None\n**Estimate:** 20\n",
    );
    expect(source.tasks[0]?.files).toEqual(["./src/a.ts", "src/b.ts", "src/c/**", "src/d.ts"]);
  });

  it("does not read Phase headings as tasks, even when numbered", () => {
    const source = readMarkdown(
      "## Phase 1: Setup\n\n### 1. A\n**Time:** 20 min\n\n## Фаза 2\n\n### 2. B\n**Time:** 20 min\n",
    );
    expect(source.tasks.map((task) => [task.id, task.phase])).toEqual([
      ["1", "Phase 1: Setup"],
      ["2", "Фаза 2"],
    ]);
  });

  it("does not read a heading without number or fields as a task", () => {
    const source = readMarkdown(
      "## Batch list\n- one\n\n### Success Criteria\n✅ works\n\n### 1. Real\n**Time:** 20 min\n",
    );
    expect(source.tasks.map((task) => task.id)).toEqual(["1"]);
    expect(source.context).toEqual([]);
    // The section the task sits under, with what it says before the task, is that task's context.
    expect(source.tasks[0]?.around).toEqual(["Batch list\n- one\n\nSuccess Criteria\n✅ works"]);
  });

  it("gives slugs to unnumbered tasks, transliterating Cyrillic and keeping them unique", () => {
    const source = readMarkdown(
      "## Налаштування кешу\n**Час:** 20 хв\n\n## Налаштування кешу\n**Час:** 20 хв\n\n## !!!\n**Agent:** a\n",
    );
    expect(source.tasks.map((task) => task.id)).toEqual(["nalashtuvannya-keshu", "nalashtuvannya-keshu-2", "task-7"]);
  });

  it("reports an Agents value that is no number", () => {
    const source = readMarkdown("# Plan\n\n**Agents:** many\n\n### 1. A\n**Time:** 20 min\n");
    expect(source.agents).toBeUndefined();
    expect(source.problems).toEqual([
      { line: 3, field: "Agents", message: 'expected a number of agents such as "3", got "many"' },
    ]);
  });

  it("reads a document that is one task under its title", () => {
    const source = readMarkdown(
      "# Fix login redirect\n**Agent:** a\n**Estimate:** 20 min\n\n## Notes\nOnly the callback.\n",
    );
    expect(source.title).toBe("Fix login redirect");
    expect(source.tasks.map((task) => [task.id, task.title, task.estimate, task.context])).toEqual([
      ["fix-login-redirect", "Fix login redirect", 20, ["Notes: Only the callback."]],
    ]);
  });

  it("reads a numbered sub-heading inside a task as part of it, a prefixed one as a new task", () => {
    const source = readMarkdown(
      "## Task-1: Outer\n**Time:** 20 min\n\n### 1. Create the model\nWith an index.\n\n### Batch 2: Inner\n**Time:** 15 min\n",
    );
    expect(source.tasks.map((task) => [task.id, task.title, task.context])).toEqual([
      ["1", "Outer", ["1. Create the model: With an index."]],
      ["2", "Inner", []],
    ]);
  });

  it("keeps a SYNC POINT after the last task as a note, no brief's context", () => {
    const source = readMarkdown("### 1. A\n**Time:** 20 min\n\n## SYNC POINT: Done\nShare the report.\n");
    expect(source.tasks[0]?.context).toEqual([]);
    expect(source.context).toEqual([]);
    expect(source.notes).toEqual(["SYNC POINT: Done\nShare the report."]);
  });
});

describe("readMarkdown: bad input", () => {
  it("refuses a zero or negative estimate at its field's line, never reading -5 as 5", () => {
    const source = readMarkdown(
      "### 1. A\n**Domain:** api\n**Time:** -5 min\n\n### 2. B\n**Domain:** api\n**Time:** 0 min\n",
    );
    expect(source.tasks.map((task) => task.estimate)).toEqual([undefined, undefined]);
    expect(source.problems).toEqual([
      {
        task: "1",
        line: 3,
        field: "Estimate",
        message: '"-5 min" is a negative time: give the minutes or hours the task takes, more than zero',
      },
      {
        task: "2",
        line: 7,
        field: "Estimate",
        message: '"0 min" is no time at all: give the minutes or hours the task takes, more than zero',
      },
    ]);
  });

  const empty: PlanSource = { tasks: [], context: [], problems: [] };

  it("reads an empty document as no tasks and no problems (the validator reports the empty plan)", () => {
    expect(readMarkdown("")).toEqual(empty);
    expect(readMarkdown("   \n\n\t\n")).toEqual(empty);
  });

  it("reads a document without task headings as context only", () => {
    const source = readMarkdown("# Ideas\n\nSome thoughts.\n\n## Later\n- a\n- b\n");
    expect(source).toEqual({
      title: "Ideas",
      tasks: [],
      context: ["Ideas\nSome thoughts.", "Later\n- a\n- b"],
      problems: [],
    });
  });

  it("survives binary garbage", () => {
    let seed = 7;
    const bytes = Array.from({ length: 20_000 }, () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return String.fromCharCode(seed % 256);
    }).join("");
    const source = readMarkdown(bytes);
    expect(Array.isArray(source.tasks)).toBe(true);
    expect(Array.isArray(source.problems)).toBe(true);
    expect(readMarkdown("\u0000\uFFFD\uD800###\u0000 1.\n**\n- **Time:**\n")).toBeDefined();
  });

  it("survives input that is not a string", () => {
    expect(readMarkdown(undefined as unknown as string)).toEqual(empty);
    expect(readMarkdown(42 as unknown as string)).toEqual(empty);
  });

  it("refuses a document over the size limit with one problem", () => {
    const big = "### 1. Task\n- **Time:** 20 min\n\n".repeat(Math.ceil(1_048_576 / 33));
    const source = readMarkdown(big);
    expect(big.length).toBeGreaterThan(MAX_MARKDOWN_CHARS);
    expect(source.tasks).toEqual([]);
    expect(source.problems).toHaveLength(1);
    expect(source.problems[0]?.message).toMatch(/characters long; at most 131072 are read/);
  });

  it("reads deeply nested lists and quotes without overflowing or hanging (the test's time limit bounds it)", () => {
    let nested = "### 1. Deep\n- **Tasks:**\n";
    for (let level = 1; level <= 300; level++) nested += `${"  ".repeat(level)}- level ${level}\n`;
    const source = readMarkdown(nested);
    expect(source.tasks).toHaveLength(1);
    expect(source.tasks[0]?.steps.join("\n")).toContain("level 1");
    expect(readMarkdown(`${">".repeat(50_000)} x\n`).tasks).toEqual([]);
    expect(readMarkdown(`${"- ".repeat(30_000)}x\n`).tasks).toEqual([]);
    expect(readMarkdown(`${"*".repeat(30_000)}x${"*".repeat(30_000)}`).tasks).toEqual([]);
  });

  it("reads a breakdown as long as a GitHub issue body allows", () => {
    const one = (n: number) =>
      `### Batch ${n}: Task ${n}\n- **Agent:** a\n- **Time:** 20 min\n- **Files:** \`src/f${n}.ts\`\n- **Tasks:**\n  - do \`x\`\n\n`;
    let text = "";
    for (let n = 1; text.length < 60_000; n++) text += one(n);
    const source = readMarkdown(text);
    expect(source.problems).toEqual([]);
    expect(source.tasks.length).toBeGreaterThan(500);
    expect(source.tasks.every((task) => task.estimate === 20)).toBe(true);
  });
});

describe("readMarkdown: plain fields, on lines and in lists", () => {
  const source = fixture("plain-fields.md");

  it("reads every task, numbered or not, and no problems", () => {
    expect(source.problems).toEqual([]);
    expect(source.tasks.map((task) => [task.id, task.title, task.domain, task.estimate])).toEqual([
      ["1", "Saved search model", "backend", 20],
      ["2", "Saved search endpoints", "backend", 90],
      ["sidebar-list", "Sidebar list", "frontend", 20],
      ["bichna-panel-vydalennya", "Бічна панель: видалення", "frontend", 20],
    ]);
  });

  it("reads files, dependencies, steps, acceptance and what not to do as the bold form does", () => {
    expect(source.tasks.map((task) => task.files)).toEqual([
      ["backend/app/models/saved_search.py", "backend/alembic/versions/"],
      ["backend/app/api/saved_searches.py"],
      ["frontend/src/components/SavedSearches.tsx"],
      ["frontend/src/components/SavedSearches.tsx"],
    ]);
    expect(source.tasks.map((task) => task.needs)).toEqual([[], ["1"], ["2"], ["sidebar-list"]]);
    expect(byId(source, "1").steps).toEqual([
      "Add the SavedSearch model (user_id, query, created_at)",
      "Create the migration",
    ]);
    expect(checks(byId(source, "1"))).toEqual(["`alembic upgrade head` runs"]);
    expect(byId(source, "2").steps).toHaveLength(3);
    expect(byId(source, "2").notToDo).toEqual(["Don't touch the sidebar (task 3)"]);
    expect(byId(source, "bichna-panel-vydalennya").steps).toEqual(["Кнопка видалення з підтвердженням"]);
  });

  it("knows each field's line, so that a problem is reported there", () => {
    expect(source.tasks.map((task) => task.fieldLines?.estimate)).toEqual([9, 20, 34, 40]);
  });

  it("keeps a plain line that names no field as prose: `Note:` is no label", () => {
    expect(source.notes).toContain("Notes\nNote: the old bookmarks stay as they are.");
  });

  it("reads a numbered heading's plain Domain and Time lines instead of missing its estimate", () => {
    const plain = readMarkdown(
      "### 1. Model\nDomain: backend\nTime: 20 min\n\n### 2. API\nDomain: backend\nTime: 15 min\nDepends on: 1\n",
    );
    expect(plain.problems).toEqual([]);
    expect(plain.tasks.map((task) => [task.id, task.domain, task.estimate, task.needs])).toEqual([
      ["1", "backend", 20, []],
      ["2", "backend", 15, ["1"]],
    ]);
  });
});

describe("readMarkdown: tables of tasks, one row a task", () => {
  const source = fixture("table-tasks.md");

  it("reads each row under any heading as a task, in English and Ukrainian, and skips the total row", () => {
    expect(source.problems).toEqual([]);
    expect(
      source.tasks.map((task) => [task.id, task.title, task.domain, task.agent, task.estimate, task.line]),
    ).toEqual([
      ["1", "Export job model", "backend", undefined, 20, 9],
      ["2", "Export endpoints", "backend", undefined, 20, 10],
      ["3", "CSV writer", "backend", undefined, 25, 11],
      ["knopka-eksportu", "Кнопка експорту", undefined, "react-frontend-architect", 20, 18],
      ["5", "Progress toast", undefined, "react-frontend-architect", 25, 19],
    ]);
  });

  it("reads files (several in a cell, split by <br>) and dependencies by id or by title", () => {
    expect(source.tasks.map((task) => task.files)).toEqual([
      ["backend/app/models/export.py"],
      ["backend/app/api/exports.py", "backend/app/services/export.py"],
      ["backend/app/services/csv.py"],
      ["frontend/src/ExportButton.tsx"],
      ["frontend/src/ExportToast.tsx"],
    ]);
    expect(source.tasks.map((task) => task.needs)).toEqual([[], ["1"], ["1"], ["2"], ["knopka-eksportu"]]);
  });

  it("keeps a table that is no list of tasks (a parallelization matrix) as text", () => {
    expect(source.context).toEqual(["Export reports\nUsers download a report as CSV or PDF."]);
    expect(source.notes).toEqual([
      "Parallelization Matrix\n| Batch | 1 | 2 |\n| --- | --- | --- |\n| 1 | - | ✓ |\n| 2 | ✓ | - |",
    ]);
  });

  it("reads a table with files or dependencies but no time as tasks, so that each missing estimate is reported", () => {
    const table = readMarkdown(
      "## Work\n\n| Task | Files | Depends on |\n| --- | --- | --- |\n| Model | `a.py` | none |\n| API | `b.py` | Model |\n",
    );
    expect(table.tasks.map((task) => [task.id, task.files, task.needs, task.estimate])).toEqual([
      ["model", ["a.py"], [], undefined],
      ["api", ["b.py"], ["model"], undefined],
    ]);
  });

  it("reports a row with fields but no title, an unreadable time at its row, and a table of tasks inside a task", () => {
    const bad = readMarkdown(
      "| # | Task | Time |\n| --- | --- | --- |\n| 1 | Model | 20 min |\n| 2 |  | 15 min |\n| 3 | API | soon |\n\n### 4. Outer\n**Time:** 20 min\n\n| Task | Time |\n| --- | --- |\n| Inner | 5 min |\n",
    );
    expect(bad.tasks.map((task) => task.id)).toEqual(["1", "3", "4"]);
    expect(bad.problems).toEqual([
      {
        line: 4,
        field: "Task",
        message: 'this row of the table of tasks has task fields but no title: write the task in its "Task" column',
      },
      {
        task: "3",
        line: 5,
        field: "Estimate",
        message: 'expected minutes or hours such as "20 min", "15-20 min", "25 хв" or "1h", got "soon"',
      },
      {
        task: "4",
        line: 10,
        message:
          "a table of tasks inside task 4 is not read as tasks: give it a heading of its own, or make its rows the task's steps",
      },
    ]);
  });
});

describe("readMarkdown: nothing that looks like a task is dropped in silence", () => {
  it("reports a domain or agent under a phase or SYNC POINT heading, and keeps a phase's length as its text", () => {
    const source = readMarkdown(
      "## Phase 1: Backend\n**Agent:** fastapi-backend-expert\n**Time:** 40 min\n\n### 1. Model\n**Time:** 20 min\n\n## SYNC POINT: API\nDomain: backend\n\n## Phase 2: Frontend\nTime: 20 min\n\n### 2. Page\n**Time:** 20 min\n**Depends on:** 1\n",
    );
    expect(source.tasks.map((task) => task.id)).toEqual(["1", "2"]);
    expect(source.problems).toEqual([
      {
        line: 2,
        field: "Agent",
        message:
          '"Phase 1: Backend" is a phase, not a task: its Agent would be lost. Write it on each task under it, or give the task a heading of its own (`### 1. Title`)',
      },
      {
        line: 9,
        field: "Domain",
        message:
          '"SYNC POINT: API" is a SYNC POINT, not a task: its Domain would be lost. Write it on each task under it, or give the task a heading of its own (`### 1. Title`)',
      },
    ]);
    expect(source.tasks[1]?.around).toEqual(["Phase 2: Frontend\nTime: 20 min", "SYNC POINT: API\nDomain: backend"]);
  });

  it("reports tasks written as list items with their fields nested, but not a phase with its length", () => {
    const source = readMarkdown(
      "# Feature\n\n## Tasks\n- **Batch 1: Model**\n  - Domain: backend\n  - Time: 20 min\n- Page\n  - Agent: react-frontend-architect\n\n## Execution order\n- Phase 1\n  - Time: 40 min\n- Then the page\n  - Time: 20 min\n",
    );
    expect(source.tasks).toEqual([]);
    expect(source.problems).toEqual([
      {
        line: 4,
        message:
          '"Batch 1: Model" looks like a task (it has Domain, Time) but is a list item: give it a heading of its own (`### Batch 1: Model`) or a row in a table of tasks',
      },
      {
        line: 7,
        message:
          '"Page" looks like a task (it has Agent) but is a list item: give it a heading of its own (`### 1. Page`) or a row in a table of tasks',
      },
    ]);
  });

  it("reads an unnumbered heading with plain fields as a task, never as other tasks' context", () => {
    const source = readMarkdown(
      "## Notes\nShared by all.\n\n### 1. Model\nTime: 20 min\n\n### Cache warmup\nDomain: backend\nTime: 15 min\n",
    );
    expect(source.tasks.map((task) => [task.id, task.estimate])).toEqual([
      ["1", 20],
      ["cache-warmup", 15],
    ]);
    expect(
      [...source.context, ...source.tasks.flatMap((task) => [...task.context, ...(task.around ?? [])])].some((text) =>
        text.includes("Cache warmup"),
      ),
    ).toBe(false);
  });
});

describe("readMarkdown: what each task's brief is handed", () => {
  const source = readMarkdown(
    [
      "# Search",
      "Find things fast.",
      "",
      "## Goal",
      "Under 100 ms.",
      "",
      "## Phase 1: Index",
      "Index first, query later.",
      "",
      "### 1. Index model",
      "**Time:** 20 min",
      "",
      "### 2. Indexer",
      "**Time:** 20 min",
      "**Depends on:** 1",
      "",
      "## SYNC POINT: Index schema",
      "The query side gets the schema.",
      "",
      "## Phase 2: Query",
      "",
      "### 3. Query API",
      "**Time:** 20 min",
      "**Depends on:** 2",
      "",
      "### 4. Docs page",
      "**Time:** 20 min",
      "",
      "## Parallelization Matrix",
      "| Batch | 3 | 4 |",
      "| --- | --- | --- |",
      "| 3 | - | ✓ |",
      "",
      "## Success Criteria",
      "✅ Under 100 ms",
    ].join("\n"),
  );

  it("hands every brief the feature's text and what comes before the first task", () => {
    expect(source.context).toEqual(["Search\nFind things fast.", "Goal\nUnder 100 ms."]);
  });

  it("hands a phase's text to its own tasks only, and a SYNC POINT to the later tasks that build on what came before it", () => {
    expect(source.tasks.map((task) => [task.id, task.around])).toEqual([
      ["1", ["Phase 1: Index\nIndex first, query later."]],
      ["2", ["Phase 1: Index\nIndex first, query later."]],
      ["3", ["SYNC POINT: Index schema\nThe query side gets the schema."]],
      ["4", undefined],
    ]);
  });

  it("keeps what comes after the tasks (a matrix, success criteria) as notes, for people, in no brief", () => {
    expect(source.notes).toEqual([
      "Parallelization Matrix\n| Batch | 3 | 4 |\n| --- | --- | --- |\n| 3 | - | ✓ |",
      "Success Criteria\n✅ Under 100 ms",
    ]);
  });
});
