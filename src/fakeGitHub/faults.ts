/**
 * Faults to inject into the fake GitHub, per route and per call: an answer
 * that GitHub gives when it errs (a 5xx, a secondary rate limit, a 429), an
 * answer that takes its time, a webhook that never arrives, and a workflow run
 * that never runs.
 */

/** A request as faults see it. */
export interface FaultRequest {
  method: string;
  /** The path as sent, without the query. */
  path: string;
  /** The documented route, e.g. `PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge`. */
  route: string;
  /** The JSON body, parsed; undefined without one. */
  body: unknown;
}

export interface Fault {
  /** Which requests: a documented route, or one request as `METHOD /path` (without the query). */
  route: string;
  /** Of those, only the ones this accepts count (say, a comment by its body). */
  when?: (request: FaultRequest) => boolean;
  /** The first call it hits, counting the matching calls from when it was added: 1 by default. */
  call?: number;
  /** How many calls in a row it hits: 1 by default; Infinity for every one. */
  times?: number;
  /** The status to answer instead of GitHub's own answer; without one, the request is answered as usual after `latency`. */
  status?: number;
  /** The answer's body; GitHub's for the status by default. */
  body?: unknown;
  /** The answer's headers (`retry-after` for a rate limit: 60 by default). */
  headers?: Record<string, string>;
  /** How long GitHub takes to answer: milliseconds, or until what the function does (people acting meanwhile) is done. */
  latency?: number | (() => unknown);
  /** GitHub carried the request out and the answer was lost on the way back (a proxy's 502, a timeout). */
  carriedOut?: boolean;
}

/** A fault as added: how many calls it hit so far. */
export interface InjectedFault {
  readonly hits: number;
}

/** A webhook GitHub does not deliver: `workflow_run.completed`, or every action of `workflow_run`. */
export interface DroppedWebhook {
  event: string;
  /** The first delivery it drops, counting those of `event` from when it was added: 1 by default. */
  call?: number;
  /** How many in a row: 1 by default. */
  times?: number;
}

/**
 * Runs of a workflow that GitHub loses: each ends cancelled before it takes a
 * runner, as a waiting run does when a newer one of its concurrency group
 * comes, or as a scheduled run GitHub drops under load. Only runs whose job
 * would run are counted (a job its `if:` skips loses nothing).
 */
export interface LostRun {
  /** The workflow's path, `.github/workflows/parallel-coordinator.yml`. */
  workflow: string;
  /** The first run it loses, counting the workflow's runs from when it was added: 1 by default. */
  call?: number;
  /** How many in a row: 1 by default. */
  times?: number;
}

/** What a fault answers, when it answers instead of GitHub. */
interface FaultAnswer {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

interface Counted {
  seen: number;
  hits: number;
}

/** The faults of one fake GitHub. */
export class Faults {
  readonly #requests: Array<Fault & Counted> = [];
  readonly #webhooks: Array<DroppedWebhook & Counted> = [];
  readonly #runs: Array<LostRun & Counted> = [];

  /** Adds a fault to requests; the answer says how many calls it hit. */
  add(fault: Fault): InjectedFault {
    const added = { ...fault, seen: 0, hits: 0 };
    this.#requests.push(added);
    return added;
  }

  /** Drops deliveries of a webhook event (`workflow_run.completed`) or of all its actions (`workflow_run`). */
  dropWebhook(drop: DroppedWebhook): InjectedFault {
    const added = { ...drop, seen: 0, hits: 0 };
    this.#webhooks.push(added);
    return added;
  }

  /** Loses runs of a workflow: they end cancelled, never run. */
  loseRun(lost: LostRun): InjectedFault {
    const added = { ...lost, seen: 0, hits: 0 };
    this.#runs.push(added);
    return added;
  }

  /** Whether a new run of the workflow at `path` is lost; counted as hit. */
  loses(path: string): boolean {
    let lost = false;
    for (const fault of this.#runs) {
      if (fault.workflow !== path) continue;
      fault.seen += 1;
      if (!lost && counts(fault)) {
        fault.hits += 1;
        lost = true;
      }
    }
    return lost;
  }

  /** The fault that hits this request, if any; counted as hit. */
  take(request: FaultRequest): Fault | undefined {
    let hit: Fault | undefined;
    for (const fault of this.#requests) {
      if (fault.route !== request.route && fault.route !== `${request.method} ${request.path}`) continue;
      if (fault.when !== undefined && !fault.when(request)) continue;
      fault.seen += 1;
      if (hit === undefined && counts(fault)) {
        fault.hits += 1;
        hit = fault;
      }
    }
    return hit;
  }

  /** Whether a delivery of `name.action` is dropped; counted as hit. */
  drops(name: string, action: string): boolean {
    let dropped = false;
    for (const drop of this.#webhooks) {
      if (drop.event !== name && drop.event !== `${name}.${action}`) continue;
      drop.seen += 1;
      if (!dropped && counts(drop)) {
        drop.hits += 1;
        dropped = true;
      }
    }
    return dropped;
  }
}

/** Whether the call just seen is one the fault hits. */
function counts(fault: { seen: number; hits: number; call?: number; times?: number }): boolean {
  return fault.seen >= (fault.call ?? 1) && fault.hits < (fault.times ?? 1);
}

/** GitHub's answer for a status: its message, and `retry-after` for a rate limit. */
export function faultAnswer(fault: Fault & { status: number }): FaultAnswer {
  const limited = fault.status === 403 || fault.status === 429;
  const message = limited
    ? "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
    : fault.status >= 500
      ? "Server Error"
      : `fault ${fault.status}`;
  return {
    status: fault.status,
    body: fault.body ?? {
      message,
      documentation_url: limited
        ? "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits"
        : "https://docs.github.com/rest",
    },
    headers: { ...(limited ? { "retry-after": "60" } : {}), ...fault.headers },
  };
}
