// Reads an Adaptive Card (JSON) on stdin and parses it with the Adaptive Cards library itself, as Teams' client does.
// Prints {"errors": [...], "warnings": [...], "version": "..."}; exit code 0 either way (the test judges).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
const AC = createRequire(import.meta.url)("adaptivecards/dist/adaptivecards.js");

const card = JSON.parse(readFileSync(0, "utf8"));
const context = new AC.SerializationContext(AC.Versions.v1_5);
const parsed = new AC.AdaptiveCard();
parsed.parse(card, context);
const events = [];
for (let i = 0; i < context.eventCount; i++) {
  const e = context.getEventAt(i);
  events.push({ phase: e.phase, event: e.event, message: e.message, source: e.source?.getJsonTypeName?.() ?? null });
}
// Elements the library did not know are dropped; count them by re-serializing.
const round = parsed.toJSON(new AC.SerializationContext(AC.Versions.v1_5));
console.log(JSON.stringify({
  events,
  validation: parsed.validateProperties().validationEvents.map(e => ({ phase: e.phase, event: e.event, message: e.message })),
  bodyCount: (round.body ?? []).length,
  actionCount: (round.actions ?? []).length,
  version: round.version,
}));
