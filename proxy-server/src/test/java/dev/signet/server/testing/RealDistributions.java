package dev.signet.server.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Real wheels and sdists from this machine's local package folders, found where its pip configuration points
 * ({@code find-links} and {@code file://} index URLs in /etc/pip.conf, /etc/xdg/pip/pip.conf, ~/.config/pip/pip.conf).
 */
public final class RealDistributions {
    private static final List<Path> PIP_CONFIGS = List.of(Path.of("/etc/pip.conf"), Path.of("/etc/xdg/pip/pip.conf"),
            Path.of(System.getProperty("user.home"), ".config/pip/pip.conf"));
    private static final Pattern LOCATION = Pattern.compile("(?:file://)?(/[^\\s]+)");

    private RealDistributions() {
    }

    /**
     * Up to {@code limit} distributions of at most {@code maxBytes} each, one per file name, in name order (so a run
     * is repeatable on one machine). Empty when the machine has no local package folders.
     */
    public static List<Path> upTo(int limit, long maxBytes) throws IOException {
        Map<String, Path> byName = new LinkedHashMap<>();
        for (Path folder : folders()) {
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    String name = file.getFileName().toString();
                    if ((name.endsWith(".whl") || name.endsWith(".tar.gz")) && Files.size(file) <= maxBytes) {
                        byName.putIfAbsent(name, file);
                    }
                }
            }
        }
        List<Path> chosen = new ArrayList<>(byName.values());
        chosen.sort(Comparator.comparing(path -> path.getFileName().toString()));
        return chosen.subList(0, Math.min(limit, chosen.size()));
    }

    static Set<Path> folders() throws IOException {
        Set<Path> folders = new LinkedHashSet<>();
        for (Path config : PIP_CONFIGS) {
            if (!Files.isReadable(config)) {
                continue;
            }
            for (String line : Files.readAllLines(config)) {
                String trimmed = line.strip();
                if (!trimmed.startsWith("find-links") && !trimmed.startsWith("extra-index-url")
                        && !trimmed.startsWith("index-url")) {
                    continue;
                }
                Matcher location = LOCATION.matcher(trimmed.substring(trimmed.indexOf('=') + 1));
                while (location.find()) {
                    Path path = Path.of(location.group(1));
                    // A file:// simple index links its files relative to itself: its parent holds them.
                    Path folder = path.getFileName() != null && path.getFileName().toString().equals("simple")
                            ? path.getParent() : path;
                    if (Files.isDirectory(folder)) {
                        folders.add(folder);
                    }
                }
            }
        }
        return folders;
    }
}
