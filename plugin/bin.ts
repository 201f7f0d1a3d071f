// The executable's entry (bundled into the single executable): start, or say in one line why not.
import { main } from "./main";

main().catch((error: Error) => {
  process.stderr.write(`pulumi-resource-vpsorg: ${error.message}\n`);
  process.exit(1);
});
