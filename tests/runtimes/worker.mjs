// A Cloudflare Worker (ES module syntax) that runs a smoke script per request. `smoke-script`
// is not a package: workerd.mjs aliases it to the smoke script it was given when bundling.
import { run } from 'smoke-script';

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
