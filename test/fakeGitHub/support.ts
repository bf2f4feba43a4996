/**
 * The fake GitHub as its own tests use it: one repository on `main` and
 * Octokits that talk to it, as the app, as a workflow run's GITHUB_TOKEN or
 * as a person.
 */
import { generateKeyPairSync } from "node:crypto";
import { Octokit } from "@octokit/rest";
import { iso } from "../../src/fakeGitHub/conventions.js";
import { FakeGitHub, type Delivery } from "../../src/fakeGitHub/fakeGitHub.js";
import type { MergeMethod, Repo } from "../../src/fakeGitHub/repository.js";
import { AGENT_WORKFLOW } from "../../src/sim/run.js";

const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const quiet = () => undefined;
const log = { debug: quiet, info: quiet, warn: quiet, error: quiet };

export interface World {
  github: FakeGitHub;
  repo: Repo;
  /** Acts as the app, with an installation token. */
  octokit: Octokit;
  /** An Octokit with a token of its own (a GITHUB_TOKEN, a person's), or none. */
  as: (token?: string) => Octokit;
  /** Every webhook sent, in order. */
  sent: Delivery[];
  /** GitHub's clock, in minutes after 09:00 on 2026-01-05. */
  at: { minute: number };
}

/** A GitHub with one repository `acme/shop` on `main`: a README and the agent workflow, and more files if given. */
export function world(options: { mergeMethods?: MergeMethod[]; files?: Record<string, string> } = {}): World {
  const at = { minute: 0 };
  const github = new FakeGitHub({
    appId: 1,
    publicKey,
    installationId: 2,
    clock: () => iso(Date.UTC(2026, 0, 5, 9, at.minute)),
  });
  const sent: Delivery[] = [];
  github.onWebhook = (delivery) => sent.push(delivery);
  const repo = github.createRepo({
    owner: "acme",
    name: "shop",
    files: { "README.md": "# shop\n", ".github/workflows/agent.yml": AGENT_WORKFLOW, ...options.files },
    collaborators: { maintainer: "write", reader: "read" },
    ...(options.mergeMethods === undefined ? {} : { mergeMethods: options.mergeMethods }),
  });
  const as = (token?: string) =>
    new Octokit({ ...(token === undefined ? {} : { auth: token }), request: { fetch: github.fetch }, log });
  return { github, repo, octokit: as(github.createToken()), as, sent, at };
}

/** The status of a refused request, and GitHub's message. */
export async function refusal(promise: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    const { status, response } = error as {
      status: number;
      response?: { data?: { message?: string; errors?: { message?: string }[] } };
    };
    const data = response?.data;
    return {
      status,
      message: [data?.message, ...(data?.errors ?? []).map((item) => item.message)].filter(Boolean).join(": "),
    };
  }
  throw new Error("the request was not refused");
}

/** The agent workflow's inputs, as the app sends them. */
export const inputs = {
  issue: "1",
  batch: "1",
  attempt: "1",
  key: "pc-1-1-1",
  base: "parallel-coordinator/1",
  scope: '{"allow":["**"],"deny":[]}',
  brief: "do it",
};

export const DISPATCH = "POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches";
