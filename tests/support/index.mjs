// One import for a test: `import { startEmulator, request } from '../support/index.mjs'`.
export { ROOT, startProcess, closedPort } from './process.mjs';
export { startEmulator, emulatorBin } from './emulator.mjs';
export { CHROMIUM_ARGS, launchChromium } from './chromium.mjs';
export { startServer, startStaticServer } from './http.mjs';
export { CONSUMER, denyFile, request, fakeAccount, rejection } from './fixtures.mjs';
