package dev.signet.server.testing;

import dev.signet.server.demo.StaticIndexServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A stand-in for PyPI in front of a signing origin: the JSON pages of a static index ({@link JsonIndexServer}) and
 * its files ({@link StaticIndexServer}), each behind its own HTTPS front with a test CA, the files on another host
 * name when asked (as pypi.org and files.pythonhosted.org). Closing stops everything it started.
 */
public final class HttpsPypi implements AutoCloseable {

    /** Something a test puts between the page server and its HTTPS front (a hostile upstream), given the pages' URI. */
    @FunctionalInterface
    public interface PageRelay {
        /** Starts the relay and returns where the HTTPS front should send requests. */
        URI start(URI pages) throws Exception;
    }

    private final TestCertificates certs;
    private final StaticIndexServer files;
    private final TlsFront filesTls;
    private final JsonIndexServer pages;
    private final TlsFront pagesTls;

    private HttpsPypi(TestCertificates certs, StaticIndexServer files, TlsFront filesTls, JsonIndexServer pages,
                      TlsFront pagesTls) {
        this.certs = certs;
        this.files = files;
        this.filesTls = filesTls;
        this.pages = pages;
        this.pagesTls = pagesTls;
    }

    /** Serves the static index at {@code root} (pages and files on 127.0.0.1); certificates go under {@code dir}. */
    public static HttpsPypi start(Path dir, Path root) throws Exception {
        return start(dir, root, "127.0.0.1");
    }

    /** The same, with the file URLs on {@code filesHost} ("localhost" makes them a second host). */
    public static HttpsPypi start(Path dir, Path root, String filesHost) throws Exception {
        return start(dir, root, filesHost, pages -> pages);
    }

    /** The same, with {@code relay} between the page server and its HTTPS front. */
    public static HttpsPypi start(Path dir, Path root, String filesHost, PageRelay relay) throws Exception {
        TestCertificates certs = TestCertificates.create(dir.resolve("tls"));
        StaticIndexServer files = null;
        TlsFront filesTls = null;
        JsonIndexServer pages = null;
        try {
            files = StaticIndexServer.start(root, new InetSocketAddress("127.0.0.1", 0));
            filesTls = TlsFront.start(certs, new InetSocketAddress("127.0.0.1", files.baseUri().getPort()));
            pages = JsonIndexServer.start(root, URI.create("https://" + filesHost + ":" + filesTls.port() + "/"),
                    Map.of());
            URI target = relay.start(URI.create("http://127.0.0.1:" + pages.simpleUri().getPort() + "/"));
            TlsFront pagesTls = TlsFront.start(certs, new InetSocketAddress("127.0.0.1", target.getPort()));
            return new HttpsPypi(certs, files, filesTls, pages, pagesTls);
        } catch (Exception | Error e) {
            closeAll(pages, filesTls, files);
            throw e;
        }
    }

    public TestCertificates certs() {
        return certs;
    }

    /** The file server behind the files' HTTPS front (request counts, overrides). */
    public StaticIndexServer files() {
        return files;
    }

    /** The page server behind the pages' HTTPS front (yanks, upload times, provenance). */
    public JsonIndexServer pages() {
        return pages;
    }

    /** The HTTPS port of the files. */
    public int filesPort() {
        return filesTls.port();
    }

    /** The HTTPS port of the pages (and of the Integrity API). */
    public int port() {
        return pagesTls.port();
    }

    /** {@code https://127.0.0.1:<port>/simple/}, what an origin's {@code upstream} names. */
    public String simpleUrl() {
        return "https://127.0.0.1:" + port() + "/simple/";
    }

    /**
     * The settings of a signing origin in front of this index, on ephemeral loopback ports, signing with
     * {@code keyFile} (made owner-only here, as the origin requires) and caching in {@code cacheDir}. Tests add their
     * own settings to the returned map.
     */
    public Map<String, Object> originSettings(Path keyFile, Path cacheDir) throws Exception {
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("role", "origin");
        settings.put("listen", "127.0.0.1:0");
        settings.put("admin-listen", "127.0.0.1:0");
        settings.put("upstream", simpleUrl());
        settings.put("upstream-ca-bundle", certs.caFile().toString());
        settings.put("origin.key", keyFile.toString());
        settings.put("cache-dir", cacheDir.toString());
        return settings;
    }

    @Override
    public void close() {
        closeAll(pagesTls, pages, filesTls, files);
    }

    private static void closeAll(AutoCloseable... closeables) {
        for (AutoCloseable c : closeables) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort: the next one is still closed
            }
        }
    }
}
