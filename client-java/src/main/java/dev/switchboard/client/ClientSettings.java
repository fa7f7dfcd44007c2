package dev.switchboard.client;

import dev.switchboard.protocol.SerialExecutor;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/** What a {@link SwitchboardClientBuilder} decided, validated, for the parts of one client. */
record ClientSettings(URI url, Supplier<? extends CompletionStage<String>> tokens, Backoff backoff,
                      ConnectionListener listener, Consumer<Message> onMessage, Duration requestTimeout,
                      Duration connectTimeout, long heartbeatMillis, EventLoopGroup group, InetAddress localAddress,
                      SerialExecutor callbacks, RandomGenerator random, SslContext tls,
                      FrameListener frames) {
}
