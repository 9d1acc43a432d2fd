// tsup builds two configs in parallel; cleaning in either would race the other.
require('node:fs').rmSync(require('node:path').join(__dirname, '..', 'dist'), { recursive: true, force: true });
