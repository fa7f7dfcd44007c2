package dev.switchboard.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Registers a {@link dev.switchboard.server.app.MessageHandler} bean (or an
 * {@link dev.switchboard.server.app.AsyncMessageHandler}) for the envelopes of one {@code type}: on the bean's
 * class, or on the {@code @Bean} method that makes it.
 * <pre>{@code
 * @Bean @SwitchboardHandler("chat.prompt")
 * MessageHandler prompt(Assistant assistant) { return (ctx, msg) -> ctx.reply(assistant.answer(msg.data())); }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface SwitchboardHandler {

    /** The envelope type it answers. */
    String value();

    /** The WebSocket endpoint it is registered on (created, authenticated, when new). */
    String endpoint() default "/ws";

    /** Whether only identified connections may call it (the default), or anonymous ones too. */
    boolean requiresIdentity() default true;

    /**
     * Whether it never blocks and may run on the connection's event loop; otherwise it runs on a virtual
     * thread, in order per connection.
     */
    boolean nonBlocking() default false;
}
