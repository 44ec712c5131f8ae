/**
 * The console's front door: the app (pages and forms under `/ui/`), the fetch functions it reads the API
 * through, and which paths are its own.
 */
export { createConsoleApp, isLoopbackHost, type ConsoleOptions } from "./app.js";
export { inProcessApi, type ApiFetch, type ApiRequest } from "./api.js";

/** Paths the console answers on a server that also serves the API: `/`, `/ui`, `/ui/…` and the favicon. */
export const isConsolePath = (path: string): boolean => path === "/" || path === "/favicon.ico" || path === "/ui" || path.startsWith("/ui/");
