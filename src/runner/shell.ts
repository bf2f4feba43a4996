/**
 * The agent and the acceptance checks, run through `bash -c` with our own
 * `spawn`, not `@actions/exec`: a command must run in a process group of its
 * own (`detached`), so that its time limit, and the job's cancellation, stop
 * everything it started; @actions/exec neither starts a group, nor has a time
 * limit, nor hands out the child to kill. (git, which needs neither, runs
 * through @actions/exec: see git.ts.)
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { EOL } from "node:os";
import * as core from "@actions/core";

export interface ShellOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Killed (with its whole process group) after this long. */
  timeoutMs: number;
  /** Output as it comes, stdout and stderr together. */
  onOutput: (text: string) => void;
  /** Between SIGTERM and SIGKILL on a timeout. */
  killGraceMs?: number;
}

export interface ShellResult {
  /** The exit code; `null` when a signal ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** The end of the output (up to 64 KiB), for a report. */
  tail: string;
  ms: number;
}

const TAIL_BYTES = 64 * 1024;
/** After the command exits, how long its output may still flow (a grandchild holding the pipe). */
const DRAIN_MS = 2_000;

/** Process groups of the commands running now, for `stopAll` when the job is cancelled. */
const running = new Set<number>();

/** Ends every running command's process group (the action itself is being stopped). */
export function stopAll(signal: NodeJS.Signals = "SIGKILL"): void {
  for (const pid of running) killGroup(pid, signal);
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already.
  }
}

/**
 * Runs a command through `bash -c` in its own process group. The command
 * string is the workflow's own (`agent:`, `checks:`); what the dispatch sends
 * reaches it only through files and environment variables. On the time limit
 * the whole group gets SIGTERM, then SIGKILL; when the command ends, whatever
 * it left running in its group is killed too.
 */
export function runShell(command: string, options: ShellOptions): Promise<ShellResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-c", command], {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    if (child.pid !== undefined) running.add(child.pid);
    let tail = "";
    let timedOut = false;
    let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let done = false;
    const timers: NodeJS.Timeout[] = [];

    const onData = (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      options.onOutput(text);
      tail = (tail + text).slice(-TAIL_BYTES);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);

    const finish = () => {
      if (done || exited === undefined) return;
      done = true;
      for (const timer of timers) clearTimeout(timer);
      if (child.pid !== undefined) {
        killGroup(child.pid, "SIGKILL");
        running.delete(child.pid);
      }
      child.stdout.destroy();
      child.stderr.destroy();
      resolve({ ...exited, timedOut, tail, ms: Date.now() - started });
    };

    child.on("error", (error) => {
      if (done) return;
      done = true;
      for (const timer of timers) clearTimeout(timer);
      reject(error);
    });
    child.on("exit", (code, signal) => {
      exited = { code, signal };
      if (child.pid !== undefined) killGroup(child.pid, "SIGKILL");
      timers.push(setTimeout(finish, DRAIN_MS));
    });
    child.on("close", (code, signal) => {
      exited ??= { code, signal };
      finish();
    });

    timers.push(
      setTimeout(() => {
        if (exited !== undefined || child.pid === undefined) return;
        timedOut = true;
        const pid = child.pid;
        killGroup(pid, "SIGTERM");
        timers.push(setTimeout(() => killGroup(pid, "SIGKILL"), options.killGraceMs ?? 10_000));
      }, options.timeoutMs),
    );
  });
}

/** What a logged command needs: where it runs and how long it may. */
export type LoggedOptions = Omit<ShellOptions, "onOutput">;

/**
 * Output of the agent and the checks, on the job's log: workflow commands in
 * it are not obeyed (a brief could make an agent print `::add-mask::` or
 * worse). @actions/core has no call for `stop-commands`, so its two lines are
 * written here.
 */
function untrustedOutput(): { write: (text: string) => void; end: () => void } {
  const token = `pc-${randomUUID()}`;
  core.info(`::stop-commands::${token}`);
  let atLineStart = true;
  return {
    write: (text) => {
      if (text === "") return;
      process.stdout.write(text);
      atLineStart = text.endsWith("\n");
    },
    end: () => process.stdout.write(`${atLineStart ? "" : EOL}::${token}::${EOL}`),
  };
}

/**
 * Runs a command in a log group of its own, its output streamed as untrusted
 * text (never read as workflow commands). The group stays open for the
 * caller's verdict; the caller ends it.
 */
export async function runLogged(title: string, command: string, options: LoggedOptions): Promise<ShellResult> {
  core.startGroup(title);
  const sink = untrustedOutput();
  const result = await runShell(command, { ...options, onOutput: sink.write });
  sink.end();
  return result;
}

/** The last `lines` lines of a text, at most `chars` characters. */
export function lastLines(text: string, lines = 30, chars = 4_000): string {
  const kept = text.replace(/\r\n?/g, "\n").replace(/\n+$/, "").split("\n").slice(-lines).join("\n");
  return kept.length <= chars ? kept : `…${kept.slice(kept.length - chars + 1)}`;
}
