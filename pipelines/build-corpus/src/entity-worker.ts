import { parentPort, workerData } from 'node:worker_threads';
import type { AliasTable } from '@corpus/entities/corpus';
import { openEntityLog, prepareEntityLog, runEntityStep, type EntityLog, type EntityStepInput } from './entity-step.js';

// Started before the input exists (see EntityThread); a failure surfaces when the step runs. Messages are handled in
// order: `prepare` (optional) loads the live documents' entities, `run` runs the step, `write` lets it write
// entities.json.
const setup = workerData as { cacheDir: string; aliases: AliasTable | undefined };
let ready: Promise<EntityLog> = Promise.resolve(openEntityLog(setup.cacheDir, setup.aliases));
ready.catch(() => {});

let write: () => void = () => {};
parentPort!.on('message', (message: { prepare: string[] } | { run: EntityStepInput } | { write: true }) => {
  if ('write' in message) return write();
  if ('prepare' in message) {
    const live = new Set(message.prepare);
    ready = ready.then(async (log) => (await prepareEntityLog(log, live), log));
    ready.catch(() => {});
    return;
  }
  const run = runEntityStep(message.run, ready);
  write = run.write;
  // The links go back as soon as they exist; entities.json is written meanwhile.
  run.linked.then(
    (result) => parentPort!.postMessage({ linked: result }, result.links.map((l) => l.buffer as ArrayBuffer)),
    () => {},
  );
  run.done.then(
    () => parentPort!.postMessage({ ok: true }),
    (error: unknown) => parentPort!.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
});
