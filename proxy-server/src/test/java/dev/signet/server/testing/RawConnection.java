package dev.signet.server.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One keep-alive HTTP/1.1 connection driven by hand, as an installer's connection pool would: requests go out with
 * exactly the headers given, responses are read by their Content-Length, and headers come back exactly as sent.
 */
public final class RawConnection implements AutoCloseable {

    /** A response; {@code headers} maps lowercase names to values in the order received. */
    public record Response(int status, Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawConnection(int port) throws IOException {
        this(connected(port));
    }

    private RawConnection(Socket socket) throws IOException {
        this.socket = socket;
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** A connection over TLS (handshake done) to a listener whose certificate for "localhost" {@code tls} trusts. */
    public static RawConnection tls(int port, javax.net.ssl.SSLContext tls) throws IOException {
        javax.net.ssl.SSLSocket secure = (javax.net.ssl.SSLSocket) tls.getSocketFactory()
                .createSocket(connected(port), "localhost", port, true);
        secure.startHandshake();
        return new RawConnection(secure);
    }

    private static Socket connected(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(30_000);
        // Every write() leaves as its own segment, so a request written in pieces arrives in pieces.
        socket.setTcpNoDelay(true);
        return socket;
    }

    /** Sends a request with {@code headers} ("Name: value" each) and reads its response. */
    public Response send(String method, String target, String... headers) throws IOException {
        StringBuilder request = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return read(method);
    }

    /** Writes {@code bytes} as they are (a request head in pieces, a malformed request) and flushes them. */
    public void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public void write(String ascii) throws IOException {
        write(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Reads the next response, to a request of {@code method} (a HEAD response has no body). */
    public Response read(String method) throws IOException {
        String statusLine = line();
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> received = new LinkedHashMap<>();
        for (String line = line(); !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
            if (received.put(name, line.substring(colon + 1).trim()) != null) {
                throw new AssertionError("header " + name + " sent twice");
            }
        }
        long length = received.containsKey("content-length") ? Long.parseLong(received.get("content-length")) : 0;
        boolean bodiless = method.equals("HEAD") || status == 304 || status == 204;
        byte[] body = bodiless ? new byte[0] : in.readNBytes((int) length);
        if (body.length != (bodiless ? 0 : length)) {
            throw new AssertionError("body ended after " + body.length + " of " + length + " bytes");
        }
        return new Response(status, received, body);
    }

    /**
     * Whether the server closed the connection (end of stream) before sending anything more; bytes after the last
     * response are an error. Fails if the connection is still open when the socket's read timeout runs out.
     */
    public boolean closedByServer() throws IOException {
        try {
            int next = in.read();
            if (next >= 0) {
                throw new AssertionError("more bytes after the last response: " + (char) next);
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("connection closed in a response head");
            }
            line.write(c);
        }
        byte[] bytes = line.toByteArray();
        if (bytes.length == 0 || bytes[bytes.length - 1] != '\r') {
            throw new AssertionError("header line not ended by CRLF");
        }
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
