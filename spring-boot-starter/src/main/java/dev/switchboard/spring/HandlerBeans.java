package dev.switchboard.spring;

import dev.switchboard.server.Gateway;
import dev.switchboard.server.app.HandlerOptions;
import dev.switchboard.server.app.MessageHandler;
import java.util.HashMap;
import java.util.Map;
import org.springframework.context.ApplicationContext;

/**
 * Registers the context's {@link MessageHandler} beans on the gateway by their {@link SwitchboardHandler}
 * annotation. A handler bean without one, or two beans for one type on one endpoint, stop the start-up with a
 * sentence: a handler that silently answers nothing, or the wrong one of two, is worse.
 */
final class HandlerBeans {

    private HandlerBeans() {
    }

    static void register(ApplicationContext context, Gateway gateway) {
        Map<String, String> taken = new HashMap<>();
        for (String name : context.getBeanNamesForType(MessageHandler.class)) {
            SwitchboardHandler route = context.findAnnotationOnBean(name, SwitchboardHandler.class);
            if (route == null) {
                throw new IllegalStateException("MessageHandler bean '" + name
                        + "' has no @SwitchboardHandler naming the envelope type it answers");
            }
            String key = route.endpoint() + " " + route.value();
            String other = taken.putIfAbsent(key, name);
            if (other != null) {
                throw new IllegalStateException("beans '" + other + "' and '" + name + "' both handle '"
                        + route.value() + "' on " + route.endpoint());
            }
            gateway.endpoint(route.endpoint()).on(route.value(), context.getBean(name, MessageHandler.class),
                    new HandlerOptions(route.requiresIdentity(), route.nonBlocking()));
        }
    }
}
