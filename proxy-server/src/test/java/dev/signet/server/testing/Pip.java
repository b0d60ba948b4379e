package dev.signet.server.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Real pip ({@code python3 -m pip}) isolated from this machine's pip configuration: {@code --isolated}, no
 * {@code PIP_*} variables, no proxies, and only the index given.
 */
public final class Pip {

    private static final long TIMEOUT_SECONDS = 300;

    private Pip() {
    }

    /** {@code pip install --target target} of {@code requirements} from {@code indexUrl}, plus extra arguments. */
    public static Processes.Result install(Path workDir, String indexUrl, Path target, List<String> extraArgs,
                                           String... requirements) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("python3", "-m", "pip", "install", "--isolated",
                "--no-cache-dir", "--disable-pip-version-check", "--no-input", "--index-url", indexUrl,
                "--target", target.toString()));
        command.addAll(extraArgs);
        command.addAll(List.of(requirements));
        return Processes.run(workDir, command, TIMEOUT_SECONDS, Pip::isolateFromMachineConfig);
    }

    /** Machine-wide pip settings (e.g. PIP_FIND_LINKS) would let pip find packages without our index. */
    public static void isolateFromMachineConfig(Map<String, String> env) {
        env.keySet().removeIf(name -> name.startsWith("PIP_"));
        env.keySet().removeIf(name -> name.equalsIgnoreCase("http_proxy") || name.equalsIgnoreCase("https_proxy")
                || name.equalsIgnoreCase("all_proxy"));
        // requests lets these override pip's own --cert, so a test CA given with --cert would be ignored.
        env.remove("REQUESTS_CA_BUNDLE");
        env.remove("CURL_CA_BUNDLE");
        env.put("PIP_CONFIG_FILE", "/dev/null");
        env.put("NO_PROXY", "127.0.0.1,localhost");
    }
}
