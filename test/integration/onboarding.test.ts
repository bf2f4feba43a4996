import { Probot, ProbotOctokit } from "probot";
import yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { configFromYaml } from "../../src/base/config.js";
import { memoryJournal } from "../../src/github/stores/journal.js";
import { memoryLocks } from "../../src/github/stores/lock.js";
import { memoryThrottle } from "../../src/github/stores/throttle.js";
import { ConditionalCache } from "../../src/github/calls/conditionalRequests.js";
import type { Deps } from "../../src/handlers/deps.js";
import { memoryAcknowledgements } from "../../src/handlers/acknowledgements.js";
import { onInstallation } from "../../src/handlers/installation.js";
import {
  agentWorkflow,
  CONFIG_PATH,
  guessDomains,
  onboardingConfig,
  ONBOARDING_BRANCH,
  WORKFLOW_PATH,
} from "../../src/onboarding/onboardingFiles.js";
import { githubApi, useGitHubApi } from "../helpers/github.js";
import { payload, privateKey } from "./appHarness.js";
import { inThread } from "../state/support.js";

useGitHubApi();

const repo = "/repos/Codertocat/Hello-World";
const configPath = `${repo}/contents/${encodeURIComponent(CONFIG_PATH)}`;
const workflowPath = `${repo}/contents/${encodeURIComponent(WORKFLOW_PATH)}`;

/** A Probot with only the onboarding handler (the lead registers it in the real app). */
function onboardingProbot(): Probot {
  const probot = new Probot({
    appId: 123,
    privateKey,
    secret: "webhook-secret",
    logLevel: "fatal",
    // A function, not an object: Probot's own throttle defaults would otherwise replace `enabled: false`
    // (a shallow merge), and the throttle spaces write requests a second apart.
    Octokit: ProbotOctokit.defaults((options: object) => ({
      ...options,
      retry: { enabled: false },
      throttle: { enabled: false },
    })),
  });
  const deps: Deps = {
    key: Buffer.from("k"),
    locks: memoryLocks(),
    journal: memoryJournal(),
    throttle: memoryThrottle(),
    plan: inThread,
    acknowledgements: memoryAcknowledgements(),
    buttons: true,
    reads: new ConditionalCache(),
    run: async (_context, _where, work) => work(),
  };
  probot.load((app) => {
    app.on(["installation.created", "installation_repositories.added"], (context) => onInstallation(context, deps));
  });
  return probot;
}

function installed(workflows: boolean) {
  return payload("installation", "created", (value) => {
    value.installation = {
      ...value.installation,
      account: { login: "Codertocat" },
      permissions: {
        contents: "write",
        pull_requests: "write",
        issues: "write",
        ...(workflows ? { workflows: "write" } : {}),
      },
    };
  });
}

const token = () =>
  githubApi().post("/app/installations/2/access_tokens").reply(201, { token: "t", expires_at: "2030-01-01T00:00:00Z" });
const repository = {
  name: "Hello-World",
  default_branch: "main",
  archived: false,
  html_url: "https://github.com/Codertocat/Hello-World",
};
const root = {
  sha: "base-tree",
  truncated: false,
  tree: [
    { type: "tree", path: "backend", mode: "040000", sha: "1" },
    { type: "tree", path: "frontend", mode: "040000", sha: "2" },
    { type: "tree", path: ".github", mode: "040000", sha: "3" },
    { type: "tree", path: "node_modules", mode: "040000", sha: "4" },
    { type: "blob", path: "README.md", mode: "100644", sha: "5" },
  ],
};

const labelPath = `${repo}/labels/parallel-coordinator`;

