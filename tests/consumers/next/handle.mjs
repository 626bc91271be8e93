// Both routes: run the smoke script against the emulator named by `?base=`, answer its report.
import { run } from './smoke.mjs';

export async function handle(request) {
  try {
    return Response.json(await run(new URL(request.url).searchParams.get('base')));
  } catch (e) {
    return Response.json({ failed: String((e && e.stack) || e) }, { status: 500 });
  }
}
