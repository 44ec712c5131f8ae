/**
 * Where moto_server comes from: PATH, the project venv, an install into it, or one message with the ways.
 * Fake PATHs of shell scripts stand in for moto_server and python3; nothing is pip-installed.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EmulatorMissingError, ensureEmulator, motoDockerImage, motoRequirement, resolveEmulator } from "../../../lambdas/local/emulator-install.js";

let dir: string;

function script(path: string, body: string): string {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "mlwatch-emulator-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("resolveEmulator", () => {
  it("takes moto_server from PATH first, even when a project venv has one", () => {
    // Prepare
    const onPath = script(join(dir, "bin", "moto_server"), "exit 0");
    script(join(dir, "home", "venv", "bin", "moto_server"), "exit 0");
    // Act
    const plan = resolveEmulator({ path: join(dir, "bin"), home: join(dir, "home") });
    // Assess
    expect(plan).toEqual({ kind: "path", command: onPath });
  });

  it("else the project venv's moto_server", () => {
    const inVenv = script(join(dir, "home", "venv", "bin", "moto_server"), "exit 0");
    expect(resolveEmulator({ path: join(dir, "empty"), home: join(dir, "home") })).toEqual({ kind: "venv", command: inVenv });
  });

  it("else an install into the project venv with the python3 on PATH", () => {
    const python = script(join(dir, "bin", "python3"), "exit 0");
    const plan = resolveEmulator({ path: join(dir, "bin"), home: join(dir, "home"), allowInstall: true });
    expect(plan).toEqual({ kind: "install", python, venvDir: join(dir, "home", "venv"), command: join(dir, "home", "venv", "bin", "moto_server") });
  });

  it("else missing: no python3, or installs turned off", () => {
    script(join(dir, "bin", "python3"), "exit 0");
    expect(resolveEmulator({ path: join(dir, "empty"), home: join(dir, "home") })).toMatchObject({ kind: "missing", reason: expect.stringContaining("no python3") });
    expect(resolveEmulator({ path: join(dir, "bin"), home: join(dir, "home"), allowInstall: false })).toMatchObject({ kind: "missing", reason: expect.stringContaining("MLWATCH_NO_INSTALL") });
  });

  it("ignores a moto_server that is not executable", () => {
    writeFileSync(join(dir, "moto_server"), "");
    expect(resolveEmulator({ path: dir, home: join(dir, "home"), allowInstall: false }).kind).toBe("missing");
  });
});

describe("ensureEmulator", () => {
  it("creates the venv and pip-installs the pinned moto, then returns its moto_server", async () => {
    // Prepare: a python3 whose venv module makes a venv whose pip "installs" moto_server and logs its arguments
    const log = join(dir, "pip-args");
    script(
      join(dir, "bin", "python3"),
      `[ "$1" = "-m" ] && [ "$2" = "venv" ] || exit 9
mkdir -p "$3/bin"
cat > "$3/bin/python" <<EOS
#!/bin/sh
echo "\\$@" > "${log}"
printf '#!/bin/sh\\nexit 0\\n' > "$3/bin/moto_server"; chmod +x "$3/bin/moto_server"
EOS
chmod +x "$3/bin/python"`,
    );
    const progress: string[] = [];
    // Act
    const command = await ensureEmulator({ path: join(dir, "bin"), home: join(dir, "home"), allowInstall: true, onProgress: (l) => progress.push(l) });
    // Assess
    expect(command).toBe(join(dir, "home", "venv", "bin", "moto_server"));
    expect(existsSync(command)).toBe(true);
    expect(readFileSync(log, "utf8").trim()).toBe(`-m pip install --disable-pip-version-check --quiet --retries 1 --timeout 20 ${motoRequirement}`);
    expect(progress).toHaveLength(1);
    expect(progress[0]).toContain(motoRequirement);
  });

  it("when pip cannot reach an index: removes the half-made venv and throws one line naming pip, the venv and Docker", async () => {
    // Prepare
    script(
      join(dir, "bin", "python3"),
      `mkdir -p "$3/bin"
printf '#!/bin/sh\\necho "ERROR: Could not find a version that satisfies the requirement moto[server]==5.2.1" >&2\\nexit 1\\n' > "$3/bin/python"
chmod +x "$3/bin/python"`,
    );
    // Act
    const failure = await ensureEmulator({ path: join(dir, "bin"), home: join(dir, "home"), allowInstall: true }).catch((e: unknown) => e);
    // Assess
    expect(failure).toBeInstanceOf(EmulatorMissingError);
    const message = (failure as Error).message;
    expect(message.split("\n")).toHaveLength(1);
    expect(message).toContain("Could not find a version that satisfies the requirement");
    expect(message).toContain(`pip install "${motoRequirement}"`);
    expect(message).toContain(join(dir, "home", "venv"));
    expect(message).toContain(`docker run --rm -p 5000:5000 ${motoDockerImage}`);
    expect(message).toContain("AWS_ENDPOINT_URL");
    expect(existsSync(join(dir, "home", "venv"))).toBe(false);
  });

  it("throws at once, installing nothing, when there is no python3", async () => {
    await expect(ensureEmulator({ path: join(dir, "empty"), home: join(dir, "home") })).rejects.toThrow(/no python3 on PATH[\s\S]*motoserver\/moto:5\.2\.1/);
    expect(existsSync(join(dir, "home"))).toBe(false);
  });
});