/** Everything up to the onboarding branch: no config, the label there, no pull request yet. */
function fresh(workflowThere = false) {
  return githubApi()
    .get(repo)
    .reply(200, repository)
    .get(configPath)
    .query({ ref: "main" })
    .reply(404, { message: "Not Found" })
    .get(labelPath)
    .reply(200, { id: 1, name: "parallel-coordinator", color: "5319e7" })
    .get(`${repo}/pulls`)
    .query({ head: `Codertocat:${ONBOARDING_BRANCH}`, state: "all", per_page: "1" })
    .reply(200, [])
    .get(`${repo}/git/ref/heads%2Fmain`)
    .reply(200, { ref: "refs/heads/main", object: { sha: "base-sha", type: "commit" } })
    .get(`${repo}/git/trees/base-sha`)
    .reply(200, root)
    .get(workflowPath)
    .query({ ref: "main" })
    .reply(
      workflowThere ? 200 : 404,
      workflowThere ? { type: "file", sha: "w", name: "parallel-coordinator-agent.yml" } : { message: "Not Found" },
    )
    .post(`${repo}/git/refs`, { ref: `refs/heads/${ONBOARDING_BRANCH}`, sha: "base-sha" })
    .reply(201, {});
}

function put(path: string, sent: Array<{ path: string; text: string }>, status = 201) {
  return githubApi()
    .get(path)
    .query({ ref: ONBOARDING_BRANCH })
    .reply(404, { message: "Not Found" })
    .put(path, (body) => {
      sent.push({ path, text: Buffer.from(body.content, "base64").toString("utf8") });
      return body.branch === ONBOARDING_BRANCH;
    })
    .reply(
      status,
      status === 201
        ? { content: {} }
        : { message: "refusing to allow a GitHub App to create or update workflow without `workflows` permission" },
    );
}

