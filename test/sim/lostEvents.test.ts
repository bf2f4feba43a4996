/**
 * Events are lost by design in the Actions bot (issue #15): a concurrency
 * group keeps one waiting run and a newer one cancels it, schedules are
 * delayed and dropped. Every coordinator run reconciles its issue with what
 * GitHub holds, so whichever of its runs after the label GitHub loses, the
 * schedule that comes next finishes the coordination, and it ends as it does
 * when nothing is lost. The lost runs are drawn from a fixed seed: a failure
 * names the `simulate` command line that plays it again.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/commandLine.js";
import { ACTIONS_LOGIN } from "../../src/fakeGitHub/conventions.js";
import { lostPlaces, runsAfterStart, seeded } from "../../src/sim/lostRuns.js";
import { simulate, type Simulation } from "../../src/sim/run.js";

const PLAN = "test/fixtures/plans/notification-bell.md";
const bell = readFileSync(new URL(`../../${PLAN}`, import.meta.url), "utf8");
const SEED = 15;
const SUBSETS = 200;

/** What a person finds when it is over: the coordination, its runs, pull requests, check runs, comments and code. */
function endOf(simulation: Simulation) {
  const { repo } = simulation;
  const integration = repo.branch(`parallel-coordinator/${simulation.issue}`);
  return {
    status: simulation.status,
    batches: simulation.batches,
    // One dispatch per run of a batch: its key names it, and no key runs twice.
    dispatches: simulation.github.history
      .flatMap((entry) =>
        entry.kind === "dispatch" && entry.workflow.endsWith("parallel-coordinator-agent.yml")
          ? [entry.inputs.key]
          : [],
      )
      .sort(),
    pullRequests: simulation.pullRequests
      .map((pull) => `${pull.head} → ${pull.base}${pull.merged ? ", merged" : ""}`)
      .sort(),
    checkRuns: [...repo.checkRuns.values()].map((run) => `${run.name}: ${run.conclusion}`).sort(),
    // The dashboard, the finish: a blocker or an error the lost runs caused would be one more.
    comments: simulation.comments
      .filter((comment) => comment.author === ACTIONS_LOGIN)
      .map((comment) => comment.body.split("\n")[0]!)
      .sort(),
    // Each batch's file names the run that wrote it: GitHub numbers runs in order, and lost runs took numbers too.
    integrationBranch:
      integration === undefined
        ? undefined
        : Object.fromEntries(
            [...repo.tree(integration)].map(([path, text]) => [path, text.replace(/, run \d+\)/, ")")]),
          ),
  };
}

