package dev.switchboard.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.server.support.TestGateway;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The request-framing attacks that Netty's HTTP/1.1 codec fixed in 4.2.19 to 4.2.21 (CRLF neutralisation,
 * request smuggling, unbounded resource use), sent at the gateway on the 4.2.18 codec it ships with: each
 * ambiguous request is refused with a 4xx (501 for a transfer coding it does not decode) and its connection
 * closed, and the request smuggled behind it is never
 * answered. A front proxy and the gateway therefore cannot disagree about where a request ends.
 */
class HttpFramingTest {

    static TestGateway gw;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(c -> c.maxHttpBody = 64 * 1024);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    /** The smuggled request every attack carries: a second response to it means the framing was misread. */
    private static final String SMUGGLED = "GET /healthz?smuggled HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

    private static final Pattern STATUS = Pattern.compile("HTTP/1\\.1 (\\d{3})");

    @Test
    void ambiguousFramingIsRefusedAndClosedAndNothingIsSmuggled() throws IOException {
        String post = "POST /api/publish HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + "x" + "\r\n";
        Map<String, String> attacks = new LinkedHashMap<>();
        attacks.put("content-length and transfer-encoding", post + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
        attacks.put("chunked not the final coding", post + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n");
        attacks.put("unknown transfer coding", post + "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n");
        attacks.put("transfer-encoding split over two lines", post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n");
        attacks.put("a coding the gateway does not decode before chunked", post + "Transfer-Encoding: identity\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
        attacks.put("space before the colon", post + "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n");
        attacks.put("obsolete line folding", post + "Transfer-Encoding: identity\r\n chunked\r\n\r\n0\r\n\r\n");
        attacks.put("two different content-lengths", post + "Content-Length: 2\r\nContent-Length: 40\r\n\r\n{}");
        attacks.put("signed content-length", post + "Content-Length: +2\r\n\r\n{}");
        attacks.put("bare CR in a header value", post + "X-A: one\rTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n{}");
        attacks.put("NUL in a header value", post + "X-A: a\u0000b\r\nContent-Length: 2\r\n\r\n{}");
        attacks.put("chunk size with a bare LF", post + "Transfer-Encoding: chunked\r\n\r\n2\n{}\r\n0\r\n\r\n");
        attacks.put("chunk extension with a quoted CRLF", post + "Transfer-Encoding: chunked\r\n\r\n2;a=\"x\r\n0\r\n\r\n\"\r\n{}\r\n0\r\n\r\n");
        attacks.put("chunk size past 64 bits", post + "Transfer-Encoding: chunked\r\n\r\n1ffffffffffffffff2\r\n{}\r\n0\r\n\r\n");
        attacks.put("chunk data longer than its size", post + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}xx\r\n0\r\n\r\n");
        attacks.put("request line with a bare LF", "GET /healthz HTTP/1.1\nHost: 127.0.0.1\r\n\r\n");
        attacks.put("space in the request target", "GET /healthz HTTP/1.1 x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        attacks.put("headers past the limit", "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n" + "X-A: aaaaaaaa\r\n".repeat(2_000) + "\r\n");
        attacks.put("body past the limit in small chunks", post + "Transfer-Encoding: chunked\r\n\r\n"
                + "1\r\na\r\n".repeat(70 * 1024) + "0\r\n\r\n");
        attacks.put("trailers past the limit", post + "Transfer-Encoding: chunked\r\n\r\n0\r\n" + "X-T: tttttttt\r\n".repeat(2_000) + "\r\n");
        StringBuilder failures = new StringBuilder();
        for (Map.Entry<String, String> attack : attacks.entrySet()) {
            String answer = exchange(attack.getValue() + SMUGGLED);
            Matcher m = STATUS.matcher(answer);
            int responses = 0;
            String first = null;
            while (m.find()) {
                responses++;
                first = first == null ? m.group(1) : first;
            }
            boolean refused = answer.equals("<reset>") || (first != null && (first.startsWith("4") || first.equals("501")) && responses == 1);
            if (!refused) {
                failures.append(attack.getKey()).append(": ").append(answer, 0, Math.min(200, answer.length())).append('\n');
            }
        }
        assertEquals("", failures.toString(), "every ambiguous request is refused once, nothing behind it answered");
    }

    @Test
    void aWellFramedPipelineIsStillServed() throws IOException {
        String answer = exchange("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" + SMUGGLED.replace("HTTP/1.1\r\n",
                "HTTP/1.1\r\nConnection: close\r\n"));
        Matcher m = STATUS.matcher(answer);
        int ok = 0;
        while (m.find()) {
            ok += m.group(1).equals("200") ? 1 : 0;
        }
        assertEquals(2, ok, answer);
    }

    /** Sends {@code request} and reads until the gateway closes (or 3 s of silence). */
    private static String exchange(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", gw.port())) {
            s.setSoTimeout(3_000);
            try {
                s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            } catch (IOException e) {
                return "<reset>"; // closed while the attack was still being written: refused before reading it all
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    out.write(buf, 0, n);
                }
            } catch (SocketTimeoutException e) {
                return out.toString(StandardCharsets.ISO_8859_1) + "<still open>";
            } catch (IOException e) {
                if (out.size() == 0) {
                    return "<reset>";
                }
            }
            String text = out.toString(StandardCharsets.ISO_8859_1);
            return text;
        }
    }
}