describe("onboarding", () => {
  it("opens one pull request with the config (domains from the top-level folders) and, without workflows: write, the workflow in its description", async () => {
    const probot = onboardingProbot();
    const files: Array<{ path: string; text: string }> = [];
    let pull: { title: string; body: string; head: string; base: string } | undefined;
    const api = [
      token(),
      fresh(),
      put(configPath, files),
      githubApi()
        .post(`${repo}/pulls`, (body) => {
          pull = body;
          return true;
        })
        .reply(201, { number: 1 }),
    ];
    await probot.receive({ id: "i1", name: "installation", payload: installed(false) } as never);
    for (const scope of api) scope.done();
    expect(files.map((file) => file.path)).toEqual([configPath]);
    const config = configFromYaml(files[0]!.text);
    expect(config.ok).toBe(true);
    if (config.ok)
      expect(config.config.domains).toEqual({
        backend: { files: ["backend/**"], agents: [] },
        frontend: { files: ["frontend/**"], agents: [] },
      });
    expect(pull).toMatchObject({ title: "Set up parallel-coordinator", head: ONBOARDING_BRANCH, base: "main" });
    expect(pull?.body).toContain("lacks the `workflows: write` permission");
    expect(pull?.body).toContain('run-name: "parallel-coordinator ${{ inputs.key }}"');
    expect(pull?.body).toContain(
      `https://github.com/Codertocat/Hello-World/new/parallel-coordinator/onboarding?filename=${encodeURIComponent(WORKFLOW_PATH)}`,
    );
  });

  it("adds the workflow file itself when the installation may write workflows", async () => {
    const probot = onboardingProbot();
    const files: Array<{ path: string; text: string }> = [];
    let body = "";
    const api = [
      token(),
      fresh(),
      put(configPath, files),
      put(workflowPath, files),
      githubApi()
        .post(`${repo}/pulls`, (sent) => {
          body = sent.body;
          return true;
        })
        .reply(201, { number: 1 }),
    ];
    await probot.receive({ id: "i2", name: "installation", payload: installed(true) } as never);
    for (const scope of api) scope.done();
    expect(files.map((file) => file.path)).toEqual([configPath, workflowPath]);
    expect(files[1]!.text).toBe(agentWorkflow());
    expect(body).toContain(`\`${WORKFLOW_PATH}\`: the agent workflow`);
    expect(body).not.toContain("One step");
  });

  it("falls back to the description when GitHub refuses the workflow file", async () => {
    const probot = onboardingProbot();
    const files: Array<{ path: string; text: string }> = [];
    let body = "";
    const api = [
      token(),
      fresh(),
      put(configPath, files),
      put(workflowPath, files, 403),
      githubApi()
        .post(`${repo}/pulls`, (sent) => {
          body = sent.body;
          return true;
        })
        .reply(201, { number: 1 }),
    ];
    await probot.receive({ id: "i3", name: "installation", payload: installed(true) } as never);
    for (const scope of api) scope.done();
    expect(body).toContain("The app could not write under `.github/workflows/`");
    expect(body).toContain("HTTP 403");
  });

  it("leaves an existing workflow alone", async () => {
    const probot = onboardingProbot();
    const files: Array<{ path: string; text: string }> = [];
    let body = "";
    const api = [
      token(),
      fresh(true),
      put(configPath, files),
      githubApi()
        .post(`${repo}/pulls`, (sent) => {
          body = sent.body;
          return true;
        })
        .reply(201, { number: 1 }),
    ];
    await probot.receive({ id: "i4", name: "installation", payload: installed(true) } as never);
    for (const scope of api) scope.done();
    expect(files.map((file) => file.path)).toEqual([configPath]);
    expect(body).toContain("is there already");
  });

  it("does nothing where the config exists", async () => {
    const probot = onboardingProbot();
    const api = [
      token(),
      githubApi()
        .get(repo)
        .reply(200, repository)
        .get(configPath)
        .query({ ref: "main" })
        .reply(200, {
          type: "file",
          sha: "c",
          name: "parallel-coordinator.yml",
          content: Buffer.from("agents: 2\n").toString("base64"),
        })
        .get(labelPath)
        .reply(200, { id: 1, name: "parallel-coordinator" }),
    ];
    await probot.receive({ id: "i5", name: "installation", payload: installed(false) } as never);
    for (const scope of api) scope.done();
  });

  it("creates the label the config names when the repository lacks it, and says so in the onboarding pull request", async () => {
    const probot = onboardingProbot();
    const created: Array<{ name: string }> = [];
    const api = [
      token(),
      githubApi()
        .get(repo)
        .reply(200, repository)
        .get(configPath)
        .query({ ref: "main" })
        .reply(200, {
          type: "file",
          sha: "c",
          name: "parallel-coordinator.yml",
          content: Buffer.from("label: agents-please\n").toString("base64"),
        })
        .get(`${repo}/labels/agents-please`)
        .reply(404, { message: "Not Found" })
        .post(`${repo}/labels`, (body) => {
          created.push(body);
          return true;
        })
        .reply(201, { id: 2, name: "agents-please" }),
    ];
    await probot.receive({ id: "i8", name: "installation", payload: installed(false) } as never);
    for (const scope of api) scope.done();
    expect(created).toEqual([
      expect.objectContaining({ name: "agents-please", color: expect.stringMatching(/^[0-9a-f]{6}$/) }),
    ]);
  });

  it("tells in the onboarding pull request that it created the missing label", async () => {
    const probot = onboardingProbot();
    const files: Array<{ path: string; text: string }> = [];
    let body = "";
    const api = [
      token(),
      githubApi()
        .get(repo)
        .reply(200, repository)
        .get(configPath)
        .query({ ref: "main" })
        .reply(404, { message: "Not Found" })
        .get(labelPath)
        .reply(404, { message: "Not Found" })
        .post(`${repo}/labels`)
        .reply(201, { id: 2, name: "parallel-coordinator" })
        .get(`${repo}/pulls`)
        .query({ head: `Codertocat:${ONBOARDING_BRANCH}`, state: "all", per_page: "1" })
        .reply(200, [])
        .get(`${repo}/git/ref/heads%2Fmain`)
        .reply(200, { ref: "refs/heads/main", object: { sha: "base-sha", type: "commit" } })
        .get(`${repo}/git/trees/base-sha`)
        .reply(200, root)
        .get(workflowPath)
        .query({ ref: "main" })
        .reply(404, { message: "Not Found" })
        .post(`${repo}/git/refs`)
        .reply(201, {}),
      put(configPath, files),
      githubApi()
        .post(`${repo}/pulls`, (sent) => {
          body = sent.body;
          return true;
        })
        .reply(201, { number: 1 }),
    ];
    await probot.receive({ id: "i9", name: "installation", payload: installed(false) } as never);
    for (const scope of api) scope.done();
    expect(body).toContain(
      "The label `parallel-coordinator`, which starts a coordination, was missing: the app has created it in this repository.",
    );
  });

  it("never offers twice: a pull request from the onboarding branch, even closed, stops it", async () => {
    const probot = onboardingProbot();
    const api = [
      token(),
      githubApi()
        .get(repo)
        .reply(200, repository)
        .get(configPath)
        .query({ ref: "main" })
        .reply(404, { message: "Not Found" })
        .get(labelPath)
        .reply(200, { id: 1, name: "parallel-coordinator" })
        .get(`${repo}/pulls`)
        .query({ head: `Codertocat:${ONBOARDING_BRANCH}`, state: "all", per_page: "1" })
        .reply(200, [{ number: 3, state: "closed" }]),
    ];
    await probot.receive({ id: "i6", name: "installation", payload: installed(false) } as never);
    for (const scope of api) scope.done();
  });

  it("onboards each added repository, one failure not stopping the others", async () => {
    const probot = onboardingProbot();
    const added = payload("installation_repositories", "added", (value) => {
      value.installation = {
        ...value.installation,
        account: { login: "Codertocat" },
        permissions: { contents: "write" },
      };
      value.repositories_added = [
        { id: 1, node_id: "R1", name: "Broken", full_name: "Codertocat/Broken", private: false },
        { id: 2, node_id: "R2", name: "Hello-World", full_name: "Codertocat/Hello-World", private: false },
      ];
    });
    const files: Array<{ path: string; text: string }> = [];
    const api = [
      token(),
      githubApi().get("/repos/Codertocat/Broken").reply(500, { message: "boom" }),
      fresh(),
      put(configPath, files),
      githubApi().post(`${repo}/pulls`).reply(201, { number: 1 }),
    ];
    // Each repository is its own step; the failed one shows where steps are awaited, after the others ran.
    await expect(
      probot.receive({ id: "i7", name: "installation_repositories", payload: added } as never),
    ).rejects.toThrow("onboarding failed in 1 of 2 repositories");
    for (const scope of api) scope.done();
    expect(files).toHaveLength(1);
  });
});

