package dev.switchboard.bench.targets;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The gateway with its RPC hook ({@code --hook-rpc-url}, types {@code bench.*}) pointed at a loopback backend
 * in this process that answers every call with its own request as {@code data} (so the send stamp comes
 * back), without parsing it: what the hook costs over an in-process handler, with the backend as cheap as a
 * backend can be. The backend's CPU is the load client's, not counted as server CPU.
 */
public final class HookedTarget extends GatewayWithCompanion {

    /** The message type the scenario sends to this target. */
    public static final String TYPE = "bench.echo";

    private final HttpServer backend;

    private HookedTarget(ServerProcess gateway, HttpServer backend) {
        super("switchboard-rpc-hook", gateway);
        this.backend = backend;
    }

    public static HookedTarget start(Path jar, List<String> jvmOptions, List<String> serverArgs, Path log)
            throws IOException {
        HttpServer backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        backend.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        backend.createContext("/rpc", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            byte[] head = "{\"data\":".getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, head.length + body.length + 1);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(head);
                out.write(body);
                out.write('}');
            }
        });
        backend.start();
        List<String> args = new ArrayList<>(serverArgs);
        args.add("--hook-rpc-url=http://127.0.0.1:" + backend.getAddress().getPort() + "/rpc");
        args.add("--hook-rpc-types=bench.*");
        args.add("--hook-concurrency=100000");
        try {
            return new HookedTarget(Launchers.gateway("switchboard-rpc-hook", jar, jvmOptions, args, Map.of(), log), backend);
        } catch (IOException | RuntimeException e) {
            backend.stop(0);
            throw e;
        }
    }

    @Override
    protected String companion() {
        return "loopback RPC hook backend";
    }

    @Override
    protected void closeCompanion() {
        backend.stop(0);
    }
}
