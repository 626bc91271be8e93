// Both routes: run the smoke scripts (the main entry, then `/tool`) against the emulator named
// by `?base=`, answer their report. `node` is what the Node route adds ({ saveTo,
// readCloudinaryUrl, cleanup }); the edge route has no file system and hands the credentials over.
// `/tool` first: an app must not depend on its import order, and a tool that brought its own
// loader would initialise the core before the main entry did.
import { runTool } from './tool-smoke.mjs';
import { run } from './smoke.mjs';

export function handler(node) {
  return async function handle(request) {
    const base = new URL(request.url).searchParams.get('base');
    const files = await node?.();
    try {
      return Response.json({ ...(await run(base)), tool: await runTool(base, files) });
    } catch (e) {
      return Response.json({ failed: String((e && e.stack) || e) }, { status: 500 });
    } finally {
      await files?.cleanup();
    }
  };
}
