/** Which commits of a long history are read: runs of consecutive commits spread evenly over all of it. */
export function sampleCommits(commits, max, run) {
  if (commits.length <= max) return commits;
  const runs = Math.max(1, Math.floor(max / run));
  const stride = (commits.length - run) / Math.max(1, runs - 1);
  const picked = new Set();
  for (let r = 0; r < runs; r++) {
    const start = Math.round(r * stride);
    for (let i = start; i < Math.min(commits.length, start + run); i++) picked.add(i);
  }
  return [...picked].sort((a, b) => a - b).map((i) => commits[i]);
}
