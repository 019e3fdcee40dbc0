import { workerData } from 'node:worker_threads';
import type { AliasTable } from '@corpus/entities/corpus';
import { openEntityLog, prepareEntityLog, runEntityStep, toWire, type EntityLog, type EntityStepInput, type EntityStepPartial } from './entity-step.js';
import { serveStep } from './step-thread.js';

const setup = workerData as { cacheDir: string; aliases: AliasTable | undefined; stateVersion: string };
// `write` lets the running step write entities.json (see EntityStepRun).
let write: () => void = () => {};
serveStep<EntityLog, EntityStepInput, void, EntityStepPartial>({
  state: openEntityLog(setup.cacheDir, setup.aliases, setup.stateVersion),
  prepare: prepareEntityLog,
  run(input, ready, partial) {
    // The links go back as soon as they exist, and word as soon as entities.json is written.
    const run = runEntityStep(
      input,
      ready,
      (result) => {
        const [wire, transfer] = toWire(result);
        partial({ linked: wire }, transfer);
      },
      () => partial({ written: true }),
    );
    write = run.write;
    return run.done;
  },
  message: (message) => {
    if ('write' in message) write();
  },
});
