#!/usr/bin/env node
// Launcher: registers the TypeScript loader (tsx) so the CLI runs straight from the sources.
import { register } from "tsx/esm/api";

register();
await import("./mlwatch.ts");
