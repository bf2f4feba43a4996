// `npm run bench`: figures, never assertions. Speed depends on the machine; ratios do not.
import { benchPlanning } from "./planning.js";
import { benchSchedule } from "./schedule.js";
import { benchEngine } from "./engine.js";
import { benchCalls } from "./calls.js";
import { benchCli } from "./cli.js";
import { benchAcknowledge } from "./acknowledge.js";
import { benchUntrusted } from "./untrusted.js";
import { benchActions } from "./actions.js";
import { benchBriefs } from "./briefs.js";

// The engine first, in a process that holds nothing else yet, as the app's does: the schedule
// benchmark leaves a large heap whose collection would be counted against an event.
for (const line of benchEngine()) console.log(line);
console.log("");
for (const line of benchPlanning()) console.log(line);
console.log("");
for (const line of await benchUntrusted()) console.log(line);
console.log("");
for (const line of benchCli()) console.log(line);
console.log("");
for (const line of benchBriefs()) console.log(line);
console.log("");
for (const line of await benchSchedule()) console.log(line);
console.log("");
for (const line of await benchCalls()) console.log(line);
console.log("");
for (const line of await benchActions()) console.log(line);
console.log("");
for (const line of await benchAcknowledge()) console.log(line);
// The starts whose dashboards were timed go on with their branch and dispatch writes, a second apart: not measured.
process.exit(0);
