import type { Message } from "../state/messages.js";
import { answerText } from "./answers.js";
import { blockerComment } from "./blocker.js";
import { abortCheckpoint, pauseCheckpoint, resumeComment, statusComment } from "./checkpoint.js";
import { finishComment } from "./finish.js";
import { refusalText } from "./refusals.js";

/** A message as the Markdown of the comment that carries it. */
export function renderMessage(message: Message): string {
  switch (message.kind) {
    case "blocker":
      return blockerComment(message);
    case "finish":
      return finishComment(message.finish);
    case "pauseCheckpoint":
      return pauseCheckpoint(message);
    case "abortCheckpoint":
      return abortCheckpoint(message);
    case "resume":
      return resumeComment(message);
    case "status":
      return statusComment(message);
    case "planProblems":
    case "stateTooLarge":
    case "startRefused":
    case "setupMissing":
    case "planStopped":
    case "unreadableState":
    case "stateLost":
      return refusalText(message);
    default:
      return answerText(message);
  }
}
