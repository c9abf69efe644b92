package org.msa4james.it;

import java.util.function.UnaryOperator;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts one {@link MsaJamesServer} (and its Wiser) for a test class and stops it after the class,
 * nested classes included. Register it as a static field:
 *
 * <pre>
 * &#64;RegisterExtension
 * static MsaJamesExtension james = MsaJamesExtension.withProperties(b -&gt; b.property("msa.max.recipients", "3"));
 * </pre>
 *
 * The extension is inherited by {@code @Nested} classes: only the class that started James stops it.
 * Before each test the Wiser's captured messages are cleared.
 */
public final class MsaJamesExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

    private final MsaJamesServer server;
    private Class<?> owner;

    private MsaJamesExtension(MsaJamesServer server) {
        this.server = server;
    }

    /** James with the default {@code msa.*} properties of {@link MsaJamesServer}. */
    public static MsaJamesExtension withDefaults() {
        return withProperties(UnaryOperator.identity());
    }

    public static MsaJamesExtension withProperties(UnaryOperator<MsaJamesServer.Builder> properties) {
        return new MsaJamesExtension(properties.apply(MsaJamesServer.builder()).build());
    }

    public MsaJamesServer server() {
        return server;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (owner == null) {
            owner = context.getRequiredTestClass();
            server.start();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        server.clearRelayedMessages();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (context.getRequiredTestClass().equals(owner)) {
            owner = null;
            server.stop();
        }
    }
}
