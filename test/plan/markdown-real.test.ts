import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readMarkdown } from "../../src/plan/markdown.js";
import { TaskSchema, type Task } from "../../src/plan/task.js";

// The real breakdowns written by the seed's authors, read as they are.
const dir = new URL("../../../shared/cases/real/", import.meta.url);
// Collected even when skipped: read nothing when the cases are not beside the clone.
const read = (name: string) => readMarkdown(existsSync(new URL(name, dir)) ? readFileSync(new URL(name, dir), "utf8") : "");
const checks = (task: Task): string[] => task.accept.map((line) => ("check" in line ? line.check : `run: ${line.run}`));

describe.skipIf(!existsSync(fileURLToPath(dir)))("readMarkdown on the real breakdowns", () => {
  describe("topics-search-pagination.tasks.md", () => {
    const source = read("topics-search-pagination.tasks.md");
    const index = "frontend/src/pages/TopicsPage/index.tsx";

    it("finds batches 1–8 and nothing else", () => {
      expect(source.problems).toEqual([]);
      expect(source.title).toBe("Topics Page: Search, Pagination & Sorting - Task Breakdown");
      expect(source.tasks.map((task) => [task.id, task.title])).toEqual([
        ["1", "TopicCRUD Search & Sort Logic"],
        ["2", "API Endpoint Parameters"],
        ["3", "Backend Testing"],
        ["4", "Service Layer Integration"],
        ["5", "Search Bar UI"],
        ["6", "Sort Dropdown (МОЖЕ БУТИ ПАРАЛЕЛЬНО З BATCH 5)"],
        ["7", "Pagination Controls"],
        ["8", "State Management Integration"],
      ]);
      expect(source.tasks.some((task) => task.title.includes("Manual E2E"))).toBe(false);
      expect(source.tasks.map((task) => task.line)).toEqual([11, 30, 43, 74, 88, 104, 123, 139]);
    });

    it("reads agents, estimates, files and dependencies", () => {
      expect(source.tasks.map((task) => task.agent)).toEqual([
        ...Array<string>(3).fill("fastapi-backend-expert"),
        ...Array<string>(5).fill("react-frontend-architect"),
      ]);
      expect(source.tasks.map((task) => task.domain)).toEqual(Array<undefined>(8).fill(undefined));
      expect(source.tasks.map((task) => task.estimate)).toEqual([25, 15, 20, 15, 30, 20, 35, 25]);
      expect(source.tasks.map((task) => task.files)).toEqual([
        ["backend/app/services/topic_crud.py"],
        ["backend/app/api/v1/topics.py"],
        [],
        ["frontend/src/features/topics/api/topicService.ts"],
        [index],
        [index],
        [index],
        [index],
      ]);
      expect(source.tasks.map((task) => task.needs)).toEqual([[], ["1"], ["1", "2"], ["2"], ["4"], ["4"], ["4"], ["5", "6", "7"]]);
    });

    it("keeps nested sort options under their step", () => {
      const steps = source.tasks[0]?.steps ?? [];
      expect(steps).toHaveLength(4);
      expect(steps[2]).toBe(
        "Додати динамічний `order_by` для 5 варіантів сортування:\n" +
          "  - `name_asc` - Name A-Z\n" +
          "  - `name_desc` - Name Z-A\n" +
          "  - `created_desc` - Newest first (default)\n" +
          "  - `created_asc` - Oldest first\n" +
          "  - `updated_desc` - Recently updated",
      );
      expect(source.tasks[5]?.steps[1]).toMatch(/^5 опцій сортування:\n {2}- "Спочатку нові" \(created_desc\) - default\n/);
    });

    it("reads the ✅ lines as checks", () => {
      expect(source.tasks.map((task) => task.accept.length)).toEqual([3, 2, 3, 2, 3, 3, 3, 4]);
      expect(checks(source.tasks[1]!)).toEqual(["`/api/v1/topics?search=test&sort_by=name_asc` працює", "OpenAPI docs показують нові параметри"]);
    });

    it("sets phases and gives the SYNC POINT to batches 4–8 only, never as a dependency", () => {
      expect(source.tasks.map((task) => task.phase)).toEqual([
        ...Array<string>(3).fill("Phase 1: Backend Foundation (60 хв) - SEQUENTIAL"),
        ...Array<string>(5).fill("Phase 2: Frontend Implementation (100 хв) - PARTIALLY PARALLEL"),
      ]);
      const withSync = source.tasks.filter((task) => task.context.some((text) => text.startsWith("SYNC POINT: API Contract Share\n")));
      expect(withSync.map((task) => task.id)).toEqual(["4", "5", "6", "7", "8"]);
      expect(source.tasks[3]?.context[0]).toContain("- Query параметри: `?search={str}&sort_by={enum}&skip={int}&limit={int}`");
    });

    it("keeps the intro, Manual E2E Testing, the matrix and Success Criteria as context", () => {
      expect(source.context.map((text) => text.split("\n")[0])).toEqual([
        "Topics Page: Search, Pagination & Sorting - Task Breakdown",
        "Phase 3: Integration & Testing (15 хв)",
        "Parallelization Matrix",
        "Success Criteria",
      ]);
      expect(source.context[1]).toContain("Manual E2E Testing\n- Протестувати на великому датасеті");
      expect(source.context[2]).toContain("| Backend-3 | ✗ | ✗ | - | ✓ | ✓ | ✓ | ✓ | ✗ |");
    });

    it("gives tasks the shared schema accepts", () => {
      for (const task of source.tasks) expect(TaskSchema.parse(task)).toEqual(task);
    });
  });

  describe("pgvector.tasks.md", () => {
    const source = read("pgvector.tasks.md");

    it("finds the four batches of the sequential pipeline", () => {
      expect(source.problems).toEqual([]);
      expect(source.title).toBe("Feature 1: Core LLM Infrastructure (pgvector Fix)");
      expect(source.tasks.map((task) => [task.id, task.title])).toEqual([
        ["1", "pgvector State Diagnosis"],
        ["2", "Create HNSW Vector Indexes"],
        ["3", "Fix Auto-Embedding Generation Pipeline"],
        ["4", "Validation & Testing"],
      ]);
      expect(source.tasks.map((task) => task.estimate)).toEqual([20, 25, 30, 20]);
      expect(source.tasks.map((task) => task.needs)).toEqual([[], ["1"], ["1", "2"], ["3"]]);
      expect(source.tasks.map((task) => task.agent)).toEqual([
        "vector-search-engineer",
        "database-reliability-engineer",
        "vector-search-engineer",
        "pytest-test-master",
      ]);
      expect(source.tasks.map((task) => task.files)).toEqual([[], [], [], []]);
      expect(source.tasks.map((task) => task.phase)).toEqual([undefined, undefined, undefined, undefined]);
    });

    it("reads scope, what not to do and output", () => {
      expect(source.tasks.map((task) => task.steps.length)).toEqual([4, 4, 4, 4]);
      expect(source.tasks.map((task) => task.notToDo.length)).toEqual([3, 2, 2, 2]);
      expect(source.tasks.map((task) => task.output.length)).toEqual([4, 4, 4, 4]);
      expect(source.tasks[0]?.notToDo[0]).toBe("Don't fix yet, only diagnose");
      expect(source.tasks[3]?.output[0]).toBe("Test file path (tests/test_vector_search.py or similar)");
      expect(source.tasks.every((task) => task.accept.length === 0)).toBe(true);
    });

    it("keeps the second suggested agent and the Context from Batch N lines", () => {
      expect(source.tasks[2]?.context).toEqual([
        "Also suggested: fastapi-backend-expert",
        "Context from Batch 1 & 2: {Will receive: broken pipeline location}",
        "Context from Batch 1 & 2: {Will receive: indexes ready for use}",
        "Context from Batch 1 & 2: LLM API: OpenAI text-embedding-ada-002 (configured in .env)",
      ]);
      expect(source.tasks[0]?.context[0]).toBe("Audit report: `.v01-production/audits/llm/vector-search-report.md`");
    });

    it("keeps Goal, Integration Points, Session Tracking and Notes as context", () => {
      expect(source.context.map((text) => text.split("\n")[0])).toEqual([
        "Feature 1: Core LLM Infrastructure (pgvector Fix)",
        "Goal",
        "Integration Points",
        "Session Tracking",
        "Notes",
      ]);
    });
  });

  describe("api-docs-fix.tasks.md", () => {
    const source = read("api-docs-fix.tasks.md");
    const files = ["docs/content/en/api/knowledge.md", "docs/content/uk/api/knowledge.md"];

    it("finds the six numbered tasks", () => {
      expect(source.problems).toEqual([]);
      expect(source.title).toBe("Feature 1: API Documentation Fix");
      expect(source.tasks.map((task) => [task.id, task.title])).toEqual([
        ["1", "Update Knowledge Extraction API Parameters"],
        ["2", "Document Period-Based Message Selection"],
        ["3", "Fix WebSocket Endpoint Documentation"],
        ["4", "Document WebSocket Events"],
        ["5", "Update Code Examples"],
        ["6", "Add Related CRUD Endpoints Reference"],
      ]);
    });

    it("reads domain, hour estimates, both files and one check each", () => {
      expect(source.tasks.map((task) => task.domain)).toEqual(Array<string>(6).fill("API Documentation"));
      expect(source.tasks.map((task) => task.agent)).toEqual(Array<undefined>(6).fill(undefined));
      expect(source.tasks.map((task) => task.estimate)).toEqual([90, 120, 60, 90, 120, 60]);
      expect(source.tasks.map((task) => task.files)).toEqual(Array<string[]>(6).fill(files));
      expect(source.tasks.map((task) => task.needs)).toEqual(Array<string[]>(6).fill([]));
      expect(source.tasks.map(checks)).toEqual([
        ["All parameter names match backend implementation"],
        ["Users can discover and use time-based message selection"],
        ["WebSocket examples connect successfully"],
        ["All WebSocket events documented"],
        ["All 6 documented examples are functional"],
        ["Users can discover related CRUD operations"],
      ]);
    });

    it("reads steps from Changes, Add and Fix", () => {
      expect(source.tasks.map((task) => task.steps.length)).toEqual([4, 4, 3, 4, 4, 3]);
      expect(source.tasks[0]?.steps[0]).toBe("Replace all `provider_id` references with `agent_config_id`");
      expect(source.tasks[1]?.steps[0]).toBe("Add: Period-based extraction feature (last_24h, last_7d, last_30d)");
      expect(source.tasks[2]?.steps[0]).toBe("Correct endpoint: `/ws/knowledge` → `/ws?topics=knowledge`");
      expect(source.tasks[4]?.steps[0]).toBe("Fix: TypeScript/React example (WebSocket endpoint)");
    });

    it("keeps the other sections as context", () => {
      expect(source.context.map((text) => text.split("\n")[0])).toEqual([
        "Goal",
        "Audit Context",
        "Execution Order",
        "Total Estimate",
        "Dependencies",
        "Success Criteria",
        "Format Requirements",
      ]);
    });
  });
});
