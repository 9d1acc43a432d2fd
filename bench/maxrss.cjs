// Preload for the benchmark: `node -r ./bench/maxrss.cjs <script>`.
// On exit, writes the process's peak resident set size (process.resourceUsage().maxRSS,
// in kilobytes) to the file named by $BENCH_MAXRSS_FILE. The write is synchronous
// because asynchronous work never runs inside an 'exit' handler.
'use strict';
const file = process.env.BENCH_MAXRSS_FILE;
if (file) {
  process.on('exit', () => {
    require('fs').writeFileSync(file, String(process.resourceUsage().maxRSS));
  });
}