describe(`the Actions bot when GitHub loses its events (seed ${SEED})`, () => {
  it(`ends a coordination as it ends with nothing lost, whichever of its runs after the label are lost: ${SUBSETS} sets, none and all among them`, async () => {
    const whole = await simulate({ breakdown: bell, mode: "actions" });
    expect(whole.problems).toEqual([]);
    expect(whole.errors).toEqual([]);
    expect(whole.stopped).toBeUndefined();
    const expected = endOf(whole);
    expect(expected.status).toBe("done");
    expect(expected.dispatches).toEqual(["pc-1-api-1", "pc-1-model-1", "pc-1-styles-1", "pc-1-ui-1"]);
    expect(expected.comments.some((head) => head.includes("Blocker"))).toBe(false);
    expect(Object.keys(expected.integrationBranch ?? {})).toEqual(
      expect.arrayContaining([
        "backend/api/batch-api-1.txt",
        "frontend/styles/batch-styles-1.txt",
        "backend/models/batch-model-1.txt",
        "frontend/bell/batch-ui-1.txt",
      ]),
    );
    const places = runsAfterStart(whole.coordinatorRuns!);
    expect(places).toBeGreaterThanOrEqual(6);

    // None lost, all lost, then sets each of a fraction drawn for it, every set once: each replays with its --lose and --seed.
    const random = seeded(SEED);
    const sets = new Map<string, { fraction: number; seed: number; lostRuns: number[] }>();
    for (let seed = SEED; sets.size < SUBSETS; seed += 1) {
      const fraction = seed === SEED ? 0 : seed === SEED + 1 ? 1 : Math.round(random() * 100) / 100;
      const lostRuns = lostPlaces(places, fraction, seed);
      if (!sets.has(lostRuns.join())) sets.set(lostRuns.join(), { fraction, seed, lostRuns });
    }
    const failures: string[] = [];
    let lostInAll = 0;
    for (const [index, { fraction, seed, lostRuns }] of [...sets.values()].entries()) {
      const simulation = await simulate({
        breakdown: bell,
        mode: "actions",
        lostRuns,
        // A few checked against GitHub's REST description, the extremes among them (the check is a third of the time).
        checkRequests: index < 10,
        // The schedules that come before it is over, capped: a stall ends there.
        maxDeliveries: 4 * places,
      });
      const { lost } = simulation.coordinatorRuns!;
      // A place beyond the runs the coordination took is never reached; all of them are when every run is lost.
      if (fraction === 1) expect(lost).toBe(places);
      lostInAll += lost;
      const replay = `simulate ${PLAN} --mode actions --lose ${fraction} --seed ${seed} (lost runs ${lostRuns.join(", ") || "none"})`;
      const went = {
        end: endOf(simulation),
        problems: [
          ...simulation.problems,
          ...simulation.errors,
          ...(simulation.stopped === undefined ? [] : [simulation.stopped]),
        ],
      };
      try {
        expect(went).toEqual({ end: expected, problems: [] });
      } catch (error) {
        failures.push(`${replay}: ${(error as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
    expect(lostInAll).toBeGreaterThan(SUBSETS);
  }, 120_000);

  it("is what simulate --lose plays: the runs its seed draws lost, in the figures and in --json; --lose without the Actions bot, a share over 1 or a seed that is no number refused", async () => {
    const cli = async (...argv: string[]) => {
      let out = "";
      let err = "";
      const status = await main(argv, { out: (text) => (out += text), err: (text) => (err += text) });
      return { status, out, err };
    };
    const file = new URL(`../../${PLAN}`, import.meta.url).pathname;
    const played = await cli("simulate", file, "--mode", "actions", "--lose", "0.5", "--seed", "7", "--json");
    expect(played.err).toBe("");
    expect(played.status).toBe(0);
    const json = JSON.parse(played.out) as { status: string; coordinatorRuns: { lost: number; cancelled: number } };
    const whole = await simulate({ breakdown: bell, mode: "actions", checkRequests: false });
    const lost = lostPlaces(runsAfterStart(whole.coordinatorRuns!), 0.5, 7);
    expect(lost.length).toBeGreaterThan(0);
    expect(json).toMatchObject({ status: "done", coordinatorRuns: { lost: lost.length, cancelled: 0 } });

    for (const [argv, problem] of [
      [["--lose", "0.5"], "--lose loses the Actions bot's runs: give --mode actions too"],
      [["--mode", "actions", "--lose", "1.5"], '--lose is a fraction from 0 to 1, not "1.5"'],
      [["--mode", "actions", "--lose", "half"], '--lose is a fraction from 0 to 1, not "half"'],
      [["--mode", "actions", "--lose", "-0.1"], '--lose is a fraction from 0 to 1, not "-0.1"'],
      [["--mode", "actions", "--lose", "0.5", "--seed=-3"], '--seed is a whole number, not "-3"'],
      [["--mode", "actions", "--lose", "0.5", "--seed", "-1"], '--seed is a whole number, not "-1"'],
      [["--mode", "actions", "--lose", "0.5", "--seed", "x"], '--seed is a whole number, not "x"'],
      [["--mode", "actions", "--seed", "3"], "--seed draws the runs --lose loses: give --lose too"],
    ] as const) {
      const refused = await cli("simulate", file, ...argv);
      expect(refused.status, argv.join(" ")).toBe(2);
      expect(refused.err.split("\n")[0], argv.join(" ")).toBe(`simulate: ${problem}`);
    }
  }, 60_000);
});
