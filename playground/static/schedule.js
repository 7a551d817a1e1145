// The jitter buffer. Frames carry their time on the server's play clock; they are shown at that
// time + offset, the offset chosen so that each batch starts as it arrives, with room for the late
// arrivals of the last few batches. A paused snapshot (not live) shows at once.

const MARGIN_MS = 12;
const ARRIVALS_KEPT = 6;

function schedule(state, frames, live, restart) {
  if (!frames.length) return;
  const now = performance.now();
  const last = state.queue.length ? state.queue[state.queue.length - 1] : state.shown;
  if (!live) {
    const frame = frames[frames.length - 1];
    if (!restart && last && last.epoch === frame.epoch) return;
    state.queue = [frame];
    state.offset = now - frame.playMs;
    state.playhead = -Infinity;
    return;
  }
  const first = frames[0].playMs;
  const need = now - first + MARGIN_MS;
  state.needs = state.needs.concat([need]).slice(-ARRIVALS_KEPT);
  if (restart || state.offset == null || (last && first <= last.playMs) || need > state.offset + 400) {
    state.offset = now - first;
    state.playhead = -Infinity;
    state.needs = [need];
    if (restart || (last && first <= last.playMs)) state.queue = [];
  } else {
    // Aim at the third latest of the last 6 arrivals: the two latest are not worth their lag; a
    // batch later than that skips a frame or two rather than delaying all that follow.
    const sorted = [...state.needs].sort((a, b) => b - a);
    const target = sorted[Math.min(2, sorted.length - 1)];
    if (need > state.offset) counters.holds += 1;
    state.offset += (target - state.offset) * 0.5;
  }
  for (const frame of frames) state.queue.push(frame);
}

// The frame due at `now`, taken off the queue (null if none is due yet). When several are due
// the last but one is shown, so that a late batch catches up over two paints, not one.
function takeDueFrame(state, now) {
  if (!state.queue.length) return null;
  const playhead = Math.max(now - state.offset, state.playhead);
  state.playhead = playhead;
  let due = -1;
  while (due + 1 < state.queue.length && state.queue[due + 1].playMs <= playhead) due++;
  if (due < 0) return null;
  const take = due < 2 ? 0 : due - 1;
  const frame = state.queue[take];
  state.queue.splice(0, take + 1);
  return frame;
}
