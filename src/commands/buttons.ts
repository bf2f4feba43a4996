import type { Command } from "./parse.js";

/**
 * The buttons of a ⚠ or ✗ check-in's check run (at most 3; a label of at most
 * 20 characters, a description of 40, an identifier of 20): each is a command
 * the person who presses it gives, as if by a comment.
 */
export const checkRunButtons = [
  { identifier: "accept", label: "Accept", description: "Take the batch as it is (/approve)" },
  { identifier: "redo", label: "Redo", description: "Run the batch again (/retry)" },
  { identifier: "pause", label: "Pause", description: "Pause the coordination (/pause)" },
] as const;

export type ButtonLabel = (typeof checkRunButtons)[number]["label"];

/**
 * The command a pressed button gives, on the batch of the check run: Accept
 * approves it at the head that check-in judged, Redo retries it, Pause pauses
 * the coordination. Undefined for an identifier that is none of the buttons.
 */
export function buttonCommand(
  identifier: string,
  batch: string,
  head: string,
  number: number,
): { label: ButtonLabel; command: Command } | undefined {
  switch (identifier) {
    case "accept":
      return { label: "Accept", command: { name: "approve", batch, sha: head } };
    case "redo":
      return { label: "Redo", command: { name: "retry", batch } };
    case "pause":
      return { label: "Pause", command: { name: "pause", reason: `pressed on batch ${number}'s check-in` } };
    default:
      return undefined;
  }
}
