import type { ProbotOctokit } from "probot";

export type Octokit = InstanceType<typeof ProbotOctokit>;

/** A repository. */
export interface RepoRef {
  owner: string;
  repo: string;
}

/** Where a coordination lives: one issue of one repository. */
export interface IssueRef {
  owner: string;
  repo: string;
  issue: number;
}

/** An issue comment, as much of it as the app reads. */
export interface Comment {
  id: number;
  body: string;
  author: string;
  bot: boolean;
  /** When it was posted and last written (GitHub's times): an edit after a later snapshot of the app's is a rollback. */
  createdAt: string;
  updatedAt: string;
}
