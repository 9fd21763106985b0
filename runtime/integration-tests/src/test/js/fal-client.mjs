// Drives a fal4j runner with fal's JavaScript client, configured only with the runner's URL as its
// proxy (fal's convention for calling through a server of your own). Asserts what a fal user relies
// on and prints a one-line JSON summary for the Java test that runs it.
import assert from "node:assert/strict";
import { createHash, createPublicKey, verify } from "node:crypto";
import { createServer } from "node:http";
import { ApiError, createFalClient } from "@fal-ai/client";

const runner = process.env.RUNNER_URL;
const app = process.env.APP_ID ?? "local/echo";
const fal = createFalClient({ proxyUrl: { url: runner, when: "always" }, suppressLocalCredentialsWarning: true });

// subscribe: submit, poll the status with logs, fetch the result. The work lasts long enough for a
// poll to find it running on a slow machine.
const updates = [];
const polled = await fal.subscribe(`${app}/slow`, {
  input: { millis: 2000 },
  logs: true,
  pollInterval: 50,
  onQueueUpdate: (update) => updates.push(update),
});
assert.ok(polled.requestId, "the result carries the request id");
assert.ok(polled.data.slept_ms >= 2000, JSON.stringify(polled.data));
const statuses = updates.map((u) => u.status);
assert.equal(statuses.at(-1), "COMPLETED");
assert.ok(statuses.includes("IN_PROGRESS"), statuses.join(","));
const lastLogs = updates.at(-1).logs.map((l) => l.message);
assert.ok(lastLogs.includes("Step 200/200"), lastLogs.join("|"));
assert.ok(lastLogs.some((m) => m.startsWith("slept ")), lastLogs.join("|"));

// subscribe in streaming mode: server-sent status events.
const streamed = [];
const viaStream = await fal.subscribe(`${app}/slow`, {
  input: { millis: 200 },
  logs: true,
  mode: "streaming",
  onQueueUpdate: (update) => streamed.push(update),
});
assert.ok(viaStream.data.slept_ms >= 200);
assert.equal(streamed.at(-1).status, "COMPLETED");
const streamedSteps = streamed.at(-1).logs.filter((l) => l.step !== undefined).map((l) => l.step);
assert.deepEqual(streamedSteps, Array.from({ length: 20 }, (_, i) => i + 1), "each step once, in order");

// A direct run (fal.run) goes to the endpoint itself.
const direct = await fal.run(`${app}/echo`, { input: { prompt: "cat", seed: 7 } });
assert.equal(direct.data.seed, 7);

// Validation errors surface as the client's ValidationError, before anything is queued.
await assert.rejects(fal.queue.submit(`${app}/echo`, { input: { seed: 1 } }), (error) => {
  assert.equal(error.status, 422);
  assert.equal(error.name, "ValidationError");
  assert.deepEqual(error.fieldErrors[0].loc, ["body", "prompt"]);
  return true;
});

// Polls a /slow request's status until it is `wanted`, for at most 20 s.
async function awaitStatus(requestId, wanted) {
  const end = Date.now() + 20000;
  let last;
  while (Date.now() < end) {
    last = (await fal.queue.status(`${app}/slow`, { requestId })).status;
    if (last === wanted) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail(`request ${requestId} stayed ${last} instead of becoming ${wanted}`);
}

// submit, cancel while running, then the result is the cancellation.
const { request_id: cancelId } = await fal.queue.submit(`${app}/slow`, { input: { millis: 20000 } });
await awaitStatus(cancelId, "IN_PROGRESS");
await fal.queue.cancel(`${app}/slow`, { requestId: cancelId });
// The running request stops at its next step; as on fal, its result exists once the status says COMPLETED.
await awaitStatus(cancelId, "COMPLETED");
await assert.rejects(fal.queue.result(`${app}/slow`, { requestId: cancelId }), (error) => {
  assert.ok(error instanceof ApiError);
  assert.equal(error.status, 499);
  return true;
});

// A webhook, verified the way fal documents: Ed25519 over id, user, timestamp and the body's SHA-256.
let delivered;
const delivery = new Promise((resolve) => (delivered = resolve));
const server = createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    response.end();
    server.close();
    delivered({ headers: request.headers, body: Buffer.concat(chunks) });
  });
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const { request_id: hookedId } = await fal.queue.submit(`${app}/echo`, {
  input: { prompt: "dog", seed: 3 },
  webhookUrl: `http://127.0.0.1:${server.address().port}/hook`,
});
const { headers, body } = await delivery;
const jwks = await (await fetch(new URL("/.well-known/jwks.json", runner))).json();
const message = [
  headers["x-fal-webhook-request-id"],
  headers["x-fal-webhook-user-id"],
  headers["x-fal-webhook-timestamp"],
  createHash("sha256").update(body).digest("hex"),
].join("\n");
const verified = jwks.keys.some((jwk) =>
  verify(null, Buffer.from(message), createPublicKey({ key: jwk, format: "jwk" }),
    Buffer.from(headers["x-fal-webhook-signature"], "hex")));
assert.ok(verified, "the webhook signature verifies against the runner's JWKS");
const hook = JSON.parse(body);
assert.equal(hook.request_id, hookedId);
assert.equal(hook.status, "OK");
assert.equal(hook.payload.seed, 3);

console.log(JSON.stringify({
  polledUpdates: updates.length,
  streamedUpdates: streamed.length,
  statuses: [...new Set(statuses)],
  webhookVerified: verified,
  cancelled: cancelId,
}));
