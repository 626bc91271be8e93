// A Cloudflare Worker that runs the agent smoke script per request.
import { run } from './agent-smoke.mjs';

export default {
  async fetch(request) {
    const baseUrl = new URL(request.url).searchParams.get('base');
    try {
      return Response.json(await run(baseUrl));
    } catch (e) {
      return Response.json({ failed: String(e && e.stack || e) }, { status: 500 });
    }
  },
};
