// Preloaded into a child `opmon` (node --import): prints the process's peak resident set size on exit,
// on a line of its own, for the bench's peak-RSS measure (Node tells no parent its child's peak).
process.on("exit", () => process.stderr.write(`\nopmon-bench-peak-rss-kb=${process.resourceUsage().maxRSS}\n`));
