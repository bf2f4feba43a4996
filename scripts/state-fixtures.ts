// Keeps the states this version of the app writes, as test/fixtures/states/v<version>-<moment>.txt:
// the whole comment (a dashboard, a checkpoint) at a few moments of coordinations played in the
// simulator, signed with the fixtures' secret. test/state/migrations.test.ts loads every one of them,
// so that a newer app is tested on what older ones really left on GitHub. A fixture is a record of
// what its version wrote: one already there is never written again.
//
//   npx tsx scripts/state-fixtures.ts
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { simulate, type SimulationOptions } from "../src/sim/run.js";
import { APP_LOGIN } from "../src/fakeGitHub/conventions.js";
import { dashboardMarker, commentMarker } from "../src/github/stores/markers.js";
import { FIXTURE_SECRET, FIXTURES } from "../test/state/stateFixtures.js";

const notifications = readFileSync(new URL("../examples/notifications.md", import.meta.url), "utf8");

const yamlBody = `# Search

\`\`\`yaml
title: Search
agents: 2
tasks:
  - { id: index, title: Search index, domain: backend, files: ["backend/search/**"], estimate: 20, accept: [{ run: pytest backend/tests/search }] }
  - { id: query, title: Query endpoint, domain: backend, files: ["backend/api/search.py"], estimate: 15, needs: [index] }
  - { id: box, title: Search box, domain: frontend, estimate: 20, steps: [Debounce the input, Show the results] }
  - { id: page, title: Results page, domain: frontend, files: ["frontend/pages/search.tsx"], estimate: 25, needs: [query, box] }
  - { id: copy, title: Empty-state copy, domain: frontend, files: ["frontend/copy/empty.ts"], estimate: 5 }
  - { id: hint, title: Search hint, domain: frontend, files: ["frontend/copy/hint.ts"], estimate: 5 }
\`\`\`
`;
const config = `domains:
  backend: { files: ["backend/**"] }
  frontend: { files: ["frontend/**"], profile: web }
mergeMethod: squash
`;

interface Moment {
  name: string;
  options: Omit<SimulationOptions, "stateSecret">;
  /** The comment kept: the app's first one whose body has this. */
  holds: string;
}

const moments: Moment[] = [
  { name: "running", options: { breakdown: notifications, maxDeliveries: 14 }, holds: dashboardMarker },
  {
    name: "pause-checkpoint",
    options: {
      breakdown: notifications,
      scenario: { outcomes: {}, steps: [{ when: { accepted: 2 }, comment: "/pause lunch" }] },
    },
    holds: "### ⏸ Session checkpoint",
  },
  {
    name: "blocker",
    options: { breakdown: notifications, scenario: { outcomes: { "2": ["blocked"] }, steps: [] } },
    holds: commentMarker("blocker-").replace(/ -->$/, ""),
  },
  {
    name: "replanned",
    options: {
      breakdown: notifications,
      scenario: { outcomes: {}, steps: [{ when: { accepted: 1 }, comment: "/pause" }, { comment: "/plan" }] },
    },
    holds: dashboardMarker,
  },
  {
    name: "done",
    options: {
      breakdown: yamlBody,
      config,
      scenario: { outcomes: { box: ["out-of-scope"], query: ["fail"] }, steps: [] },
    },
    holds: dashboardMarker,
  },
];

for (const moment of moments) {
  const simulation = await simulate({ ...moment.options, stateSecret: FIXTURE_SECRET });
  const problems = [...simulation.problems, ...simulation.errors, ...simulation.log];
  if (problems.length > 0 || simulation.state === undefined)
    throw new Error(`${moment.name}: ${problems.join("; ") || "no state"}`);
  const comment = simulation.comments.find((each) => each.author === APP_LOGIN && each.body.includes(moment.holds));
  if (comment === undefined) throw new Error(`${moment.name}: no comment of the app's holds ${moment.holds}`);
  const file = new URL(`v${simulation.state.version}-${moment.name}.txt`, FIXTURES);
  if (existsSync(file)) {
    console.log(`${file.pathname}: kept as it is`);
    continue;
  }
  writeFileSync(file, comment.body);
  console.log(`${file.pathname}: ${simulation.state.status}, ${comment.body.length} characters`);
}
