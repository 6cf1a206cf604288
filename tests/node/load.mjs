// Loads the built package from pkg/ in Node: the web target needs its wasm
// bytes handed over, since Node's fetch cannot read file: URLs.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as triggerkit from '../../pkg/triggerkit.js';

const wasmPath = fileURLToPath(new URL('../../pkg/triggerkit_bg.wasm', import.meta.url));
triggerkit.initSync({ module: readFileSync(wasmPath) });

export default triggerkit;