describe("the onboarding config", () => {
  it("guesses domains from code folders only", () => {
    expect(guessDomains(["web", ".github", "node_modules", "dist", "api", "Api", "we[ird]"])).toEqual(["Api", "web"]);
  });

  it("is valid, with or without domains, and all its defaults are the schema's", () => {
    expect(configFromYaml(onboardingConfig([])).ok).toBe(true);
    const text = onboardingConfig(["my app", "server"]);
    expect(configFromYaml(text)).toMatchObject({
      ok: true,
      config: { domains: { "my app": { files: ["my app/**"] }, server: { files: ["server/**"] } } },
    });
    // Uncommenting every commented default gives the defaults.
    const uncommented = text
      .split("\n")
      .filter((line) => !line.startsWith("domains:") && !line.startsWith("  "))
      .map((line) => line.replace(/^# ?/, ""))
      .filter(
        (line) =>
          /^ {0,2}[a-zA-Z]+:/.test(line) && !/^ {0,2}(Label|Every|Domains|the app|parallel-coordinator:)/.test(line),
      )
      .join("\n");
    const value = yaml.load(uncommented) as Record<string, unknown>;
    expect(value).toMatchObject({
      label: "parallel-coordinator",
      batch: { min: 15, max: 25, merge: 10, refuse: 45 },
      mergeMethod: "merge",
      retries: 1,
    });
  });
});
