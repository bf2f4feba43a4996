/**
 * The planning worker's own entry (see planInWorker.ts): it plans each request
 * it is sent, one at a time, and says when it is ready for the first. Built
 * into lib/handlers/planWorker.js beside the app.
 */
import { parentPort } from "node:worker_threads";
import { planRequested, type PlanRequest } from "../schedule/planRequest.js";

const port = parentPort!;
port.on("message", (request: PlanRequest) => port.postMessage(planRequested(request)));
port.postMessage("ready");
