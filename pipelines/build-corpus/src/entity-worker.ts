import { workerData } from 'node:worker_threads';
import type { AliasTable } from '@corpus/entities/corpus';
import { openEntityLog, prepareEntityLog, runEntityStep, type EntityLog, type EntityStepInput, type EntityStepResult } from './entity-step.js';
import { serveStep } from './step-thread.js';

const setup = workerData as { cacheDir: string; aliases: AliasTable | undefined };
// `write` lets the running step write entities.json (see EntityStepRun).
let write: () => void = () => {};
serveStep<EntityLog, EntityStepInput, void, EntityStepResult>({
  state: openEntityLog(setup.cacheDir, setup.aliases),
  prepare: prepareEntityLog,
  run(input, ready, partial) {
    const run = runEntityStep(input, ready);
    write = run.write;
    // The links go back as soon as they exist; entities.json is written meanwhile.
    run.linked.then((result) => partial(result, result.links.map((l) => l.buffer as ArrayBuffer)), () => {});
    return run.done;
  },
  message: (message) => {
    if ('write' in message) write();
  },
});
